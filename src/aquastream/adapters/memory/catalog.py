"""In-memory catalog repositories, unit of work and organizer access.

Event text search follows ``aquastream.adapters.text_search``, as on SQLite: the stems of
the query's words begin stems of the event's, ordered by ``document_score``. Organizer
search is the embedded fallback: every word of the query must occur, as a
case-insensitive substring, in the organizer's text, as on SQLite.
"""

from __future__ import annotations

import copy
import dataclasses
import uuid
from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import datetime
from typing import Any, Generic, TypeVar

from aquastream.adapters.memory.database import MemoryDatabase, MemoryUnitOfWork
from aquastream.adapters.text_search import document_matches, document_score, event_document, query_stems
from aquastream.domain.catalog.access import can_manage
from aquastream.domain.catalog.errors import OrganizerSlugTaken, TeamAccountTaken
from aquastream.domain.catalog.model import (
    CalendarFeed,
    Event,
    EventSearch,
    EventStatus,
    FaqItem,
    Favorite,
    Organizer,
    TeamMember,
    city_key,
    organizer_search_text,
    text_terms,
)
from aquastream.domain.catalog.ordering import (
    FAVORITES_BY_EVENT_KEY,
    NEWEST_FAVORITES,
    ORGANIZERS_BY_SLUG,
    EventSortKey,
    FavoriteSortKey,
    OrganizerSortKey,
)
from aquastream.domain.shared.paging import Page, PageRequest
from aquastream.domain.shared.principal import Principal
from aquastream.domain.shared.sorting import Sort
from aquastream.ports.booking import OrganizerName
from aquastream.ports.catalog import SeatInventory

T = TypeVar("T")
Item = TypeVar("Item", TeamMember, FaqItem)


def _page(items: list[T], paging: PageRequest) -> Page[T]:
    chosen = [copy.deepcopy(item) for item in items[paging.offset : paging.offset + paging.size]]
    return Page(chosen, len(items), paging.page, paging.size)


def _matches_text(haystack: str, text: str | None) -> bool:
    return text is None or all(term in haystack for term in text_terms(text))


# What each ``sort`` orders by (as the SQL adapters do: a free event's price counts as 0).
_EVENT_SORT_KEYS: Mapping[EventSortKey, Callable[[Event], Any]] = {
    EventSortKey.DATE_START: lambda event: event.date_start,
    EventSortKey.PRICE: lambda event: event.price or 0,
}
_ORGANIZER_SORT_KEYS: Mapping[OrganizerSortKey, Callable[[Organizer], Any]] = {
    OrganizerSortKey.SLUG: lambda organizer: organizer.slug,
    OrganizerSortKey.CREATED_AT: lambda organizer: organizer.created_at,
}


class _Repository:
    table_name: str

    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    @property
    def _rows(self) -> dict[Any, Any]:
        return self._db.table(self.table_name)


class MemoryOrganizerRepository(_Repository):
    table_name = "catalog.organizers"

    def _check_slug_free(self, organizer: Organizer) -> None:
        if any(row.slug == organizer.slug and row.id != organizer.id for row in self._rows.values()):
            raise OrganizerSlugTaken()

    async def add(self, organizer: Organizer) -> None:
        self._check_slug_free(organizer)
        self._rows[organizer.id] = copy.deepcopy(organizer)

    async def save(self, organizer: Organizer) -> None:
        self._check_slug_free(organizer)
        self._rows[organizer.id] = copy.deepcopy(organizer)

    async def get(self, organizer_id: uuid.UUID) -> Organizer | None:
        return copy.deepcopy(self._rows.get(organizer_id))

    async def get_by_slug(self, slug: str) -> Organizer | None:
        return next((copy.deepcopy(row) for row in self._rows.values() if row.slug == slug), None)

    async def get_many(self, organizer_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, Organizer]:
        return {i: copy.deepcopy(self._rows[i]) for i in set(organizer_ids) if i in self._rows}

    async def search(
        self,
        paging: PageRequest,
        *,
        text: str | None = None,
        owner_user_id: uuid.UUID | None = None,
        sort: Sort[OrganizerSortKey] = ORGANIZERS_BY_SLUG,
    ) -> Page[Organizer]:
        matches = [
            row
            for row in self._rows.values()
            if (owner_user_id is None or row.owner_user_id == owner_user_id)
            and _matches_text(organizer_search_text(row), text)
        ]
        key = _ORGANIZER_SORT_KEYS[sort.key]
        matches.sort(key=lambda row: (key(row), row.id), reverse=sort.descending)
        return _page(matches, paging)


