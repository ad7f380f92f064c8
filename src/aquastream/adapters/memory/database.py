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
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any, Self

from aquastream.adapters.trace_context import current_traceparent
from aquastream.domain.shared.events import DomainEvent, encode_event
from aquastream.domain.shared.ids import new_id
from aquastream.ports.outbox import DeadDelivery, Delivery, OutboxMessage

Tables = dict[str, dict[Any, Any]]


@dataclass(slots=True)
class OutboxRow:
    id: uuid.UUID
    domain: str
    event_name: str
    payload: bytes
    created_at: datetime
    locked_until: datetime | None = None
    relayed_at: datetime | None = None
    trace_context: str | None = None


@dataclass(slots=True)
class DeliveryRow:
    id: uuid.UUID
    message_id: uuid.UUID
    subscriber: str
    event_name: str
    payload: bytes
    created_at: datetime
    available_at: datetime
    attempts: int = 0
    locked_until: datetime | None = None
    delivered_at: datetime | None = None
    dead: bool = False
    last_error: str | None = None
    trace_context: str | None = None

    @property
    def pending(self) -> bool:
        return self.delivered_at is None and not self.dead

    def delivery(self) -> Delivery:
        return Delivery(
            self.id,
            self.message_id,
            self.subscriber,
            self.event_name,
            self.payload,
            self.attempts,
            self.created_at,
            self.trace_context,
        )

    def given_up(self) -> DeadDelivery:
        return DeadDelivery(
            self.id,
            self.message_id,
            self.subscriber,
            self.event_name,
            self.attempts,
            self.created_at,
            self.last_error,
        )


class MemoryDatabase:
    def __init__(self) -> None:
        self.tables: Tables = {}
        self.lock = asyncio.Lock()

    def table(self, name: str) -> dict[Any, Any]:
        return self.tables.setdefault(name, {})


class MemoryUnitOfWork:
    """Base of the memory units of work: snapshot on enter, restore unless committed."""

    domain = "app"  # whose outbox the facts go to; each domain's unit of work names its own

    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db
        self._events: list[DomainEvent] = []
        self._snapshot: Tables | None = None

    def reading(self) -> Self:
        return self  # the memory database has one lock for readers and writers alike

    def at_once(self) -> Self:
        return self  # one lock too: the entry is a transaction like any other

    async def facts_go_with(self, changed: bool) -> None:
        """The facts collected so far: written when the change of an entry ``at_once`` was
        made, dropped when it was not (``ports.uow.UnitOfWork.at_once``)."""
        if changed:
            await self.write_events()
        else:
            self._events = []

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
        trace_context = current_traceparent() if self._events else None
        for event in self._events:
            outbox[event.message_id] = OutboxRow(
                id=event.message_id,
                domain=self.domain,
                event_name=event.event_name(),
                payload=encode_event(event),
                created_at=event.occurred_at,
                trace_context=trace_context,
            )
        self._events = []

    async def commit(self) -> None:
        await self.write_events()
        self._snapshot = copy.deepcopy(self._db.tables)


class MemoryOutbox:
    """One domain's facts among the memory database's outbox rows (every domain's units of
    work write to the one ``outbox`` table, each row naming its domain)."""

    def __init__(self, db: MemoryDatabase, domain: str) -> None:
        self._db = db
        self._domain = domain

    @property
    def domain(self) -> str:
        return self._domain

    def _rows(self) -> list[OutboxRow]:
        return [row for row in self._db.table("outbox").values() if row.domain == self._domain]

    async def lease(self, *, now: datetime, limit: int, lease: timedelta) -> Sequence[OutboxMessage]:
        async with self._db.lock:
            due = sorted(
                (
                    row
                    for row in self._rows()
                    if row.relayed_at is None and (row.locked_until is None or row.locked_until <= now)
                ),
                key=lambda row: (row.created_at, row.id),
            )[:limit]
            for row in due:
                row.locked_until = now + lease
            return [
                OutboxMessage(row.id, row.event_name, row.payload, row.created_at, row.trace_context)
                for row in due
            ]

    async def mark_relayed(self, message_ids: Sequence[uuid.UUID], *, now: datetime) -> None:
        async with self._db.lock:
            outbox = self._db.table("outbox")
            for message_id in message_ids:
                outbox[message_id].relayed_at = now
                outbox[message_id].locked_until = None

    async def pending(self) -> int:
        async with self._db.lock:
            return sum(1 for row in self._rows() if row.relayed_at is None)


class MemoryInbox:
    """One domain's deliveries, in a table of the memory database of their own."""

    def __init__(self, db: MemoryDatabase, domain: str) -> None:
        self._db = db
        self._domain = domain

    @property
    def domain(self) -> str:
        return self._domain

    @property
    def _rows(self) -> dict[uuid.UUID, DeliveryRow]:
        return self._db.table(f"{self._domain}.deliveries")

    async def accept(
        self, deliveries: Sequence[tuple[OutboxMessage, Sequence[str]]], *, now: datetime
    ) -> None:
        async with self._db.lock:
            known = {(row.message_id, row.subscriber) for row in self._rows.values()}
            for message, subscriber in ((m, s) for m, names in deliveries for s in names):
                if (message.id, subscriber) not in known:
                    known.add((message.id, subscriber))
                    row = DeliveryRow(
                        new_id(),
                        message.id,
                        subscriber,
                        message.event_name,
                        message.payload,
                        message.created_at,
                        now,
                        trace_context=message.trace_context,
                    )
                    self._rows[row.id] = row

    async def claim(self, *, now: datetime, limit: int, lease: timedelta) -> Sequence[Delivery]:
        async with self._db.lock:
            due = sorted(
                (
                    row
                    for row in self._rows.values()
                    if row.pending
                    and row.available_at <= now
                    and (row.locked_until is None or row.locked_until <= now)
                ),
                key=lambda row: (row.created_at, row.id),
            )[:limit]
            claimed = []
            for row in due:
                row.locked_until = now + lease
                row.attempts += 1
                claimed.append(row.delivery())
            return claimed

    async def mark_delivered(self, delivery_ids: Sequence[uuid.UUID], *, now: datetime) -> None:
        async with self._db.lock:
            for delivery_id in delivery_ids:
                row = self._rows[delivery_id]
                row.delivered_at = now
                row.locked_until = None

    async def mark_failed(self, delivery_id: uuid.UUID, *, error: str, retry_at: datetime | None) -> None:
        async with self._db.lock:
            row = self._rows[delivery_id]
            row.last_error = error
            row.locked_until = None
            if retry_at is None:
                row.dead = True
            else:
                row.available_at = retry_at

    async def backlog(self) -> Mapping[str, int]:
        async with self._db.lock:
            return dict(Counter(row.subscriber for row in self._rows.values() if row.pending))

    async def dead(self, *, limit: int) -> Sequence[DeadDelivery]:
        async with self._db.lock:
            rows = sorted(
                (r for r in self._rows.values() if r.dead), key=lambda r: (r.created_at, r.id), reverse=True
            )
            return [
                DeadDelivery(
                    r.id, r.message_id, r.subscriber, r.event_name, r.attempts, r.created_at, r.last_error
                )
                for r in rows[:limit]
            ]

    async def dead_count(self) -> Mapping[str, int]:
        async with self._db.lock:
            return dict(Counter(row.subscriber for row in self._rows.values() if row.dead))

    async def retry(self, delivery_id: uuid.UUID, *, now: datetime) -> bool:
        async with self._db.lock:
            row = self._rows.get(delivery_id)
            if row is None or not row.dead:
                return False
            row.dead, row.attempts, row.available_at, row.locked_until = False, 0, now, None
            return True


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
