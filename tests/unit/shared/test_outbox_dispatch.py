"""The event spine delivers committed facts to each subscriber on its own: at least once, with
backoff, a dead letter at the end, and no subscriber ever held back or re-run by another."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from datetime import timedelta

import pytest

from aquastream.adapters.memory.clock import FrozenClock
from aquastream.adapters.memory.database import MemoryDatabase, MemoryInbox, MemoryOutbox, MemoryUnitOfWork
from aquastream.domain.shared.dispatch import (
    EventRouter,
    InboxDispatcher,
    OutboxDispatcher,
    Relay,
    Spine,
    Subscriber,
)
from aquastream.domain.shared.events import DomainEvent
from aquastream.ports.outbox import Delivery


class SomethingHappened(DomainEvent, frozen=True, kw_only=True):
    subject_id: uuid.UUID


class SomethingElseHappened(DomainEvent, frozen=True, kw_only=True):
    note: str


class BookingMade(DomainEvent, frozen=True, kw_only=True):
    booking_id: uuid.UUID
    user_id: uuid.UUID


class BookingDropped(DomainEvent, frozen=True, kw_only=True):
    booking_id: uuid.UUID
    user_id: uuid.UUID


class Published(MemoryUnitOfWork):
    domain = "trips"


class Spy:
    """A subscriber that records what it got and fails its first ``failures`` calls."""

    def __init__(self, failures: int = 0) -> None:
        self.received: list[DomainEvent] = []
        self.calls = 0
        self.failures = failures

    async def __call__(self, event: DomainEvent) -> None:
        self.calls += 1
        if self.calls <= self.failures:
            raise RuntimeError("subscriber down")
        self.received.append(event)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def db() -> MemoryDatabase:
    return MemoryDatabase()


async def _publish(db: MemoryDatabase, *events: DomainEvent) -> None:
    async with Published(db) as uow:
        uow.collect(*events)
        await uow.commit()


def _spine(
    db: MemoryDatabase, clock: FrozenClock, subscribers: list[Subscriber], **dispatching: object
) -> tuple[OutboxDispatcher, Spine]:
    router = EventRouter(subscribers)
    inboxes = {domain: MemoryInbox(db, domain) for domain in router.domains}
    outboxes = [MemoryOutbox(db, "trips")]
    dispatchers = [
        InboxDispatcher(inbox, router, clock, **dispatching)  # type: ignore[arg-type]
        for inbox in inboxes.values()
    ]
    relays = [Relay(outbox, inboxes, router, clock) for outbox in outboxes]
    return OutboxDispatcher(relays, dispatchers), Spine(outboxes, inboxes, clock)


async def test_committed_facts_reach_each_of_their_subscribers_once(db, clock) -> None:
    crews, mail, other = Spy(), Spy(), Spy()
    dispatcher, spine = _spine(
        db,
        clock,
        [
            Subscriber("crews.Seat", "crews", SomethingHappened, crews),
            Subscriber("mail.Tell", "mail", SomethingHappened, mail),
            Subscriber("mail.Note", "mail", SomethingElseHappened, other),
        ],
    )
    first = SomethingHappened(occurred_at=clock.now(), subject_id=uuid.uuid4())
    second = SomethingElseHappened(occurred_at=clock.now(), note="hi")
    await _publish(db, first, second)

    assert await dispatcher.drain() == 2 + 3  # two facts relayed, three deliveries made
    assert await dispatcher.drain() == 0
    assert (crews.received, mail.received, other.received) == ([first], [first], [second])
    assert await spine.backlog() == {"trips.relay": 0}


async def test_facts_of_a_rolled_back_unit_of_work_are_never_delivered(db, clock) -> None:
    spy = Spy()
    dispatcher, _ = _spine(db, clock, [Subscriber("mail.Note", "mail", SomethingElseHappened, spy)])
    async with Published(db) as uow:
        uow.collect(SomethingElseHappened(occurred_at=clock.now(), note="lost"))

    assert await dispatcher.drain() == 0
    assert spy.calls == 0


async def test_a_failing_subscriber_holds_back_nobody_and_its_retry_runs_only_it(db, clock) -> None:
    broken, fine = Spy(failures=2), Spy()
    dispatcher, spine = _spine(
        db,
        clock,
        [
            Subscriber("mail.Tell", "mail", SomethingHappened, broken),
            Subscriber("booking.Confirm", "booking", SomethingHappened, fine),
        ],
        backoff_base=timedelta(seconds=10),
    )
    fact = SomethingHappened(occurred_at=clock.now(), subject_id=uuid.uuid4())
    await _publish(db, fact)

    await dispatcher.drain()
    assert (broken.calls, fine.received) == (1, [fact])  # the other one is not delayed
    clock.advance(seconds=9)
    assert await dispatcher.drain() == 0
    clock.advance(seconds=1)
    await dispatcher.drain()  # attempt 2 fails: retry in 20 s
    clock.advance(seconds=20)
    await dispatcher.drain()  # attempt 3 succeeds
    assert (broken.calls, broken.received) == (3, [fact])
    assert fine.calls == 1  # never run again by the other's retries
    assert await spine.backlog() == {"trips.relay": 0}


async def test_a_delivery_is_given_up_after_its_last_attempt_and_retried_by_an_operator(db, clock) -> None:
    broken, fine = Spy(failures=2), Spy()
    given_up: list[Delivery] = []
    dispatcher, spine = _spine(
        db,
        clock,
        [
            Subscriber("mail.Tell", "mail", SomethingHappened, broken),
            Subscriber("mail.Count", "mail", SomethingHappened, fine),
        ],
        max_attempts=2,
        backoff_base=timedelta(seconds=1),
        on_given_up=given_up.append,
    )
    await _publish(db, SomethingHappened(occurred_at=clock.now(), subject_id=uuid.uuid4()))
    await dispatcher.drain()
    clock.advance(seconds=5)
    await dispatcher.drain()
    clock.advance(days=1)

    assert await dispatcher.drain() == 0
    assert [d.subscriber for d in given_up] == ["mail.Tell"]
    assert await spine.dead_count() == {"mail.Tell": 1}
    [letter] = await spine.dead_letters(limit=10)
    assert (letter.domain, letter.delivery.subscriber, letter.delivery.last_error) == (
        "mail",
        "mail.Tell",
        "RuntimeError: subscriber down",
    )

    assert await spine.retry(letter.delivery.id)
    assert not await spine.retry(letter.delivery.id)
    await dispatcher.drain()
    assert (broken.calls, len(broken.received), fine.calls) == (3, 1, 1)
    assert await spine.dead_count() == {}


async def test_a_fact_for_a_subscriber_this_version_lacks_becomes_a_dead_letter(db, clock) -> None:
    router = EventRouter([Subscriber("mail.Tell", "mail", SomethingHappened, Spy())])
    inbox = MemoryInbox(db, "mail")
    await _publish(db, SomethingHappened(occurred_at=clock.now(), subject_id=uuid.uuid4()))
    [message] = await MemoryOutbox(db, "trips").lease(now=clock.now(), limit=1, lease=timedelta(seconds=30))
    await inbox.accept([(message, ["mail.Gone"])], now=clock.now())

    await InboxDispatcher(inbox, router, clock, max_attempts=1).dispatch_once()

    [dead] = await inbox.dead(limit=1)
    assert dead.last_error is not None
    assert dead.last_error.startswith("LookupError: no subscriber mail.Gone")


def test_backoff_doubles_and_is_capped(db, clock) -> None:
    dispatcher = InboxDispatcher(
        MemoryInbox(db, "mail"),
        EventRouter(),
        clock,
        backoff_base=timedelta(seconds=2),
        backoff_cap=timedelta(seconds=60),
    )
    assert [dispatcher.backoff(n).total_seconds() for n in (1, 2, 3, 4, 5, 6, 7)] == [2, 4, 8, 16, 32, 60, 60]


def test_a_subscriber_subscribes_once_to_one_event_type() -> None:
    spy = Spy()
    with pytest.raises(ValueError, match="subscribes twice"):
        EventRouter([Subscriber("mail.Tell", "mail", SomethingHappened, spy)] * 2)


async def test_draining_delivers_the_facts_that_subscribers_raise_too_and_stops_at_a_failure(
    db, clock
) -> None:
    notes: list[str] = []

    async def chain(event: DomainEvent) -> None:  # each fact raises the next, as use cases do
        await _publish(db, SomethingElseHappened(occurred_at=clock.now(), note="raised"))

    async def on_note(event: DomainEvent) -> None:
        assert isinstance(event, SomethingElseHappened)
        notes.append(event.note)
        raise RuntimeError("the subscriber is down")

    dispatcher, _ = _spine(
        db,
        clock,
        [
            Subscriber("trips.Chain", "trips", SomethingHappened, chain),
            Subscriber("mail.Note", "mail", SomethingElseHappened, on_note),
        ],
    )
    await _publish(db, SomethingHappened(occurred_at=clock.now(), subject_id=uuid.uuid4()))

    assert await dispatcher.drain() == 4  # the fact and its delivery, then the raised one and its
    assert notes == ["raised"]  # failed once; its retry is not due yet, so draining ended
    clock.advance(minutes=1)
    assert await dispatcher.drain() == 1
    assert notes == ["raised", "raised"]


async def test_deliveries_of_a_batch_run_at_once_up_to_the_concurrency(db, clock) -> None:
    all_in = asyncio.Barrier(3)  # each delivery waits for the others: only running at once ends

    async def meet(event: DomainEvent) -> None:
        await all_in.wait()

    dispatcher, spine = _spine(
        db, clock, [Subscriber("mail.Meet", "mail", SomethingElseHappened, meet)], concurrency=3
    )
    await _publish(db, *(SomethingElseHappened(occurred_at=clock.now(), note=str(n)) for n in range(3)))

    async with asyncio.timeout(5):
        await dispatcher.drain()
    assert await spine.backlog() == {"trips.relay": 0}


class BatchSpy:
    """A subscriber that also takes batches, all or nothing; a fact with the note ``poison``
    fails it alone and any batch it is in."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []
        self.singles: list[str] = []
        self.calls: dict[str, int] = {}

    async def one(self, event: DomainEvent) -> None:
        note = self._count(event)
        if note == "poison":
            raise RuntimeError("poison")
        self.singles.append(note)

    async def many(self, events: Sequence[DomainEvent]) -> None:
        notes = [self._count(event) for event in events]
        if "poison" in notes:
            raise RuntimeError("poison in the batch")
        self.batches.append(notes)

    def _count(self, event: DomainEvent) -> str:
        assert isinstance(event, SomethingElseHappened)
        self.calls[event.note] = self.calls.get(event.note, 0) + 1
        return event.note

    def subscriber(self, name: str = "mail.Tell") -> Subscriber:
        return Subscriber(name, "mail", SomethingElseHappened, self.one, self.many)


