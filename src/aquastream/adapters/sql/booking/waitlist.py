"""The FIFO waitlist and its audit in SQL."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, case, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from aquastream.adapters.sql.booking.rows import LIVE, audit_entry_from_row, entry_from_row
from aquastream.adapters.sql.errors import violated_unique
from aquastream.adapters.sql.paging import fetch_page
from aquastream.adapters.sql.statements import insert_rows, one_of
from aquastream.adapters.sql.tables.booking import WAITLIST_LIVE_UNIQUE, waitlist_audit, waitlist_entries
from aquastream.adapters.sql.uow import SqlRepository
from aquastream.domain.booking.errors import WaitlistDuplicate
from aquastream.domain.booking.model import WaitlistAuditEntry, WaitlistEntry, WaitlistStatus
from aquastream.domain.shared.paging import Page, PageRequest


class SqlWaitlistRepository(SqlRepository):
    async def _changed(self, entry_id: uuid.UUID, *guards: ColumnElement[bool], **values: Any) -> bool:
        statement = (
            update(waitlist_entries).where(waitlist_entries.c.id == entry_id, *guards).values(**values)
        )
        return (await self._connection.execute(statement)).rowcount == 1

    async def _one(self, statement: Any) -> WaitlistEntry | None:
        row = (await self._connection.execute(statement)).mappings().first()
        return entry_from_row(row) if row else None

    async def add(self, entry: WaitlistEntry) -> None:
        try:
            await self._connection.execute(
                insert(waitlist_entries).values(
                    id=entry.id,
                    event_id=entry.event_id,
                    user_id=entry.user_id,
                    position=entry.position,
                    status=entry.status.value,
                    joined_at=entry.joined_at,
                    notified_at=entry.notified_at,
                    window_expires_at=entry.window_expires_at,
                    party_size=entry.party_size,
                )
            )
        except IntegrityError as error:
            if violated_unique(error, waitlist_entries) == WAITLIST_LIVE_UNIQUE:
                raise WaitlistDuplicate() from None
            raise

    async def get(self, entry_id: uuid.UUID) -> WaitlistEntry | None:
        return await self._one(select(waitlist_entries).where(waitlist_entries.c.id == entry_id))

    async def live_entry(self, event_id: uuid.UUID, user_id: uuid.UUID) -> WaitlistEntry | None:
        c = waitlist_entries.c
        return await self._one(
            select(waitlist_entries).where(c.event_id == event_id, c.user_id == user_id, c.status.in_(LIVE))
        )

    async def largest_waiting_party(self, event_id: uuid.UUID) -> int:
        c = waitlist_entries.c
        largest = await self._connection.scalar(
            select(func.coalesce(func.max(c.party_size), 0)).where(
                c.event_id == event_id, c.status == WaitlistStatus.WAITING.value
            )
        )
        return int(largest or 0)

    async def waiting_heads(self, limits: Mapping[uuid.UUID, int]) -> dict[uuid.UUID, list[WaitlistEntry]]:
        wanted = {event_id: limit for event_id, limit in limits.items() if limit > 0}
        if not wanted:
            return {}
        c = waitlist_entries.c
        rank = func.row_number().over(partition_by=c.event_id, order_by=c.position).label("queue_rank")
        ranked = (
            select(waitlist_entries, rank)
            .where(
                one_of(self._connection, c.event_id, sorted(wanted)), c.status == WaitlistStatus.WAITING.value
            )
            .subquery()
        )
        query = (
            select(*(ranked.c[column.name] for column in waitlist_entries.c))
            .where(ranked.c.queue_rank <= max(wanted.values()))
            .order_by(ranked.c.event_id, ranked.c.position)
        )
        heads: dict[uuid.UUID, list[WaitlistEntry]] = {}
        for row in (await self._connection.execute(query)).mappings():
            queue = heads.setdefault(row["event_id"], [])
            if len(queue) < wanted[row["event_id"]]:
                queue.append(entry_from_row(row))
        return heads

    async def notify(
        self, entry_ids: Collection[uuid.UUID], *, now: datetime, window_expires_at: datetime
    ) -> int:
        if not entry_ids:
            return 0
        c = waitlist_entries.c
        statement = (
            update(waitlist_entries)
            .where(one_of(self._connection, c.id, entry_ids), c.status == WaitlistStatus.WAITING.value)
            .values(
                status=WaitlistStatus.NOTIFIED.value, notified_at=now, window_expires_at=window_expires_at
            )
        )
        return int((await self._connection.execute(statement)).rowcount)

    async def convert(self, entry_id: uuid.UUID, *, now: datetime) -> bool:
        c = waitlist_entries.c
        return await self._changed(
            entry_id,
            c.status == WaitlistStatus.NOTIFIED.value,
            c.window_expires_at > now,
            status=WaitlistStatus.CONVERTED.value,
        )

    async def remove(self, entry_id: uuid.UUID, *, expected: WaitlistStatus) -> bool:
        return await self._changed(
            entry_id, waitlist_entries.c.status == expected.value, status=WaitlistStatus.REMOVED.value
        )

    async def expire_lapsed(self, entry_id: uuid.UUID, *, now: datetime) -> bool:
        c = waitlist_entries.c
        return await self._changed(
            entry_id,
            c.status == WaitlistStatus.NOTIFIED.value,
            c.window_expires_at <= now,
            status=WaitlistStatus.EXPIRED.value,
        )

    async def lapsed(self, *, now: datetime, limit: int) -> list[WaitlistEntry]:
        c = waitlist_entries.c
        query = (
            select(waitlist_entries)
            .where(c.status == WaitlistStatus.NOTIFIED.value, c.window_expires_at <= now)
            .order_by(c.window_expires_at, c.id)
            .limit(limit)
        )
        return [entry_from_row(row) for row in (await self._connection.execute(query)).mappings()]

    async def close_all(self, event_id: uuid.UUID) -> list[WaitlistEntry]:
        c = waitlist_entries.c
        statement = (
            update(waitlist_entries)
            .where(c.event_id == event_id, c.status.in_(LIVE))
            .values(
                status=case(
                    (c.status == WaitlistStatus.NOTIFIED.value, WaitlistStatus.EXPIRED.value),
                    else_=WaitlistStatus.REMOVED.value,
                )
            )
            .returning(waitlist_entries)
        )
        rows = (await self._connection.execute(statement)).mappings().all()
        return sorted((entry_from_row(row) for row in rows), key=lambda e: e.position)

    async def place(self, entry: WaitlistEntry) -> int:
        c = waitlist_entries.c
        query = (
            select(func.count())
            .select_from(waitlist_entries)
            .where(c.event_id == entry.event_id, c.status.in_(LIVE), c.position <= entry.position)
        )
        return int(await self._connection.scalar(query) or 0)

    async def live_for_user(self, user_id: uuid.UUID, paging: PageRequest) -> Page[WaitlistEntry]:
        c = waitlist_entries.c
        query = (
            select(waitlist_entries)
            .where(c.user_id == user_id, c.status.in_(LIVE))
            .order_by(c.joined_at, c.id)
        )
        return await fetch_page(self._connection, query, paging, entry_from_row)


class SqlWaitlistAudit(SqlRepository):
    async def add(self, *entries: WaitlistAuditEntry) -> None:
        await insert_rows(
            self._connection,
            waitlist_audit,
            [
                {
                    "id": e.id,
                    "entry_id": e.entry_id,
                    "event_id": e.event_id,
                    "user_id": e.user_id,
                    "action": e.action.value,
                    "created_at": e.created_at,
                    "actor_id": e.actor_id,
                }
                for e in entries
            ],
        )

    async def list_for_event(self, event_id: uuid.UUID) -> list[WaitlistAuditEntry]:
        query = (
            select(waitlist_audit)
            .where(waitlist_audit.c.event_id == event_id)
            .order_by(waitlist_audit.c.created_at, waitlist_audit.c.id)
        )
        return [audit_entry_from_row(row) for row in (await self._connection.execute(query)).mappings()]
