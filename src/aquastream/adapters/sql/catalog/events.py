"""Events in SQL: the catalog search and the completion sweep.

Text search follows ``aquastream.adapters.text_search``: on PostgreSQL the GIN-indexed
``search_vector`` against ``to_tsquery('russian', 'w1':* & 'w2':*)``, ordered by
``ts_rank``; on SQLite the Python-made stems in ``search_text``, found with ``instr`` and
ordered by the same score as the memory adapter's (``document_score``, written in SQL).

The "has free seats" filter leaves out the events booking reports sold out
(``EventSearch.sold_out``); the catalog reads no table of booking's.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    RowMapping,
    and_,
    bindparam,
    case,
    exists,
    false,
    func,
    insert,
    literal,
    literal_column,
    select,
    type_coerce,
    update,
)
from sqlalchemy.dialects import postgresql

from aquastream.adapters.currencies import amount_in
from aquastream.adapters.sql.paging import fetch_page, in_order
from aquastream.adapters.sql.tables.catalog import events
from aquastream.adapters.sql.uow import SqlRepository
from aquastream.adapters.text_search import (
    DESCRIPTION,
    SECTION_MARK,
    TAGS,
    TITLE,
    event_document,
    prefix_tsquery,
    query_stems,
    query_words,
)
from aquastream.domain.catalog.model import (
    Event,
    EventSearch,
    EventStatus,
    EventType,
    Location,
    city_key,
)
from aquastream.domain.catalog.ordering import EventSortKey
from aquastream.domain.shared.paging import Page, PageRequest


def _tsquery(words: list[str]) -> ColumnElement[Any]:
    return func.to_tsquery(literal_column("'russian'::regconfig"), prefix_tsquery(words))


def _first_at(stem: str) -> ColumnElement[int]:
    """Where `` stem`` first begins a word of the SQLite document (1-based), 0 if nowhere."""
    found: ColumnElement[int] = func.instr(events.c.search_text, f" {stem}")
    return found


# Everything but the search documents (PostgreSQL's vector, the stems), which no caller needs back.
EVENT_COLUMNS = [c for c in events.c if c.name not in {"search_vector", "search_text"}]
# The reads of every page, built once with bound parameters: a statement built per call costs
# SQLAlchemy its cache key on every execution (about 130 µs of 430 per statement, measured on
# PostgreSQL); one built once is found in the compiled cache at once.
EVENT_BY_ID = select(*EVENT_COLUMNS).where(events.c.id == bindparam("event_id"))
EVENT_BY_ID_FOR_UPDATE = EVENT_BY_ID.with_for_update()
# What each ``sort`` of the event lists orders by; a free event's price counts as 0.
EVENT_SORT_KEYS: Mapping[EventSortKey, ColumnElement[Any]] = {
    EventSortKey.DATE_START: events.c.date_start,
    EventSortKey.PRICE: func.coalesce(events.c.price, 0),
}
EVENTS_BY_IDS = select(*EVENT_COLUMNS).where(events.c.id.in_(bindparam("event_ids", expanding=True)))


def event_from_row(row: RowMapping) -> Event:
    price = row["price"]
    return Event(
        id=row["id"],
        organizer_id=row["organizer_id"],
        type=EventType(row["type"]),
        title=row["title"],
        date_start=row["date_start"],
        date_end=row["date_end"],
        capacity=row["capacity"],
        status=EventStatus(row["status"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        description=row["description"],
        location=Location(
            address=row["address"],
            city=row["city"],
            latitude=row["latitude"],
            longitude=row["longitude"],
        ),
        price=None if price is None else amount_in(price, row["currency"]),
        currency=row["currency"],
        tags=list(row["tags"]),
        cover_url=row["cover_url"],
        published_at=row["published_at"],
        cancelled_at=row["cancelled_at"],
        completed_at=row["completed_at"],
        cancel_reason=row["cancel_reason"],
    )


def _event_values(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "organizer_id": event.organizer_id,
        "type": event.type.value,
        "title": event.title,
        "description": event.description,
        "date_start": event.date_start,
        "date_end": event.date_end,
        "address": event.location.address,
        "city": event.location.city,
        "city_key": city_key(event.location.city),
        "latitude": event.location.latitude,
        "longitude": event.location.longitude,
        "price": event.price,
        "currency": event.currency,
        "capacity": event.capacity,
        "status": event.status.value,
        "tags": list(event.tags),
        "cover_url": event.cover_url,
        "created_at": event.created_at,
        "updated_at": event.updated_at,
        "published_at": event.published_at,
        "cancelled_at": event.cancelled_at,
        "completed_at": event.completed_at,
        "cancel_reason": event.cancel_reason,
        "search_text": event_document(event.title, event.description, event.tags),
    }


class SqlEventRepository(SqlRepository):
    @property
    def _on_postgresql(self) -> bool:
        return self._connection.dialect.name == "postgresql"

    async def add(self, event: Event) -> None:
        await self._connection.execute(insert(events).values(_event_values(event)))

    async def save(self, event: Event) -> None:
        await self._connection.execute(
            update(events).where(events.c.id == event.id).values(_event_values(event))
        )

    async def get(self, event_id: uuid.UUID, *, for_update: bool = False) -> Event | None:
        query = EVENT_BY_ID_FOR_UPDATE if for_update else EVENT_BY_ID
        row = (await self._connection.execute(query, {"event_id": event_id})).mappings().first()
        return event_from_row(row) if row else None

    async def get_many(self, event_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, Event]:
        if not event_ids:
            return {}
        rows = await self._connection.execute(EVENTS_BY_IDS, {"event_ids": list(set(event_ids))})
        return {row["id"]: event_from_row(row) for row in rows.mappings()}

    async def search(self, search: EventSearch, paging: PageRequest) -> Page[Event]:
        query = select(*EVENT_COLUMNS).where(*self._conditions(search))
        if search.sort is None:  # by start, and with a text by relevance first
            relevance = self._relevance(search.text) if search.text else []
            query = query.order_by(*relevance, events.c.date_start, events.c.id)
        else:
            key = EVENT_SORT_KEYS[search.sort.key]
            query = in_order(query, key, events.c.id, descending=search.sort.descending)
        return await fetch_page(self._connection, query, paging, event_from_row)

    def _conditions(self, search: EventSearch) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = [events.c.status.in_([s.value for s in search.statuses])]
        price = func.coalesce(events.c.price, 0)
        if search.starts_after is not None:
            conditions.append(events.c.date_start > search.starts_after)
        if search.organizer_id is not None:
            conditions.append(events.c.organizer_id == search.organizer_id)
        if search.types:
            conditions.append(events.c.type.in_([t.value for t in search.types]))
        if search.price_min is not None:
            conditions.append(price >= search.price_min)
        if search.price_max is not None:
            conditions.append(price <= search.price_max)
        if search.date_from is not None:
            conditions.append(events.c.date_start >= search.date_from)
        if search.date_to is not None:
            conditions.append(events.c.date_start <= search.date_to)
        if search.city is not None:
            conditions.append(events.c.city_key == search.city)
        if search.tags:
            conditions.append(self._has_any_tag(sorted(search.tags)))
        if search.text:
            conditions.append(self._matches_text(search.text))
        if search.has_free_seats and search.sold_out:
            conditions.append(events.c.id.not_in(sorted(search.sold_out)))
        return conditions

    def _has_any_tag(self, tags: list[str]) -> ColumnElement[bool]:
        if self._on_postgresql:
            has_any: ColumnElement[bool] = type_coerce(events.c.tags, postgresql.JSONB).has_any(
                postgresql.array(tags)
            )
            return has_any
        elements = func.json_each(events.c.tags).table_valued("value")
        return exists(select(1).select_from(elements).where(elements.c.value.in_(tags)))

    def _matches_text(self, text: str) -> ColumnElement[bool]:
        if self._on_postgresql:
            words = query_words(text)
            if not words:
                return false()
            matches: ColumnElement[bool] = events.c.search_vector.bool_op("@@")(_tsquery(words))
            return matches
        stems = query_stems(text)
        if not stems:
            return false()
        return and_(*(_first_at(stem) > 0 for stem in stems))

    def _relevance(self, text: str) -> list[ColumnElement[Any]]:
        """The order of the matches of ``text``, best first."""
        if self._on_postgresql:
            words = query_words(text)
            return [func.ts_rank(events.c.search_vector, _tsquery(words)).desc()] if words else []
        stems = query_stems(text)
        if not stems:
            return []
        # document_score in SQL: the first '|' ends the title, the second the tags.
        document = events.c.search_text
        title_end = func.instr(document, SECTION_MARK)
        tags_end = title_end + func.instr(func.substr(document, title_end + 1), SECTION_MARK)
        fields = sum(
            (
                case(
                    (_first_at(stem) < title_end, TITLE),
                    (_first_at(stem) < tags_end, TAGS),
                    else_=DESCRIPTION,
                )
                for stem in stems
            ),
            start=literal(0),
        )
        hits = sum(
            (
                (func.length(document) - func.length(func.replace(document, f" {stem}", "")))
                / len(f" {stem}")
                for stem in stems
            ),
            start=literal(0),
        )
        return [fields.desc(), hits.desc()]

    async def complete_finished(self, *, now: datetime, limit: int) -> list[Event]:
        # A CTE, not an IN-subquery: PostgreSQL may run a subquery once per outer row, and
        # each run would lock (and the update then take) another LIMIT of rows.
        due = (
            select(events.c.id)
            .where(events.c.status == EventStatus.PUBLISHED.value, events.c.date_end < now)
            .order_by(events.c.date_end, events.c.id)
            .limit(limit)
            # Rows that a concurrent sweep (or an edit) holds are left to it.
            .with_for_update(skip_locked=True)
            .cte("due")
        )
        statement = (
            update(events)
            .where(events.c.id.in_(select(due.c.id)), events.c.status == EventStatus.PUBLISHED.value)
            .values(status=EventStatus.COMPLETED.value, completed_at=now, updated_at=now)
            .returning(*EVENT_COLUMNS)
        )
        rows = (await self._connection.execute(statement)).mappings().all()
        return sorted((event_from_row(row) for row in rows), key=lambda e: (e.date_end, e.id))
