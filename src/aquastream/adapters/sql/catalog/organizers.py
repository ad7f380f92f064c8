"""Organizers, their team and FAQ in SQL, and the question of who manages an organizer that
the catalog answers for other domains."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Mapping
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    ColumnElement,
    Executable,
    RowMapping,
    Select,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from aquastream.adapters.sql.errors import violated_unique
from aquastream.adapters.sql.paging import fetch_page, in_order
from aquastream.adapters.sql.reads import StandaloneReads
from aquastream.adapters.sql.tables.catalog import (
    ORGANIZERS_SLUG_UNIQUE,
    TEAM_MEMBERS_ACCOUNT_UNIQUE,
    events,
    faq_items,
    organizers,
    team_members,
)
from aquastream.adapters.sql.uow import SqlRepository, SqlUnitOfWork
from aquastream.domain.catalog.access import can_manage
from aquastream.domain.catalog.errors import OrganizerSlugTaken, TeamAccountTaken
from aquastream.domain.catalog.model import (
    Contacts,
    FaqItem,
    Organizer,
    TeamMember,
    organizer_search_text,
    text_terms,
)
from aquastream.domain.catalog.ordering import ORGANIZERS_BY_SLUG, OrganizerSortKey
from aquastream.domain.shared.errors import DomainError
from aquastream.domain.shared.paging import Page, PageRequest
from aquastream.domain.shared.principal import Principal, Role
from aquastream.domain.shared.sorting import Sort
from aquastream.ports.crews import CrewEvent

Item = TypeVar("Item", TeamMember, FaqItem)


def contains_every_term(column: Any, text: str) -> ColumnElement[bool]:
    """Every word of ``text`` occurs in ``column`` (which holds case-folded text)."""
    return and_(*(column.like(f"%{_escape_like(term)}%", escape="\\") for term in text_terms(text)))


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _organizer_from_row(row: RowMapping) -> Organizer:
    return Organizer(
        id=row["id"],
        slug=row["slug"],
        name=row["name"],
        owner_user_id=row["owner_user_id"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        description=row["description"],
        logo_media_id=row["logo_media_id"],
        logo_url=row["logo_url"],
        contacts=Contacts(
            email=row["contact_email"],
            phone=row["contact_phone"],
            telegram=row["contact_telegram"],
            website=row["website"],
        ),
        brand_color=row["brand_color"],
    )


def _organizer_values(organizer: Organizer) -> dict[str, Any]:
    return {
        "id": organizer.id,
        "slug": organizer.slug,
        "name": organizer.name,
        "description": organizer.description,
        "logo_media_id": organizer.logo_media_id,
        "logo_url": organizer.logo_url,
        "contact_email": organizer.contacts.email,
        "contact_phone": organizer.contacts.phone,
        "contact_telegram": organizer.contacts.telegram,
        "website": organizer.contacts.website,
        "brand_color": organizer.brand_color,
        "owner_user_id": organizer.owner_user_id,
        "search_text": organizer_search_text(organizer),
        "created_at": organizer.created_at,
        "updated_at": organizer.updated_at,
    }


async def _write_unique(
    connection: AsyncConnection, statement: Executable, table: Table, unique: str, refusal: type[DomainError]
) -> None:
    """Run ``statement``; a violation of ``table``'s constraint ``unique`` raises ``refusal``."""
    try:
        # A savepoint keeps the transaction usable after the refusal.
        async with connection.begin_nested():
            await connection.execute(statement)
    except IntegrityError as error:
        if violated_unique(error, table) == unique:
            raise refusal() from None
        raise


# Built once with bound parameters (see EVENT_BY_ID in ``events``: no cache key per call).
ORGANIZER_BY_ID = select(organizers).where(organizers.c.id == bindparam("key"))
ORGANIZER_BY_SLUG = select(organizers).where(organizers.c.slug == bindparam("key"))
ORGANIZERS_BY_IDS = select(organizers).where(organizers.c.id.in_(bindparam("ids", expanding=True)))


ORGANIZER_SORT_KEYS: Mapping[OrganizerSortKey, ColumnElement[Any]] = {
    OrganizerSortKey.SLUG: organizers.c.slug,
    OrganizerSortKey.CREATED_AT: organizers.c.created_at,
}


