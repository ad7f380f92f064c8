"""The event spine as its workers see it: each domain's outbox of published facts, each
domain's inbox of deliveries to its subscribers, and the leases of periodic jobs.

A unit of work writes the facts it collected into its own domain's outbox, in its own
transaction. A relay copies each fact into the inbox of every domain that reacts to it, one
delivery per (fact, subscriber), and marks the fact relayed. A domain's dispatcher delivers
its inbox: each delivery has its own attempts, backoff and dead letter, so one subscriber's
failure or slowness never delays, repeats or drops another's. Every step is at least once;
deliveries are unique per (fact, subscriber), so a repeated relay adds nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """One published fact, as its domain's outbox holds it. ``trace_context``: the W3C
    ``traceparent`` of the trace that raised it (None untraced), opaque to the domain."""

    id: uuid.UUID
    event_name: str
    payload: bytes
    created_at: datetime
    trace_context: str | None = None


@dataclass(frozen=True, slots=True)
class Delivery:
    """One fact on its way to one subscriber; ``attempts`` counts this attempt too;
    ``trace_context`` is its fact's (``OutboxMessage``)."""

    id: uuid.UUID
    message_id: uuid.UUID
    subscriber: str
    event_name: str
    payload: bytes
    attempts: int
    created_at: datetime
    trace_context: str | None = None


@dataclass(frozen=True, slots=True)
class DeadDelivery:
    """A delivery given up after its last attempt, kept for an operator to retry."""

    id: uuid.UUID
    message_id: uuid.UUID
    subscriber: str
    event_name: str
    attempts: int
    created_at: datetime
    last_error: str | None


class HandlingScope(Protocol):
    """Wraps a subscriber's handling of deliveries (one, or a batch of one subscriber and
    event type): the tracing adapter runs it in a span that continues each fact's trace."""

    def __call__(self, deliveries: Sequence[Delivery]) -> AbstractContextManager[object]: ...


class Outbox(Protocol):
    """One publishing domain's outbox. Each method is its own short transaction."""

    @property
    def domain(self) -> str: ...

    async def lease(self, *, now: datetime, limit: int, lease: timedelta) -> Sequence[OutboxMessage]:
        """Up to ``limit`` facts not relayed yet, oldest first, leased so that concurrent relays
        take disjoint batches; a lease that lapses (a crashed relay) makes them due again."""
        ...

    async def mark_relayed(self, message_ids: Sequence[uuid.UUID], *, now: datetime) -> None: ...

    async def pending(self) -> int:
        """How many facts wait to be relayed."""
        ...


class Inbox(Protocol):
    """One subscribing domain's deliveries. Each method is its own short transaction."""

    @property
    def domain(self) -> str: ...

    async def accept(
        self, deliveries: Sequence[tuple[OutboxMessage, Sequence[str]]], *, now: datetime
    ) -> None:
        """For each fact, one delivery per subscriber named with it, due now, all in one
        transaction; a delivery that exists already is left as it is."""
        ...

    async def claim(self, *, now: datetime, limit: int, lease: timedelta) -> Sequence[Delivery]:
        """Up to ``limit`` due deliveries, oldest fact first, leased (``FOR UPDATE SKIP LOCKED``
        on PostgreSQL) so that concurrent dispatchers never hold the same one; a lease that
        lapses makes the delivery due again."""
        ...

    async def mark_delivered(self, delivery_ids: Sequence[uuid.UUID], *, now: datetime) -> None:
        """Record these deliveries as done, in one statement (a dispatcher marks a batch's
        successes together; one lost before marking is delivered again, at least once)."""
        ...

    async def mark_failed(self, delivery_id: uuid.UUID, *, error: str, retry_at: datetime | None) -> None:
        """Record a failed attempt; ``retry_at=None`` gives the delivery up (dead letter)."""
        ...

    async def backlog(self) -> Mapping[str, int]:
        """Deliveries neither delivered nor given up, per subscriber (subscribers with none
        are left out)."""
        ...

    async def dead(self, *, limit: int) -> Sequence[DeadDelivery]:
        """Given-up deliveries, most recent fact first."""
        ...

    async def dead_count(self) -> Mapping[str, int]:
        """Given-up deliveries per subscriber."""
        ...

    async def retry(self, delivery_id: uuid.UUID, *, now: datetime) -> bool:
        """Put a dead delivery back in line with fresh attempts; False when there is no dead
        delivery of that id here."""
        ...


class JobLeases(Protocol):
    """Lets exactly one of many worker instances run each tick of a periodic job."""

    async def try_acquire(self, job: str, *, now: datetime, interval: timedelta) -> bool:
        """True when this caller won the tick due at ``now``; the next tick is ``now + interval``."""
        ...
