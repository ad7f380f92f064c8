"""The event spine's work: relays carry each domain's published facts to the inboxes of the
domains that react to them, and dispatchers deliver each inbox to its subscribers.

Every (fact, subscriber) pair is a delivery of its own (``ports.outbox``): it is retried with
exponential backoff (``backoff_base * 2**(attempt-1)``, capped) until ``max_attempts``, then
given up as a dead letter that an operator may retry. A subscriber that fails or is slow
never delays, repeats or drops another's delivery, and a retry never runs a subscriber that
already succeeded. Delivery is at least once: every subscriber is idempotent.

Facts about one booking or one user (their ``booking_id``, ``user_id``) reach each subscriber
in the order they were published (created, then id: time-ordered): a user is told "booking
created" before "booking cancelled", and tickets never void a seat before they issue it.
What one dispatcher claims at once runs in waves: a delivery goes into the wave after the
last one holding a delivery of the same subscriber about the same booking or user, and the
waves run one after another; within a wave, deliveries are independent and run at once, up
to the concurrency. Facts about different subjects keep no order among themselves. A
delivery that fails is retried later and does not hold back the facts behind it (a poison
fact must not stop its subscriber), so after a failure the order is the retry's.

A subscriber whose cost per fact is mostly round trips to the database may also take a batch
of its facts of one type at once, all or nothing (one transaction): those of one wave. A
batch that fails is handed over again one fact at a time, so each delivery still succeeds,
fails, backs off and dies on its own, and counts the one attempt its claim counted.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

import msgspec

from aquastream.domain.shared.events import DomainEvent, decode_event
from aquastream.ports.clock import Clock
from aquastream.ports.outbox import DeadDelivery, Delivery, HandlingScope, Inbox, Outbox, OutboxMessage

logger = logging.getLogger("aquastream.outbox")

Handler = Callable[[DomainEvent], Awaitable[None]]
BatchHandler = Callable[[Sequence[DomainEvent]], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Subscriber:
    """``name`` (``<domain>.<UseCase>``) reacts in ``domain``'s inbox to facts of ``event_type``;
    ``batch_handler``, when given, takes several of them at once, all or nothing."""

    name: str
    domain: str
    event_type: type[DomainEvent]
    handler: Handler
    batch_handler: BatchHandler | None = None

    @property
    def publisher(self) -> str:
        """The domain whose facts these are (``aquastream.domain.<domain>.events``)."""
        parts = self.event_type.__module__.split(".")
        return parts[2] if parts[:2] == ["aquastream", "domain"] else self.event_type.__module__


class EventRouter:
    """Which subscribers receive which event type."""

    def __init__(self, subscribers: Iterable[Subscriber] = ()) -> None:
        self._by_event: dict[str, list[Subscriber]] = defaultdict(list)
        self._handlers: dict[tuple[str, str], Handler] = {}
        self._batch_handlers: dict[tuple[str, str], BatchHandler] = {}
        for subscriber in subscribers:
            self.add(subscriber)

    def add(self, subscriber: Subscriber) -> None:
        key = (subscriber.name, subscriber.event_type.event_name())
        if key in self._handlers:
            raise ValueError(f"{subscriber.name} subscribes twice to {key[1]}")
        self._by_event[key[1]].append(subscriber)
        self._handlers[key] = subscriber.handler
        if subscriber.batch_handler is not None:
            self._batch_handlers[key] = subscriber.batch_handler

    def subscribe(self, event_type: type[DomainEvent], handler: Handler, *, domain: str = "app") -> None:
        """A subscriber named after its handler (for tests and small wirings)."""
        name = f"{domain}.{getattr(handler, '__name__', 'handler')}"
        self.add(Subscriber(name, domain, event_type, handler))

    def subscribers_of(self, event_name: str) -> Sequence[Subscriber]:
        return self._by_event.get(event_name, [])

    def subscribers_in(self, domain: str) -> list[Subscriber]:
        """The subscribers whose deliveries ``domain``'s inbox keeps."""
        return [s for subscribers in self._by_event.values() for s in subscribers if s.domain == domain]

    def handler(self, subscriber: str, event_name: str) -> Handler | None:
        return self._handlers.get((subscriber, event_name))

    def batch_handler(self, subscriber: str, event_name: str) -> BatchHandler | None:
        return self._batch_handlers.get((subscriber, event_name))

    @property
    def domains(self) -> set[str]:
        """The domains whose inboxes receive deliveries."""
        return {s.domain for subscribers in self._by_event.values() for s in subscribers}

    async def deliver(self, event: DomainEvent) -> None:
        """Hand ``event`` to every subscriber of it now, bypassing the inboxes (a repeated
        delivery, as at-least-once may bring, in tests)."""
        for subscriber in self.subscribers_of(event.event_name()):
            await subscriber.handler(event)