class SqlOrganizerRepository(SqlRepository):
    async def add(self, organizer: Organizer) -> None:
        await self._write(insert(organizers).values(_organizer_values(organizer)))

    async def save(self, organizer: Organizer) -> None:
        statement = update(organizers).where(organizers.c.id == organizer.id)
        await self._write(statement.values(_organizer_values(organizer)))

    async def _write(self, statement: Executable) -> None:
        await _write_unique(
            self._connection, statement, organizers, ORGANIZERS_SLUG_UNIQUE, OrganizerSlugTaken
        )

    async def _one(self, query: Select[Any], key: object) -> Organizer | None:
        row = (await self._connection.execute(query, {"key": key})).mappings().first()
        return _organizer_from_row(row) if row else None

    async def get(self, organizer_id: uuid.UUID) -> Organizer | None:
        return await self._one(ORGANIZER_BY_ID, organizer_id)

    async def get_by_slug(self, slug: str) -> Organizer | None:
        return await self._one(ORGANIZER_BY_SLUG, slug)

    async def get_many(self, organizer_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, Organizer]:
        if not organizer_ids:
            return {}
        rows = await self._connection.execute(ORGANIZERS_BY_IDS, {"ids": list(set(organizer_ids))})
        return {row["id"]: _organizer_from_row(row) for row in rows.mappings()}

    async def search(
        self,
        paging: PageRequest,
        *,
        text: str | None = None,
        owner_user_id: uuid.UUID | None = None,
        sort: Sort[OrganizerSortKey] = ORGANIZERS_BY_SLUG,
    ) -> Page[Organizer]:
        key = ORGANIZER_SORT_KEYS[sort.key]
        query = in_order(select(organizers), key, organizers.c.id, descending=sort.descending)
        if text:
            query = query.where(contains_every_term(organizers.c.search_text, text))
        if owner_user_id is not None:
            query = query.where(organizers.c.owner_user_id == owner_user_id)
        return await fetch_page(self._connection, query, paging, _organizer_from_row)


def _member_from_row(row: RowMapping) -> TeamMember:
    return TeamMember(
        id=row["id"],
        organizer_id=row["organizer_id"],
        name=row["name"],
        sort_order=row["sort_order"],
        role=row["role"],
        photo_url=row["photo_url"],
        bio=row["bio"],
        user_id=row["user_id"],
    )


def _member_values(member: TeamMember) -> dict[str, Any]:
    # No ``user_id``: only ``link_account`` writes it (see ``TeamRepository.save``).
    return {
        "id": member.id,
        "organizer_id": member.organizer_id,
        "name": member.name,
        "role": member.role,
        "photo_url": member.photo_url,
        "bio": member.bio,
        "sort_order": member.sort_order,
    }


def _faq_from_row(row: RowMapping) -> FaqItem:
    return FaqItem(
        id=row["id"],
        organizer_id=row["organizer_id"],
        question=row["question"],
        answer=row["answer"],
        sort_order=row["sort_order"],
    )


def _faq_values(item: FaqItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "organizer_id": item.organizer_id,
        "question": item.question,
        "answer": item.answer,
        "sort_order": item.sort_order,
    }


class _OrderedRepository(SqlRepository, Generic[Item]):
    """Team members and FAQ items: rows of one organizer in ``sort_order``."""

    def __init__(
        self,
        uow: SqlUnitOfWork,
        table: Table,
        from_row: Callable[[RowMapping], Item],
        values: Callable[[Item], dict[str, Any]],
    ) -> None:
        super().__init__(uow)
        self._table = table
        self._from_row: Callable[[RowMapping], Item] = from_row
        self._values: Callable[[Item], dict[str, Any]] = values

    async def add(self, item: Item) -> None:
        await self._connection.execute(insert(self._table).values(self._values(item)))

    async def save(self, item: Item) -> None:
        await self._connection.execute(
            update(self._table).where(self._table.c.id == item.id).values(self._values(item))
        )

    async def delete(self, item_id: uuid.UUID) -> bool:
        result = await self._connection.execute(delete(self._table).where(self._table.c.id == item_id))
        return bool(result.rowcount)

    async def get(self, item_id: uuid.UUID) -> Item | None:
        query = select(self._table).where(self._table.c.id == item_id)
        row = (await self._connection.execute(query)).mappings().first()
        return self._from_row(row) if row else None

    async def list_for_organizer(self, organizer_id: uuid.UUID) -> list[Item]:
        query = (
            select(self._table)
            .where(self._table.c.organizer_id == organizer_id)
            .order_by(self._table.c.sort_order, self._table.c.id)
        )
        return [self._from_row(row) for row in (await self._connection.execute(query)).mappings()]

    async def next_sort_order(self, organizer_id: uuid.UUID) -> int:
        query = select(func.max(self._table.c.sort_order)).where(self._table.c.organizer_id == organizer_id)
        highest = await self._connection.scalar(query)
        return 0 if highest is None else int(highest) + 1


