"""Periodic jobs run once per tick, whichever of several instances gets there first."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from aquastream.adapters.memory.clock import FrozenClock
from aquastream.adapters.memory.database import MemoryDatabase, MemoryJobLeases
from aquastream.domain.shared.scheduling import PeriodicJob, Scheduler


def _counting_job(name: str, seconds: float, runs: list[str]) -> PeriodicJob:
    async def run() -> None:
        runs.append(name)

    return PeriodicJob(name, timedelta(seconds=seconds), run)


async def test_each_tick_runs_once_across_several_instances() -> None:
    clock = FrozenClock()
    leases = MemoryJobLeases(MemoryDatabase())
    runs: list[str] = []
    instances = [Scheduler(leases, clock, [_counting_job("sweep", 60, runs)]) for _ in range(5)]

    for _ in range(3):
        await asyncio.gather(*(s.run_due() for s in instances))
    assert runs == ["sweep"]

    clock.advance(seconds=60)
    await asyncio.gather(*(s.run_due() for s in instances))
    assert runs == ["sweep", "sweep"]


async def test_jobs_keep_their_own_intervals() -> None:
    clock = FrozenClock()
    runs: list[str] = []
    scheduler = Scheduler(
        MemoryJobLeases(MemoryDatabase()),
        clock,
        [_counting_job("minutely", 60, runs), _counting_job("hourly", 3600, runs)],
    )
    for _ in range(61):
        await scheduler.run_due()
        clock.advance(seconds=60)
    assert runs.count("minutely") == 61
    assert runs.count("hourly") == 2


async def test_a_failing_job_does_not_stop_the_others_and_waits_for_its_next_tick() -> None:
    clock = FrozenClock()
    runs: list[str] = []

    async def broken() -> None:
        runs.append("broken")
        raise RuntimeError("boom")

    scheduler = Scheduler(
        MemoryJobLeases(MemoryDatabase()),
        clock,
        [PeriodicJob("broken", timedelta(seconds=60), broken), _counting_job("fine", 60, runs)],
    )
    assert await scheduler.run_due() == ["broken", "fine"]
    assert await scheduler.run_due() == []
    assert runs == ["broken", "fine"]


def test_job_names_must_be_unique() -> None:
    runs: list[str] = []
    with pytest.raises(ValueError, match="duplicate"):
        Scheduler(
            MemoryJobLeases(MemoryDatabase()),
            FrozenClock(),
            [_counting_job("a", 1, runs), _counting_job("a", 2, runs)],
        )