class Relay:
    """Moves one domain's published facts into the inboxes of their subscribers' domains."""

    def __init__(
        self,
        outbox: Outbox,
        inboxes: Mapping[str, Inbox],
        router: EventRouter,
        clock: Clock,
        *,
        batch_size: int = 500,  # facts leased a pass (at 200 a backlog drained a quarter slower)
        lease: timedelta = timedelta(seconds=60),
    ) -> None:
        self._outbox = outbox
        self._inboxes = inboxes
        self._router = router
        self._clock = clock
        self._batch_size = batch_size
        self._lease = lease

    @property
    def domain(self) -> str:
        return self._outbox.domain

    async def relay_once(self) -> int:
        """One batch; how many facts were relayed."""
        messages = await self._outbox.lease(now=self._clock.now(), limit=self._batch_size, lease=self._lease)
        # One write per reacting domain for the whole batch.
        by_domain: dict[str, list[tuple[OutboxMessage, list[str]]]] = defaultdict(list)
        for message in messages:
            names: dict[str, list[str]] = defaultdict(list)
            for subscriber in self._router.subscribers_of(message.event_name):
                names[subscriber.domain].append(subscriber.name)
            for domain, subscribers in names.items():
                by_domain[domain].append((message, subscribers))
        for domain, deliveries in by_domain.items():
            await self._inboxes[domain].accept(deliveries, now=self._clock.now())
        if messages:
            await self._outbox.mark_relayed([m.id for m in messages], now=self._clock.now())
        return len(messages)