class SqlTeamRepository(_OrderedRepository[TeamMember]):
    def __init__(self, uow: SqlUnitOfWork) -> None:
        super().__init__(uow, team_members, _member_from_row, _member_values)

    async def link_account(self, member_id: uuid.UUID, user_id: uuid.UUID | None) -> None:
        statement = update(team_members).where(team_members.c.id == member_id).values(user_id=user_id)
        await _write_unique(
            self._connection, statement, team_members, TEAM_MEMBERS_ACCOUNT_UNIQUE, TeamAccountTaken
        )

    async def linked_to(self, user_id: uuid.UUID) -> list[TeamMember]:
        query = (
            select(team_members)
            .where(team_members.c.user_id == user_id)
            .order_by(team_members.c.organizer_id, team_members.c.id)
        )
        return [_member_from_row(row) for row in (await self._connection.execute(query)).mappings()]

    async def unlink_everywhere(self, user_id: uuid.UUID) -> int:
        statement = update(team_members).where(team_members.c.user_id == user_id).values(user_id=None)
        result = await self._connection.execute(statement)
        return int(result.rowcount)


class SqlFaqRepository(_OrderedRepository[FaqItem]):
    def __init__(self, uow: SqlUnitOfWork) -> None:
        super().__init__(uow, faq_items, _faq_from_row, _faq_values)


class CatalogOrganizerAccess:
    """Booking's ``OrganizerAccess``, served by the catalog on a connection of its own engine
    (never the asking domain's transaction), so only the catalog's table is read and the
    catalog may live in a schema, or a database, the asking domain cannot see. It reads
    outside any transaction: on SQLite (WAL) such a reader does not wait for booking's writer."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._reads = StandaloneReads(engine)

    async def can_manage(self, principal: Principal, organizer_id: uuid.UUID) -> bool:
        # Only an ORGANIZER's answer depends on the table (``can_manage``): the others cost no
        # connection, which the asker, holding its own, would otherwise wait for.
        if principal.is_admin or principal.role is not Role.ORGANIZER:
            return principal.is_admin
        rows = await self._reads.rows(select(organizers).where(organizers.c.id == organizer_id))
        return bool(rows) and can_manage(principal, _organizer_from_row(rows[0]._mapping))


# The statuses in which an event's crews may still change.
OPEN_EVENT_STATUSES = ("DRAFT", "PUBLISHED")


class CatalogCrewEvents(CatalogOrganizerAccess):
    """Crews' ``CrewEvents``, served by the catalog on its own engine like ``OrganizerAccess``:
    an event's organizer and whether it is still open (a draft or published), and who manages
    the organizer."""

    async def get(self, event_id: uuid.UUID) -> CrewEvent | None:
        query = select(events.c.id, events.c.organizer_id, events.c.status).where(events.c.id == event_id)
        rows = await self._reads.rows(query)
        if not rows:
            return None
        row = rows[0]
        return CrewEvent(row.id, row.organizer_id, row.status in OPEN_EVENT_STATUSES)


class CatalogOrganizerDirectory(CatalogOrganizerAccess):
    """Payments' ``OrganizerDirectory``, served by the catalog on its own engine like
    ``OrganizerAccess``: besides ``can_manage``, the organizers a caller manages and the id of
    an organizer by its slug."""

    async def managed_by(self, principal: Principal) -> Collection[uuid.UUID]:
        # Only an ORGANIZER owns organizers (admins manage all, and are asked separately): the
        # others cost no connection.
        if principal.role is not Role.ORGANIZER:
            return set()
        query = select(organizers.c.id).where(organizers.c.owner_user_id == principal.user_id)
        rows = await self._reads.rows(query)
        return {row.id for row in rows}

    async def id_of(self, slug: str) -> uuid.UUID | None:
        rows = await self._reads.rows(select(organizers.c.id).where(organizers.c.slug == slug))
        return rows[0].id if rows else None
