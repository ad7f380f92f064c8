"""The outbox dispatcher delivers committed events at least once, with backoff on failure."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from aquastream.adapters.memory.clock import FrozenClock
from aquastream.adapters.memory.database import MemoryDatabase, MemoryOutboxStore, MemoryUnitOfWork
from aquastream.domain.shared.dispatch import EventRouter, OutboxDispatcher
from aquastream.domain.shared.events import DomainEvent


class SomethingHappened(DomainEvent, frozen=True, kw_only=True):
    subject_id: uuid.UUID


class SomethingElseHappened(DomainEvent, frozen=True, kw_only=True):
    note: str


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def db() -> MemoryDatabase:
    return MemoryDatabase()


async def _commit_events(db: MemoryDatabase, *events: DomainEvent) -> None:
    async with MemoryUnitOfWork(db) as uow:
        uow.collect(*events)
        await uow.commit()


async def test_committed_events_reach_their_subscribers_once(db, clock) -> None:
    received: list[DomainEvent] = []
    other: list[DomainEvent] = []
    router = EventRouter()

    async def on_something(event: DomainEvent) -> None:
        received.append(event)

    async def on_other(event: DomainEvent) -> None:
        other.append(event)

    router.subscribe(SomethingHappened, on_something)
    router.subscribe(SomethingElseHappened, on_other)
    store = MemoryOutboxStore(db)
    first = SomethingHappened(occurred_at=clock.now(), subject_id=uuid.uuid4())
    second = SomethingElseHappened(occurred_at=clock.now(), note="hi")
    await _commit_events(db, first, second)

    dispatcher = OutboxDispatcher(store, router.deliver, clock)
    assert await dispatcher.dispatch_once() == 2
    assert await dispatcher.dispatch_once() == 0
    assert received == [first]
    assert other == [second]
    assert await store.backlog() == 0


async def test_events_of_a_rolled_back_unit_of_work_are_never_delivered(db, clock) -> None:
    store = MemoryOutboxStore(db)
    async with MemoryUnitOfWork(db) as uow:
        uow.collect(SomethingElseHappened(occurred_at=clock.now(), note="lost"))
    assert await store.backlog() == 0


async def test_a_failed_delivery_is_retried_after_exponential_backoff(db, clock) -> None:
    attempts: list[int] = []

    async def flaky(event: DomainEvent) -> None:
        attempts.append(1)
        if len(attempts) < 3:
            raise RuntimeError("subscriber down")

    store = MemoryOutboxStore(db)
    dispatcher = OutboxDispatcher(store, flaky, clock, backoff_base=timedelta(seconds=10))
    await _commit_events(db, SomethingElseHappened(occurred_at=clock.now(), note="x"))

    assert await dispatcher.dispatch_once() == 1  # attempt 1 fails, retry in 10 s
    clock.advance(seconds=9)
    assert await dispatcher.dispatch_once() == 0
    clock.advance(seconds=1)
    assert await dispatcher.dispatch_once() == 1  # attempt 2 fails, retry in 20 s
    clock.advance(seconds=19)
    assert await dispatcher.dispatch_once() == 0
    clock.advance(seconds=1)
    assert await dispatcher.dispatch_once() == 1  # attempt 3 succeeds
    assert len(attempts) == 3
    assert await store.backlog() == 0


async def test_a_message_is_given_up_after_the_last_attempt(db, clock) -> None:
    async def broken(event: DomainEvent) -> None:
        raise RuntimeError("always")

    store = MemoryOutboxStore(db)
    dispatcher = OutboxDispatcher(store, broken, clock, max_attempts=2, backoff_base=timedelta(seconds=1))
    await _commit_events(db, SomethingElseHappened(occurred_at=clock.now(), note="x"))
    await dispatcher.dispatch_once()
    clock.advance(seconds=5)
    await dispatcher.dispatch_once()
    clock.advance(days=1)
    assert await dispatcher.dispatch_once() == 0
    assert await store.backlog() == 0
    (row,) = db.table("outbox").values()
    assert row.dead
    assert row.last_error == "RuntimeError: always"


async def test_a_lapsed_lease_makes_a_claimed_message_due_again(db, clock) -> None:
    store = MemoryOutboxStore(db)
    await _commit_events(db, SomethingElseHappened(occurred_at=clock.now(), note="x"))
    (claimed,) = await store.claim(now=clock.now(), limit=10, lease=timedelta(seconds=30))
    assert await store.claim(now=clock.now(), limit=10, lease=timedelta(seconds=30)) == []
    clock.advance(seconds=31)
    (again,) = await store.claim(now=clock.now(), limit=10, lease=timedelta(seconds=30))
    assert again.id == claimed.id
    assert again.attempts == 2


def test_backoff_doubles_and_is_capped(clock) -> None:
    dispatcher = OutboxDispatcher(
        MemoryOutboxStore(MemoryDatabase()),
        EventRouter().deliver,
        clock,
        backoff_base=timedelta(seconds=2),
        backoff_cap=timedelta(seconds=60),
    )
    assert [dispatcher.backoff(n).total_seconds() for n in (1, 2, 3, 4, 5, 6, 7)] == [
        2,
        4,
        8,
        16,
        32,
        60,
        60,
    ]


async def test_draining_delivers_the_facts_that_subscribers_raise_too_and_stops_at_a_failure(
    db: MemoryDatabase, clock: FrozenClock
) -> None:
    router = EventRouter()
    notes: list[str] = []

    async def chain(event: DomainEvent) -> None:  # each fact raises the next, as use cases do
        await _commit_events(db, SomethingElseHappened(occurred_at=clock.now(), note="raised"))

    async def on_note(event: DomainEvent) -> None:
        assert isinstance(event, SomethingElseHappened)
        notes.append(event.note)
        raise RuntimeError("the subscriber is down")

    router.subscribe(SomethingHappened, chain)
    router.subscribe(SomethingElseHappened, on_note)
    await _commit_events(db, SomethingHappened(occurred_at=clock.now(), subject_id=uuid.uuid4()))
    dispatcher = OutboxDispatcher(MemoryOutboxStore(db), router.deliver, clock, batch_size=1)

    assert await dispatcher.drain() == 2  # the fact, then the one its subscriber raised
    assert notes == ["raised"]  # failed once; its retry is not due yet, so draining ended
    clock.advance(minutes=1)
    assert await dispatcher.drain() == 1
    assert notes == ["raised", "raised"]