def _notes(clock: FrozenClock, *notes: str) -> list[DomainEvent]:
    return [SomethingElseHappened(occurred_at=clock.now(), note=note) for note in notes]


async def test_a_subscriber_that_takes_batches_gets_its_facts_of_a_claim_in_one_call(db, clock) -> None:
    batching, alone = BatchSpy(), Spy()
    dispatcher, spine = _spine(
        db,
        clock,
        [batching.subscriber(), Subscriber("mail.Count", "mail", SomethingElseHappened, alone)],
    )
    await _publish(db, *_notes(clock, "a", "b", "c"))

    assert await dispatcher.drain() == 3 + 6
    assert batching.batches == [["a", "b", "c"]]
    assert batching.singles == []
    assert alone.calls == 3  # a subscriber without batches still gets one fact per call
    assert await spine.backlog() == {"trips.relay": 0}


async def test_a_failed_batch_is_delivered_one_by_one_and_only_the_failing_fact_retries(db, clock) -> None:
    batching, other = BatchSpy(), BatchSpy()
    given_up: list[Delivery] = []
    dispatcher, spine = _spine(
        db,
        clock,
        [batching.subscriber("mail.Tell"), other.subscriber("mail.Count")],
        max_attempts=2,
        backoff_base=timedelta(seconds=10),
        on_given_up=given_up.append,
    )
    await _publish(db, *_notes(clock, "a", "poison", "b"))

    await dispatcher.drain()
    # The batch failed as a whole; each fact was then handed over alone, once.
    assert batching.calls == {"a": 2, "poison": 2, "b": 2}
    assert batching.singles == ["a", "b"]
    assert await spine.backlog() == {"trips.relay": 0, "mail.Tell": 1, "mail.Count": 1}
    clock.advance(seconds=10)
    await dispatcher.drain()

    assert batching.calls == {"a": 2, "poison": 3, "b": 2}  # the succeeded facts never ran again
    assert batching.singles == other.singles == ["a", "b"]
    # Given up after its two attempts: the failed batch and the try alone took one attempt.
    assert sorted((d.subscriber, d.attempts) for d in given_up) == [("mail.Count", 2), ("mail.Tell", 2)]
    assert await spine.dead_count() == {"mail.Tell": 1, "mail.Count": 1}
    [letter, _] = await spine.dead_letters(limit=10)
    assert letter.delivery.last_error == "RuntimeError: poison"


