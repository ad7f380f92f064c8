"""The outbox as the dispatcher drains it, and the leases of periodic jobs, in SQL.

Each method runs in its own short transaction on the engine. Claiming is one statement:
on PostgreSQL the rows are picked with ``FOR UPDATE SKIP LOCKED``, so concurrent
dispatchers take disjoint batches without waiting for each other; SQLite has no row
locks and lets one writer in at a time, so the same statement without the lock clause
is already exclusive.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.sql.tables.infra import PENDING, job_leases, outbox
from aquastream.ports.outbox import OutboxMessage


class SqlOutboxStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def claim(self, *, now: datetime, limit: int, lease: timedelta) -> Sequence[OutboxMessage]:
        due = (
            select(outbox.c.id)
            .where(
                PENDING,
                outbox.c.available_at <= now,
                or_(outbox.c.locked_until.is_(None), outbox.c.locked_until <= now),
            )
            .order_by(outbox.c.created_at, outbox.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)  # rendered as nothing on SQLite
        )
        statement = (
            update(outbox)
            .where(outbox.c.id.in_(due.scalar_subquery()))
            .values(locked_until=now + lease, attempts=outbox.c.attempts + 1)
            .returning(
                outbox.c.id, outbox.c.event_name, outbox.c.payload, outbox.c.attempts, outbox.c.created_at
            )
        )
        async with self._engine.begin() as connection:
            rows = (await connection.execute(statement)).all()
        messages = [
            OutboxMessage(row.id, row.event_name, row.payload.encode(), row.attempts, row.created_at)
            for row in rows
        ]
        # RETURNING gives no order; the dispatcher gets the oldest first.
        return sorted(messages, key=lambda message: (message.created_at, message.id))

    async def mark_delivered(self, message_id: uuid.UUID, *, now: datetime) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(
                update(outbox).where(outbox.c.id == message_id).values(delivered_at=now, locked_until=None)
            )

    async def mark_failed(self, message_id: uuid.UUID, *, error: str, retry_at: datetime | None) -> None:
        retry = {"dead": True} if retry_at is None else {"available_at": retry_at}
        async with self._engine.begin() as connection:
            await connection.execute(
                update(outbox)
                .where(outbox.c.id == message_id)
                .values(last_error=error, locked_until=None, **retry)
            )

    async def backlog(self) -> int:
        async with self._engine.connect() as connection:
            count = await connection.scalar(select(func.count()).select_from(outbox).where(PENDING))
        return count or 0


class SqlJobLeases:
    """One row per job holds when its next tick is due; taking a tick moves it on."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def try_acquire(self, job: str, *, now: datetime, interval: timedelta) -> bool:
        dialect_insert = postgresql.insert if self._engine.dialect.name == "postgresql" else sqlite.insert
        create_if_missing = (
            dialect_insert(job_leases).values(name=job, next_run_at=now).on_conflict_do_nothing()
        )
        take_tick = (
            update(job_leases)
            .where(job_leases.c.name == job, job_leases.c.next_run_at <= now)
            .values(next_run_at=now + interval)
        )
        async with self._engine.begin() as connection:
            await connection.execute(create_if_missing)
            # Concurrent callers queue on the row lock and re-check the condition: one wins.
            return (await connection.execute(take_tick)).rowcount == 1