class _OrderedRepository(_Repository, Generic[Item]):
    """Team members and FAQ items: rows of one organizer in ``sort_order``."""

    async def add(self, item: Item) -> None:
        self._rows[item.id] = copy.deepcopy(item)

    async def save(self, item: Item) -> None:
        self._rows[item.id] = copy.deepcopy(item)

    async def delete(self, item_id: uuid.UUID) -> bool:
        return self._rows.pop(item_id, None) is not None

    async def get(self, item_id: uuid.UUID) -> Item | None:
        row: Item | None = self._rows.get(item_id)
        return copy.deepcopy(row)

    async def list_for_organizer(self, organizer_id: uuid.UUID) -> list[Item]:
        rows: list[Item] = [row for row in self._rows.values() if row.organizer_id == organizer_id]
        return [copy.deepcopy(row) for row in sorted(rows, key=lambda row: (row.sort_order, row.id))]

    async def next_sort_order(self, organizer_id: uuid.UUID) -> int:
        orders = [row.sort_order for row in self._rows.values() if row.organizer_id == organizer_id]
        return max(orders, default=-1) + 1


class MemoryTeamRepository(_OrderedRepository[TeamMember]):
    table_name = "catalog.team_members"

    async def add(self, item: TeamMember) -> None:
        self._rows[item.id] = dataclasses.replace(item, user_id=None)

    async def save(self, item: TeamMember) -> None:
        # As the SQL twin: the linked account is written by ``link_account`` only.
        stored: TeamMember | None = self._rows.get(item.id)
        self._rows[item.id] = dataclasses.replace(item, user_id=stored.user_id if stored else None)

    async def link_account(self, member_id: uuid.UUID, user_id: uuid.UUID | None) -> None:
        member: TeamMember | None = self._rows.get(member_id)
        if member is None:
            return
        if user_id is not None and any(
            row.organizer_id == member.organizer_id and row.user_id == user_id and row.id != member_id
            for row in self._rows.values()
        ):
            raise TeamAccountTaken()
        self._rows[member_id] = dataclasses.replace(member, user_id=user_id)

    async def linked_to(self, user_id: uuid.UUID) -> list[TeamMember]:
        linked = [row for row in self._rows.values() if row.user_id == user_id]
        return [copy.deepcopy(row) for row in sorted(linked, key=lambda row: (row.organizer_id, row.id))]

    async def unlink_everywhere(self, user_id: uuid.UUID) -> int:
        linked = [row for row in self._rows.values() if row.user_id == user_id]
        for row in linked:
            self._rows[row.id] = dataclasses.replace(row, user_id=None)
        return len(linked)


class MemoryFaqRepository(_OrderedRepository[FaqItem]):
    table_name = "catalog.faq_items"


class MemoryEventRepository(_Repository):
    table_name = "catalog.events"

    async def add(self, event: Event) -> None:
        self._rows[event.id] = copy.deepcopy(event)

    async def save(self, event: Event) -> None:
        self._rows[event.id] = copy.deepcopy(event)

    async def get(self, event_id: uuid.UUID, *, for_update: bool = False) -> Event | None:
        # One transaction at a time holds the memory database: every read is "for update".
        return copy.deepcopy(self._rows.get(event_id))

    async def get_many(self, event_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, Event]:
        return {i: copy.deepcopy(self._rows[i]) for i in set(event_ids) if i in self._rows}

    async def search(self, search: EventSearch, paging: PageRequest) -> Page[Event]:
        matches = [event for event in self._rows.values() if _event_matches(event, search)]
        if search.has_free_seats:
            matches = [e for e in matches if e.id not in search.sold_out]
        if search.sort is None:  # by start, and with a text by relevance first
            matches.sort(key=lambda event: (event.date_start, event.id))
            if search.text:
                query = query_stems(search.text)
                # Stable: equal scores keep the order by start.
                matches.sort(key=lambda event: document_score(_document(event), query), reverse=True)
        else:
            key = _EVENT_SORT_KEYS[search.sort.key]
            matches.sort(key=lambda event: (key(event), event.id), reverse=search.sort.descending)
        return _page(matches, paging)

    async def complete_finished(self, *, now: datetime, limit: int) -> list[Event]:
        due = sorted(
            (e for e in self._rows.values() if e.status is EventStatus.PUBLISHED and e.date_end < now),
            key=lambda event: (event.date_end, event.id),
        )[:limit]
        for event in due:
            event.status = EventStatus.COMPLETED
            event.completed_at = now
            event.updated_at = now
        return [copy.deepcopy(event) for event in due]


