"""The transactional outbox as the dispatcher sees it, and the leases of periodic jobs."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """One stored domain event waiting for delivery."""

    id: uuid.UUID
    event_name: str
    payload: bytes
    attempts: int
    created_at: datetime


class OutboxStore(Protocol):
    """Messages are written by units of work on commit; this port drains them.

    ``claim`` leases up to ``limit`` due messages so that concurrent dispatchers never
    hold the same message at once (``FOR UPDATE SKIP LOCKED`` on PostgreSQL). A lease
    that lapses (a crashed dispatcher) makes the message due again: delivery is at
    least once.
    """

    async def claim(self, *, now: datetime, limit: int, lease: timedelta) -> Sequence[OutboxMessage]: ...

    async def mark_delivered(self, message_id: uuid.UUID, *, now: datetime) -> None: ...

    async def mark_failed(self, message_id: uuid.UUID, *, error: str, retry_at: datetime | None) -> None:
        """Record a failed attempt; ``retry_at=None`` gives the message up (dead letter)."""
        ...

    async def backlog(self) -> int:
        """How many messages are neither delivered nor given up."""
        ...


class JobLeases(Protocol):
    """Lets exactly one of many worker instances run each tick of a periodic job."""

    async def try_acquire(self, job: str, *, now: datetime, interval: timedelta) -> bool:
        """True when this caller won the tick due at ``now``; the next tick is ``now + interval``."""
        ...
