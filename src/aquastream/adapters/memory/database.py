"""An in-memory database with real transactions, for unit tests and contract tests.

Transactions are serialised by one lock and rolled back by restoring a snapshot, so
the memory adapters behave like the SQL ones: uncommitted changes vanish, and
concurrent units of work never see each other's half-done state. Units of work must
not be nested (the second would wait for the first forever).
"""

from __future__ import annotations

import asyncio
import copy
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any, Self

from aquastream.domain.shared.events import DomainEvent, encode_event
from aquastream.ports.outbox import OutboxMessage

Tables = dict[str, dict[Any, Any]]


@dataclass(slots=True)
class OutboxRow:
    id: uuid.UUID
    event_name: str
    payload: bytes
    created_at: datetime
    available_at: datetime
    attempts: int = 0
    locked_until: datetime | None = None
    delivered_at: datetime | None = None
    dead: bool = False
    last_error: str | None = None


class MemoryDatabase:
    def __init__(self) -> None:
        self.tables: Tables = {}
        self.lock = asyncio.Lock()

    def table(self, name: str) -> dict[Any, Any]:
        return self.tables.setdefault(name, {})


class MemoryUnitOfWork:
    """Base of the memory units of work: snapshot on enter, restore unless committed."""

    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db
        self._events: list[DomainEvent] = []
        self._snapshot: Tables | None = None

    async def __aenter__(self) -> Self:
        await self._db.lock.acquire()
        self._snapshot = copy.deepcopy(self._db.tables)
        self._events = []
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self._snapshot is not None:
                self._db.tables = self._snapshot
        finally:
            self._snapshot = None
            self._events = []
            self._db.lock.release()

    def collect(self, *events: DomainEvent) -> None:
        self._events.extend(events)

    async def write_events(self) -> None:
        outbox = self._db.table("outbox")
        for event in self._events:
            outbox[event.message_id] = OutboxRow(
                id=event.message_id,
                event_name=event.event_name(),
                payload=encode_event(event),
                created_at=event.occurred_at,
                available_at=event.occurred_at,
            )
        self._events = []

    async def commit(self) -> None:
        await self.write_events()
        self._snapshot = copy.deepcopy(self._db.tables)


class MemoryOutboxStore:
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def claim(self, *, now: datetime, limit: int, lease: timedelta) -> Sequence[OutboxMessage]:
        async with self._db.lock:
            due = sorted(
                (
                    row
                    for row in self._db.table("outbox").values()
                    if row.delivered_at is None
                    and not row.dead
                    and row.available_at <= now
                    and (row.locked_until is None or row.locked_until <= now)
                ),
                key=lambda row: (row.created_at, row.id),
            )[:limit]
            claimed = []
            for row in due:
                row.locked_until = now + lease
                row.attempts += 1
                claimed.append(
                    OutboxMessage(row.id, row.event_name, row.payload, row.attempts, row.created_at)
                )
            return claimed

    async def mark_delivered(self, message_id: uuid.UUID, *, now: datetime) -> None:
        async with self._db.lock:
            row = self._db.table("outbox")[message_id]
            row.delivered_at = now
            row.locked_until = None

    async def mark_failed(self, message_id: uuid.UUID, *, error: str, retry_at: datetime | None) -> None:
        async with self._db.lock:
            row = self._db.table("outbox")[message_id]
            row.last_error = error
            row.locked_until = None
            if retry_at is None:
                row.dead = True
            else:
                row.available_at = retry_at

    async def backlog(self) -> int:
        async with self._db.lock:
            return sum(
                1 for row in self._db.table("outbox").values() if row.delivered_at is None and not row.dead
            )


class MemoryJobLeases:
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def try_acquire(self, job: str, *, now: datetime, interval: timedelta) -> bool:
        async with self._db.lock:
            jobs = self._db.table("jobs")
            next_run_at = jobs.get(job)
            if next_run_at is not None and next_run_at > now:
                return False
            jobs[job] = now + interval
            return True