async def test_batches_are_split_to_use_every_slot_of_the_concurrency(db, clock) -> None:
    batching = BatchSpy()
    dispatcher, _ = _spine(db, clock, [batching.subscriber()], concurrency=2)
    await _publish(db, *_notes(clock, "a", "b", "c", "d", "e"))

    await dispatcher.drain()
    assert batching.batches == [["a", "b", "c"], ["d", "e"]]


async def test_facts_about_one_booking_or_user_reach_a_subscriber_in_published_order(db, clock) -> None:
    """Facts of one instant (a frozen clock), the first slow to handle, with room to run all
    at once: those about one booking, or one user, still come one after another, as
    published; those about others run beside them."""
    seen: list[str] = []
    pavel, rita = uuid.uuid4(), uuid.uuid4()
    first, second, ritas = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    names = {first: "first", second: "second", ritas: "rita's"}

    async def note(event: DomainEvent) -> None:
        assert isinstance(event, BookingMade | BookingDropped)
        if isinstance(event, BookingMade):
            await asyncio.sleep(0.05)  # the slow one must not be overtaken by what follows it
        seen.append(f"{type(event).__name__} {names[event.booking_id]}")

    dispatcher, _ = _spine(
        db,
        clock,
        [Subscriber("mail.Note", "mail", kind, note) for kind in (BookingMade, BookingDropped)],
        concurrency=4,
    )
    now = clock.now()
    await _publish(db, BookingMade(occurred_at=now, booking_id=first, user_id=pavel))
    await _publish(db, BookingDropped(occurred_at=now, booking_id=first, user_id=pavel))
    await _publish(db, BookingMade(occurred_at=now, booking_id=second, user_id=pavel))  # same user
    await _publish(db, BookingDropped(occurred_at=now, booking_id=ritas, user_id=rita))

    await dispatcher.drain()
    assert [s for s in seen if s != "BookingDropped rita's"] == [
        "BookingMade first",
        "BookingDropped first",
        "BookingMade second",
    ]
    assert seen[0] == "BookingDropped rita's"  # about someone else: it did not wait