def _event_matches(event: Event, search: EventSearch) -> bool:
    price = event.price or 0
    conditions: Iterable[Callable[[], bool]] = (
        lambda: event.status in search.statuses,
        lambda: search.starts_after is None or event.date_start > search.starts_after,
        lambda: search.organizer_id is None or event.organizer_id == search.organizer_id,
        lambda: not search.types or event.type in search.types,
        lambda: not search.tags or bool(search.tags.intersection(event.tags)),
        lambda: search.price_min is None or price >= search.price_min,
        lambda: search.price_max is None or price <= search.price_max,
        lambda: search.date_from is None or event.date_start >= search.date_from,
        lambda: search.date_to is None or event.date_start <= search.date_to,
        lambda: search.city is None or city_key(event.location.city) == search.city,
        lambda: not search.text or document_matches(_document(event), query_stems(search.text)),
    )
    return all(condition() for condition in conditions)


def _document(event: Event) -> str:
    return event_document(event.title, event.description, event.tags)


class MemoryFavoriteRepository(_Repository):
    table_name = "catalog.favorites"

    async def add(self, favorite: Favorite) -> bool:
        key = (favorite.user_id, favorite.event_id)
        if key in self._rows:
            return False
        self._rows[key] = copy.copy(favorite)
        return True

    async def remove(self, user_id: uuid.UUID, event_id: uuid.UUID) -> bool:
        return self._rows.pop((user_id, event_id), None) is not None

    async def list_for_user(
        self, user_id: uuid.UUID, paging: PageRequest, sort: Sort[FavoriteSortKey] = NEWEST_FAVORITES
    ) -> Page[Favorite]:
        mine = [row for row in self._rows.values() if row.user_id == user_id]
        event_key = FAVORITES_BY_EVENT_KEY.get(sort.key)
        if event_key is None:
            mine.sort(key=lambda row: (row.created_at, row.event_id), reverse=sort.descending)
        else:
            events: dict[uuid.UUID, Event] = self._db.table(MemoryEventRepository.table_name)
            key = _EVENT_SORT_KEYS[event_key]
            mine = [row for row in mine if row.event_id in events]
            mine.sort(key=lambda row: (key(events[row.event_id]), row.event_id), reverse=sort.descending)
        return _page(mine, paging)

    async def counts(self, event_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, int]:
        wanted = set(event_ids)
        counts: dict[uuid.UUID, int] = {}
        for row in self._rows.values():
            if row.event_id in wanted:
                counts[row.event_id] = counts.get(row.event_id, 0) + 1
        return counts

    async def favorited_by(self, user_id: uuid.UUID, event_ids: Collection[uuid.UUID]) -> set[uuid.UUID]:
        return {event_id for event_id in event_ids if (user_id, event_id) in self._rows}


class MemoryCalendarFeedRepository(_Repository):
    table_name = "catalog.calendar_feeds"

    async def get(self, user_id: uuid.UUID) -> CalendarFeed | None:
        return copy.copy(self._rows.get(user_id))

    async def put(self, feed: CalendarFeed) -> None:
        self._rows[feed.user_id] = copy.copy(feed)

    async def find_live(self, token_hash: str) -> CalendarFeed | None:
        return next(
            (copy.copy(f) for f in self._rows.values() if f.token_hash == token_hash and f.is_live), None
        )


class MemoryCatalogUnitOfWork(MemoryUnitOfWork):
    domain = "catalog"

    """``seats`` is the port booking serves for its seats: it keeps transactions of its own,
    outside this unit of work (see ``ports.catalog``)."""

    def __init__(self, db: MemoryDatabase, seats: SeatInventory) -> None:
        super().__init__(db)
        self.organizers = MemoryOrganizerRepository(db)
        self.team = MemoryTeamRepository(db)
        self.faq = MemoryFaqRepository(db)
        self.events = MemoryEventRepository(db)
        self.favorites = MemoryFavoriteRepository(db)
        self.feeds = MemoryCalendarFeedRepository(db)
        self.seats = seats


class MemoryCatalogOrganizerAccess:
    """Booking's question "may this caller manage the organizer's events?", answered from
    the catalog's memory table.

    It reads without taking the database lock: booking asks from inside its own unit of
    work, which already holds that (non-reentrant) lock, and one dictionary read cannot
    see a half-made change.
    """

    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def can_manage(self, principal: Principal, organizer_id: uuid.UUID) -> bool:
        organizer = self._db.table(MemoryOrganizerRepository.table_name).get(organizer_id)
        return organizer is not None and can_manage(principal, organizer)


class MemoryCatalogOrganizerNames:
    """Booking's ``OrganizerNames`` over the catalog's memory table (the SQL twin is
    ``CatalogOrganizerNames``); it reads without the lock, as ``MemoryCatalogOrganizerAccess``."""

    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def names(self, organizer_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, OrganizerName]:
        table = self._db.table(MemoryOrganizerRepository.table_name)
        found = (table.get(organizer_id) for organizer_id in organizer_ids)
        return {o.id: OrganizerName(o.id, o.slug, o.name) for o in found if o is not None}
