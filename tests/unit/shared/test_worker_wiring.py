"""Domains plug their reactions and jobs into the worker; each run gets its own request scope."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from datetime import timedelta

import pytest
from dishka import AsyncContainer, Provider, Scope, make_async_container, provide
from sqlalchemy.ext.asyncio import create_async_engine

from aquastream.adapters.http.tracing import Tracing
from aquastream.adapters.memory.clock import FrozenClock
from aquastream.adapters.memory.database import MemoryDatabase, MemoryInbox, MemoryJobLeases, MemoryOutbox
from aquastream.adapters.sql.engine import DomainEngines
from aquastream.adapters.sql.spine_listener import SpineListeners
from aquastream.domain.shared.dispatch import EventRouter
from aquastream.domain.shared.events import DomainEvent
from aquastream.domain.shared.scheduling import PeriodicJob, Scheduler
from aquastream.ioc.subscriptions import Reactions, on
from aquastream.ioc.worker import WorkerProvider, reaction_batch_handler, reaction_handler, use_case_job
from aquastream.ports.clock import Clock
from aquastream.ports.outbox import Inbox, JobLeases, Outbox
from aquastream.settings import Settings


class TripBooked(DomainEvent, frozen=True, kw_only=True):
    trip: str


class RecordTrip:
    """A use case with request-scoped state, to show that every call gets a fresh one."""

    instances = 0

    def __init__(self, log: list[str]) -> None:
        RecordTrip.instances += 1
        self._log = log

    async def __call__(self, trip: str) -> None:
        self._log.append(trip)


class DomainProvider(Provider):
    def __init__(self, log: list[str]) -> None:
        super().__init__()
        self._log = log

    @provide(scope=Scope.APP)
    def log(self) -> list[str]:
        return self._log

    @provide(scope=Scope.REQUEST)
    def record_trip(self, log: list[str]) -> RecordTrip:
        return RecordTrip(log)

    @provide(scope=Scope.APP)
    def reactions(self) -> Reactions:
        return Reactions("trips", on(TripBooked, RecordTrip).call(lambda record, e: record(e.trip)))

    @provide(scope=Scope.APP, provides=PeriodicJob)
    def nightly(self, container: AsyncContainer) -> PeriodicJob:
        return use_case_job(container, "nightly", timedelta(days=1), RecordTrip, lambda uc: uc("nightly"))


class MemoryWorkerPorts(Provider):
    scope = Scope.APP

    def __init__(self) -> None:
        super().__init__()
        self._db = MemoryDatabase()

    @provide
    def settings(self) -> Settings:
        return Settings.for_tests()

    @provide
    def clock(self) -> Clock:
        return FrozenClock()

    @provide
    def tracing(self) -> Tracing:
        return Tracing.off()

    @provide
    def leases(self) -> JobLeases:
        return MemoryJobLeases(self._db)

    @provide
    def outboxes(self) -> Sequence[Outbox]:
        return [MemoryOutbox(self._db, "trips")]

    @provide
    def inboxes(self) -> Mapping[str, Inbox]:
        return {"trips": MemoryInbox(self._db, "trips")}

    @provide
    def engines(self) -> DomainEngines:
        # The worker's wake-ups register on every engine.
        return DomainEngines(create_async_engine("sqlite+aiosqlite://"), {}, "sqlite+aiosqlite://")

    @provide
    def heard(self, engines: DomainEngines) -> SpineListeners:
        return SpineListeners(engines.distinct)


async def test_subscribers_and_jobs_run_their_use_case_in_a_fresh_scope() -> None:
    log: list[str] = []
    container = make_async_container(WorkerProvider(), MemoryWorkerPorts(), DomainProvider(log))
    try:
        router = await container.get(EventRouter)
        scheduler = await container.get(Scheduler)
        before = RecordTrip.instances
        await router.deliver(TripBooked(occurred_at=FrozenClock().now(), trip="Katun"))
        await router.deliver(TripBooked(occurred_at=FrozenClock().now(), trip="Chuya"))
        assert await scheduler.run_due() == ["nightly"]
    finally:
        await container.close()
    assert log == ["Katun", "Chuya", "nightly"]
    assert RecordTrip.instances - before == 3


def test_a_domain_names_its_subscribers_and_reacts_once_per_use_case_and_event() -> None:
    table = Reactions("trips", on(TripBooked, RecordTrip).call(lambda record, e: record(e.trip)))
    assert [r.subscriber for r in table.reactions] == ["trips.RecordTrip"]

    twice = on(TripBooked, RecordTrip).call(lambda record, e: record(e.trip))
    with pytest.raises(ValueError, match="reacts twice"):
        Reactions("trips", twice, twice)


async def test_a_reaction_that_takes_many_facts_gets_a_batch_in_one_scope_or_one_fact_alone() -> None:
    log: list[str] = []
    many = on(TripBooked, RecordTrip).call_many(
        lambda record, events: record("+".join(e.trip for e in events))
    )
    one = on(TripBooked, RecordTrip).call(lambda record, e: record(e.trip))
    container = make_async_container(DomainProvider(log))
    at = FrozenClock().now()
    try:
        batch = reaction_batch_handler(container, many)
        assert batch is not None
        assert reaction_batch_handler(container, one) is None
        before = RecordTrip.instances
        await batch([TripBooked(occurred_at=at, trip="Katun"), TripBooked(occurred_at=at, trip="Chuya")])
        await reaction_handler(container, many)(TripBooked(occurred_at=at, trip="Biya"))
    finally:
        await container.close()
    assert log == ["Katun+Chuya", "Biya"]
    assert RecordTrip.instances - before == 2


async def test_a_job_in_lanes_runs_them_at_once_each_with_a_use_case_of_its_own_a_failure_raised_last() -> (
    None
):
    log: list[str] = []
    container = make_async_container(MemoryWorkerPorts(), DomainProvider(log))
    both_started = asyncio.Barrier(2)
    seen: list[RecordTrip] = []

    async def lane(record: RecordTrip, name: str) -> None:
        seen.append(record)
        await both_started.wait()  # neither lane ends before the other has begun: they run at once
        if name == "broken":
            raise RuntimeError("lane broken")
        await record(name)

    job = use_case_job(
        container,
        "laned",
        timedelta(minutes=1),
        RecordTrip,
        lambda record: lane(record, "broken"),
        lambda record: lane(record, "whole"),
    )
    try:
        with pytest.raises(RuntimeError, match="lane broken"):
            await asyncio.wait_for(job.run(), timeout=5)
    finally:
        await container.close()
    assert log == ["whole"]  # the failing lane did not stop the other
    assert len(seen) == 2
    assert seen[0] is not seen[1]
