"""The users' inbox in SQL.

Writing is ``INSERT … ON CONFLICT DO NOTHING`` on the (category, subject, user) key, as the
outbox of messages does. Marks are single ``UPDATE`` statements that the database makes
atomic: marking one entry keeps its first ``read_at`` (``COALESCE``), marking all touches only
the unread ones, and the unread count is a count over the partial index of unread entries,
never a stored counter, so concurrent marks cannot make it drift.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import RowMapping, delete, func, select, update

from aquastream.adapters.sql.notifications.messages import insert_once
from aquastream.adapters.sql.paging import fetch_page
from aquastream.adapters.sql.tables.notifications import UNREAD_ENTRY, inbox
from aquastream.adapters.sql.uow import SqlRepository
from aquastream.domain.notifications.model import Category, InboxEntry, Language
from aquastream.domain.shared.paging import Page, PageRequest

_NEWEST_FIRST = (inbox.c.created_at.desc(), inbox.c.id.desc())


def entry_from_row(row: RowMapping) -> InboxEntry:
    return InboxEntry(
        id=row["id"],
        user_id=row["user_id"],
        category=Category(row["category"]),
        subject=row["subject"],
        template=row["template"],
        language=Language(row["language"]),
        title=row["title"],
        body=row["body"],
        created_at=row["created_at"],
        event_id=row["event_id"],
        booking_id=row["booking_id"],
        read_at=row["read_at"],
    )


class SqlInboxRepository(SqlRepository):
    async def add_new(self, entries: Sequence[InboxEntry]) -> list[InboxEntry]:
        return await insert_once(self._connection, inbox, entries)

    async def users_told(self, category: Category, subject: str) -> set[uuid.UUID]:
        query = select(inbox.c.user_id).where(inbox.c.category == category, inbox.c.subject == subject)
        return set((await self._connection.scalars(query)).all())

    async def page_for_user(self, user_id: uuid.UUID, paging: PageRequest) -> Page[InboxEntry]:
        query = select(inbox).where(inbox.c.user_id == user_id).order_by(*_NEWEST_FIRST)
        return await fetch_page(self._connection, query, paging, entry_from_row)

    async def unread_count(self, user_id: uuid.UUID) -> int:
        query = select(func.count()).select_from(inbox).where(inbox.c.user_id == user_id, UNREAD_ENTRY)
        return int(await self._connection.scalar(query) or 0)

    async def mark_read(self, user_id: uuid.UUID, entry_id: uuid.UUID, *, now: datetime) -> InboxEntry | None:
        statement = (
            update(inbox)
            .where(inbox.c.id == entry_id, inbox.c.user_id == user_id)
            .values(read_at=func.coalesce(inbox.c.read_at, now))
            .returning(*inbox.c)
        )
        row = (await self._connection.execute(statement)).mappings().first()
        return entry_from_row(row) if row else None

    async def mark_all_read(self, user_id: uuid.UUID, *, now: datetime) -> int:
        result = await self._connection.execute(
            update(inbox).where(inbox.c.user_id == user_id, UNREAD_ENTRY).values(read_at=now)
        )
        return int(result.rowcount or 0)

    async def list_for_user(self, user_id: uuid.UUID) -> list[InboxEntry]:
        query = select(inbox).where(inbox.c.user_id == user_id).order_by(*_NEWEST_FIRST)
        return [entry_from_row(row) for row in (await self._connection.execute(query)).mappings()]

    async def prune(self, *, before: datetime, limit: int) -> int:
        oldest = (
            select(inbox.c.id)
            .where(inbox.c.created_at < before)
            .order_by(inbox.c.created_at, inbox.c.id)
            .limit(limit)
        )
        return await self._delete(delete(inbox).where(inbox.c.id.in_(oldest)))

    async def delete_for_user(self, user_id: uuid.UUID) -> int:
        return await self._delete(delete(inbox).where(inbox.c.user_id == user_id))