class InboxDispatcher:
    """Delivers one domain's inbox, each delivery on its own (see the module's docstring)."""

    def __init__(
        self,
        inbox: Inbox,
        router: EventRouter,
        clock: Clock,
        *,
        # A pass of the worker claims this many of each inbox (its relays' and every other
        # inbox's statements come with each pass): at 100, a backlog of 20,000 took 17 s to
        # drain in-process; at 400, 7 s (1,000 drained no faster).
        batch_size: int = 400,
        lease: timedelta = timedelta(seconds=60),
        max_attempts: int = 10,
        backoff_base: timedelta = timedelta(seconds=2),
        backoff_cap: timedelta = timedelta(minutes=30),
        on_given_up: Callable[[Delivery], None] | None = None,
        concurrency: int = 1,
        handling: HandlingScope | None = None,
    ) -> None:
        """``concurrency``: how many deliveries of a wave run at once (see the module's
        docstring for the order kept). ``handling`` wraps
        each call of a subscriber (tracing's span, continuing the facts' traces); without
        it the subscriber is called bare."""
        self._inbox = inbox
        self._router = router
        self._clock = clock
        self._batch_size = batch_size
        self._lease = lease
        self._max_attempts = max_attempts
        self._backoff_base = backoff_base
        self._backoff_cap = backoff_cap
        self._on_given_up = on_given_up
        self._concurrency = max(1, concurrency)
        self._handling = handling

    @property
    def domain(self) -> str:
        return self._inbox.domain

    def backoff(self, attempt: int) -> timedelta:
        delay: timedelta = self._backoff_base * (2 ** max(attempt - 1, 0))
        return min(delay, self._backoff_cap)

    async def dispatch_once(self) -> int:
        """One batch; how many deliveries were claimed."""
        deliveries = await self._inbox.claim(now=self._clock.now(), limit=self._batch_size, lease=self._lease)
        handled: list[uuid.UUID] = []
        for wave in _waves(deliveries):
            handled.extend(await self._run(self._parts(wave)))
        # The batch's successes in one statement, not one transaction each.
        await self._inbox.mark_delivered(handled, now=self._clock.now())
        return len(deliveries)

    async def _run(self, parts: Sequence[Sequence[Delivery]]) -> list[uuid.UUID]:
        """The parts of one wave, up to ``concurrency`` at once; the ids of the deliveries taken."""
        if self._concurrency == 1:
            return [done for part in parts for done in await self._handle_part(part)]
        slots = asyncio.Semaphore(self._concurrency)

        async def handle(part: Sequence[Delivery]) -> list[uuid.UUID]:
            async with slots:
                return await self._handle_part(part)

        return [done for taken in await asyncio.gather(*(handle(part) for part in parts)) for done in taken]

    def _parts(self, deliveries: Sequence[Delivery]) -> list[list[Delivery]]:
        """A wave's deliveries as units of work: those of a subscriber that takes batches,
        grouped by subscriber and event type (split so that every slot of the concurrency
        gets a share), and every other delivery alone."""
        groups: dict[tuple[str, str], list[Delivery]] = {}
        parts: list[list[Delivery]] = []
        for delivery in deliveries:
            key = (delivery.subscriber, delivery.event_name)
            if self._router.batch_handler(*key) is None:
                parts.append([delivery])
            else:
                groups.setdefault(key, []).append(delivery)
        for group in groups.values():
            size = -(-len(group) // self._concurrency)  # ceiling division
            parts.extend(group[start : start + size] for start in range(0, len(group), size))
        return parts

    async def _handle_part(self, part: Sequence[Delivery]) -> list[uuid.UUID]:
        """The ids of the deliveries of ``part`` that the subscriber took."""
        if len(part) > 1 and await self._handle_batch(part):
            return [delivery.id for delivery in part]
        return [delivery.id for delivery in part if await self._handle(delivery)]

    async def _handle_batch(self, part: Sequence[Delivery]) -> bool:
        """Whether the subscriber took the whole batch; when not, nothing is recorded (the
        caller hands it over one delivery at a time)."""
        first = part[0]
        handler = self._router.batch_handler(first.subscriber, first.event_name)
        try:
            if handler is None:
                raise LookupError(f"{first.subscriber} takes no batches of {first.event_name}")
            events = [decode_event(delivery.event_name, delivery.payload) for delivery in part]
            if self._handling is None:
                await handler(events)
            else:
                with self._handling(part):
                    await handler(events)
        except Exception:
            logger.warning(
                "batch failed, delivering one at a time",
                exc_info=True,
                extra={"subscriber": first.subscriber, "event": first.event_name, "size": len(part)},
            )
            return False
        return True

    async def _handle(self, delivery: Delivery) -> bool:
        """Whether the subscriber took the delivery (a failure is recorded here)."""
        try:
            handler = self._router.handler(delivery.subscriber, delivery.event_name)
            if handler is None:
                raise LookupError(f"no subscriber {delivery.subscriber} of {delivery.event_name} here")
            event = decode_event(delivery.event_name, delivery.payload)
            if self._handling is None:
                await handler(event)
            else:
                with self._handling([delivery]):
                    await handler(event)
        except Exception as exc:
            await self._failed(delivery, exc)
            return False
        return True

    async def _failed(self, delivery: Delivery, exc: Exception) -> None:
        given_up = delivery.attempts >= self._max_attempts
        retry_at = None if given_up else self._clock.now() + self.backoff(delivery.attempts)
        logger.log(
            logging.ERROR if given_up else logging.WARNING,
            "delivery failed",
            exc_info=True,
            extra={
                "message_id": str(delivery.message_id),
                "subscriber": delivery.subscriber,
                "event": delivery.event_name,
                "attempt": delivery.attempts,
                "given_up": given_up,
            },
        )
        error = f"{type(exc).__name__}: {exc}"[:1000]
        await self._inbox.mark_failed(delivery.id, error=error, retry_at=retry_at)
        if given_up and self._on_given_up is not None:
            self._on_given_up(delivery)


class Relaying(Protocol):
    """Moves a domain's published facts on (into inboxes, or onto a stream)."""

    async def relay_once(self) -> int: ...


class Intake(Protocol):
    """Brings facts a domain's subscribers hear from elsewhere (a stream) into its inbox."""

    async def intake_once(self) -> int: ...


class OutboxDispatcher:
    """This process's share of the spine: the relays of the domains it publishes for, the
    intakes and dispatchers of the domains whose subscribers it runs.

    A pass runs the relays, then the intakes, then the dispatchers; ``at_once`` of each kind
    at a time. Each domain's outbox and inbox are its own, so two of them never wait for each
    other, and while one waits for the database another runs its Python (a backlog drained
    ~15 % sooner at 2 than at 1). One that fails does not stop the others of its kind; the
    pass ends with its error once they are done. 1 runs them in turn (SQLite, one writer)."""

    def __init__(
        self,
        relays: Sequence[Relaying],
        dispatchers: Sequence[InboxDispatcher],
        intakes: Sequence[Intake] = (),
        *,
        at_once: int = 1,
    ) -> None:
        self.relays = list(relays)
        self.dispatchers = list(dispatchers)
        self.intakes = list(intakes)
        self._at_once = max(1, at_once)

    async def dispatch_once(self) -> int:
        """One batch of every relay, intake and dispatcher; how much was moved in all."""
        moved = await self._each([relay.relay_once for relay in self.relays])
        moved += await self._each([intake.intake_once for intake in self.intakes])
        moved += await self._each([dispatcher.dispatch_once for dispatcher in self.dispatchers])
        return moved

    async def _each(self, steps: Sequence[Callable[[], Awaitable[int]]]) -> int:
        if self._at_once == 1:
            moved = 0
            for step in steps:
                moved += await step()
            return moved
        slots = asyncio.Semaphore(self._at_once)

        async def run(step: Callable[[], Awaitable[int]]) -> int:
            async with slots:
                return await step()

        results = await asyncio.gather(*(run(step) for step in steps), return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                raise result
        return sum(result for result in results if isinstance(result, int))

    async def drain(self) -> int:
        """Pass until nothing is due (a failed delivery waits for its retry time, so this
        ends), facts raised by the subscribers included; how much was moved in all. For
        commands and tests that need the facts delivered now, not at the next wake-up."""
        total = 0
        while moved := await self.dispatch_once():
            total += moved
        return total


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """A given-up delivery and the domain whose inbox holds it."""

    domain: str
    delivery: DeadDelivery


class Spine:
    """The whole spine as an operator sees it: backlogs, dead letters, retries."""

    RELAY = "relay"  # the pseudo-subscriber under which a domain's facts not yet relayed count

    def __init__(self, outboxes: Sequence[Outbox], inboxes: Mapping[str, Inbox], clock: Clock) -> None:
        self._outboxes = outboxes
        self._inboxes = inboxes
        self._clock = clock

    async def backlog(self) -> dict[str, int]:
        """Work not done yet, per subscriber; a domain's facts not yet relayed count under
        ``<domain>.relay``."""
        found = {f"{outbox.domain}.{self.RELAY}": await outbox.pending() for outbox in self._outboxes}
        for inbox in self._inboxes.values():
            found.update(await inbox.backlog())
        return found

    async def dead_count(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for inbox in self._inboxes.values():
            found.update(await inbox.dead_count())
        return found

    async def dead_letters(self, *, limit: int) -> list[DeadLetter]:
        """The most recent dead letters of every inbox, most recent fact first."""
        letters = [
            DeadLetter(domain, delivery)
            for domain, inbox in self._inboxes.items()
            for delivery in await inbox.dead(limit=limit)
        ]
        letters.sort(key=lambda letter: (letter.delivery.created_at, letter.delivery.id), reverse=True)
        return letters[:limit]

    async def retry(self, delivery_id: uuid.UUID) -> bool:
        """Put a dead letter back in line; False when no inbox has a dead letter of that id."""
        for inbox in self._inboxes.values():
            if await inbox.retry(delivery_id, now=self._clock.now()):
                return True
        return False


class _Subject(msgspec.Struct):
    """What a fact is about, for the order of its deliveries (any other field is ignored)."""

    booking_id: object = None
    user_id: object = None


def _subjects(delivery: Delivery) -> list[tuple[str, str, object]]:
    try:
        subject = msgspec.json.decode(delivery.payload, type=_Subject)
    except msgspec.MsgspecError:
        return []  # a payload that cannot be read fails in its handler, on its own
    return [
        (delivery.subscriber, field, value)
        for field, value in (("booking", subject.booking_id), ("user", subject.user_id))
        if value is not None
    ]


def _waves(deliveries: Sequence[Delivery]) -> list[list[Delivery]]:
    """``deliveries`` (oldest first) in waves: each goes into the wave after the last one that
    holds a delivery of the same subscriber about the same booking or user (else the first)."""
    last: dict[tuple[str, str, object], int] = {}
    waves: list[list[Delivery]] = []
    for delivery in deliveries:
        subjects = _subjects(delivery)
        wave = max((last[subject] + 1 for subject in subjects if subject in last), default=0)
        for subject in subjects:
            last[subject] = wave
        if wave == len(waves):
            waves.append([])
        waves[wave].append(delivery)
    return waves
