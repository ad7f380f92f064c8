"""The background worker runs the event spine and the due jobs until it is stopped."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from aquastream.adapters.memory.database import (
    MemoryDatabase,
    MemoryInbox,
    MemoryJobLeases,
    MemoryOutbox,
    MemoryUnitOfWork,
)
from aquastream.adapters.system import SystemClock
from aquastream.domain.shared.dispatch import (
    EventRouter,
    Handler,
    InboxDispatcher,
    OutboxDispatcher,
    Relay,
    Subscriber,
)
from aquastream.domain.shared.events import DomainEvent
from aquastream.domain.shared.scheduling import PeriodicJob, Scheduler
from aquastream.worker import BackgroundWorker


class PingSent(DomainEvent, frozen=True, kw_only=True):
    number: int


def _spine(
    db: MemoryDatabase, clock: SystemClock, deliver: Handler, outbox: MemoryOutbox | None = None
) -> OutboxDispatcher:
    router = EventRouter([Subscriber("pongs.Pong", "pongs", PingSent, deliver)])
    inbox = MemoryInbox(db, "pongs")
    relay = Relay(outbox or MemoryOutbox(db, "app"), {"pongs": inbox}, router, clock)
    return OutboxDispatcher([relay], [InboxDispatcher(inbox, router, clock)])


async def test_worker_delivers_events_and_runs_jobs_until_stopped() -> None:
    db = MemoryDatabase()
    clock = SystemClock()
    delivered: list[int] = []
    job_runs: list[int] = []
    all_delivered = asyncio.Event()

    async def deliver(event: DomainEvent) -> None:
        assert isinstance(event, PingSent)
        delivered.append(event.number)
        if len(delivered) == 3:
            all_delivered.set()

    async def job() -> None:
        job_runs.append(1)

    worker = BackgroundWorker(
        _spine(db, clock, deliver),
        Scheduler(MemoryJobLeases(db), clock, [PeriodicJob("tick", timedelta(hours=1), job)]),
        poll_seconds=0.01,
        tick_seconds=0.01,
    )
    worker.start()
    async with MemoryUnitOfWork(db) as uow:
        uow.collect(*(PingSent(occurred_at=clock.now(), number=n) for n in range(3)))
        await uow.commit()
    await asyncio.wait_for(all_delivered.wait(), timeout=5)
    await worker.stop()

    assert sorted(delivered) == [0, 1, 2]
    assert job_runs == [1]


async def test_worker_survives_a_failing_pass() -> None:
    db = MemoryDatabase()
    clock = SystemClock()
    calls: list[int] = []
    recovered = asyncio.Event()

    class FlakyOutbox(MemoryOutbox):
        async def lease(self, **kwargs):  # type: ignore[no-untyped-def]
            calls.append(1)
            if len(calls) == 1:
                raise ConnectionError("database restarting")
            recovered.set()
            return await super().lease(**kwargs)

    async def deliver(event: DomainEvent) -> None:
        return None

    worker = BackgroundWorker(
        _spine(db, clock, deliver, FlakyOutbox(db, "app")),
        Scheduler(MemoryJobLeases(db), clock, []),
        poll_seconds=0.01,
        tick_seconds=0.01,
    )
    worker.start()
    await asyncio.wait_for(recovered.wait(), timeout=5)
    await worker.stop()
    assert len(calls) >= 2


async def test_a_woken_worker_passes_at_once_instead_of_at_its_next_poll() -> None:
    db = MemoryDatabase()
    clock = SystemClock()
    delivered = asyncio.Event()

    async def deliver(event: DomainEvent) -> None:
        delivered.set()

    worker = BackgroundWorker(
        _spine(db, clock, deliver), Scheduler(MemoryJobLeases(db), clock, []), poll_seconds=3600
    )
    worker.start()
    await asyncio.sleep(0.05)  # the first pass found nothing: the worker waits for an hour
    async with MemoryUnitOfWork(db) as uow:
        uow.collect(PingSent(occurred_at=clock.now(), number=1))
        await uow.commit()
    worker.wake()
    await asyncio.wait_for(delivered.wait(), timeout=5)
    await worker.stop()
