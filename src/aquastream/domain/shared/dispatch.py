"""Delivery of outbox messages to the subscribers of each event type, at least once."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from aquastream.domain.shared.events import DomainEvent, decode_event
from aquastream.ports.clock import Clock
from aquastream.ports.outbox import OutboxMessage, OutboxStore

logger = logging.getLogger("aquastream.outbox")

Handler = Callable[[DomainEvent], Awaitable[None]]


class EventRouter:
    """Which handlers receive which event type. Every handler must be idempotent:
    a message is delivered again after a crash or when another handler of it failed."""

    def __init__(self) -> None:
        self._handlers: dict[type[DomainEvent], list[Handler]] = {}

    def subscribe(self, event_type: type[DomainEvent], handler: Handler) -> None:
        self._handlers.setdefault(event_type, []).append(handler)

    def handlers_for(self, event: DomainEvent) -> list[Handler]:
        return list(self._handlers.get(type(event), ()))

    async def deliver(self, event: DomainEvent) -> None:
        for handler in self.handlers_for(event):
            await handler(event)


class OutboxDispatcher:
    """Claims due messages, hands each to the router, and records the outcome.

    A failed delivery is retried with exponential backoff (``backoff_base * 2**(attempt-1)``,
    capped) until ``max_attempts``, after which the message is given up and logged as dead.
    """

    def __init__(
        self,
        store: OutboxStore,
        deliver: Callable[[DomainEvent], Awaitable[None]],
        clock: Clock,
        *,
        batch_size: int = 100,
        lease: timedelta = timedelta(seconds=60),
        max_attempts: int = 10,
        backoff_base: timedelta = timedelta(seconds=2),
        backoff_cap: timedelta = timedelta(minutes=30),
    ) -> None:
        self._store = store
        self._deliver = deliver
        self._clock = clock
        self._batch_size = batch_size
        self._lease = lease
        self._max_attempts = max_attempts
        self._backoff_base = backoff_base
        self._backoff_cap = backoff_cap

    def backoff(self, attempt: int) -> timedelta:
        delay: timedelta = self._backoff_base * (2 ** max(attempt - 1, 0))
        return min(delay, self._backoff_cap)

    async def dispatch_once(self) -> int:
        """One pass over a batch; returns how many messages were claimed."""
        messages = await self._store.claim(now=self._clock.now(), limit=self._batch_size, lease=self._lease)
        for message in messages:
            await self._handle(message)
        return len(messages)

    async def drain(self) -> int:
        """Pass over batches until none is due (a failed delivery waits for its retry time, so
        this ends); how many messages were claimed in all. For commands and tests that need
        the facts delivered now rather than at the worker's next poll."""
        total = 0
        while claimed := await self.dispatch_once():
            total += claimed
        return total

    async def _handle(self, message: OutboxMessage) -> None:
        try:
            await self._deliver(decode_event(message.event_name, message.payload))
        except Exception as exc:
            given_up = message.attempts >= self._max_attempts
            retry_at = None if given_up else self._clock.now() + self.backoff(message.attempts)
            logger.log(
                logging.ERROR if given_up else logging.WARNING,
                "outbox delivery failed",
                exc_info=True,
                extra={
                    "message_id": str(message.id),
                    "event": message.event_name,
                    "attempt": message.attempts,
                    "given_up": given_up,
                },
            )
            error = f"{type(exc).__name__}: {exc}"[:1000]
            await self._store.mark_failed(message.id, error=error, retry_at=retry_at)
        else:
            await self._store.mark_delivered(message.id, now=self._clock.now())