async def test_a_wave_of_independent_facts_is_still_one_batch(db, clock) -> None:
    """Each booking's facts interleaved (made, dropped, made, dropped …): the waves keep each
    booking's order and still hand each type over as one batch."""
    batches: list[list[str]] = []

    async def one(event: DomainEvent) -> None:
        raise AssertionError("delivered one at a time")

    async def many(events: Sequence[DomainEvent]) -> None:
        batches.append([type(event).__name__[7:] for event in events])

    dispatcher, _ = _spine(
        db,
        clock,
        [Subscriber("mail.Tell", "mail", kind, one, many) for kind in (BookingMade, BookingDropped)],
    )
    bookings = [(uuid.uuid4(), uuid.uuid4()) for _ in range(3)]
    for booking_id, user_id in bookings:
        for kind in (BookingMade, BookingDropped):
            await _publish(db, kind(occurred_at=clock.now(), booking_id=booking_id, user_id=user_id))

    await dispatcher.drain()
    assert batches == [["Made"] * 3, ["Dropped"] * 3]


class Step:
    """A relay (or dispatcher) of one domain that takes a while, counting who runs with it."""

    running = 0
    most = 0

    def __init__(self, moved: int, *, fails: bool = False) -> None:
        self.moved = moved
        self.fails = fails
        self.done = False

    async def relay_once(self) -> int:
        Step.running += 1
        Step.most = max(Step.most, Step.running)
        try:
            await asyncio.sleep(0.01)
            if self.fails:
                raise RuntimeError("outbox down")
            return self.moved
        finally:
            Step.running -= 1
            self.done = True

    dispatch_once = relay_once


@pytest.fixture
def steps() -> None:
    Step.running = Step.most = 0


@pytest.mark.usefixtures("steps")
@pytest.mark.parametrize("at_once", [1, 2, 3])
async def test_a_pass_runs_at_most_at_once_domains_together(at_once: int) -> None:
    relays, dispatchers = [Step(1), Step(2), Step(3)], [Step(10), Step(20), Step(30)]
    spine = OutboxDispatcher(relays, dispatchers, at_once=at_once)  # type: ignore[arg-type]

    moved = await spine.dispatch_once()

    assert moved == 66
    assert Step.most == at_once


@pytest.mark.usefixtures("steps")
async def test_a_domain_that_fails_does_not_stop_the_others_of_its_pass() -> None:
    broken, others = Step(1, fails=True), [Step(2), Step(3)]
    dispatcher = Step(10)
    spine = OutboxDispatcher([others[0], broken, others[1]], [dispatcher], at_once=2)  # type: ignore[arg-type]

    with pytest.raises(RuntimeError, match="outbox down"):
        await spine.dispatch_once()

    assert all(step.done for step in others)  # the other relays ran to their end
    assert not dispatcher.done  # the pass ended with the relays' error, as one at a time does
