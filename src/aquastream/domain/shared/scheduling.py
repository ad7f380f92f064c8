"""Periodic jobs that run once per tick across any number of worker instances."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from aquastream.ports.clock import Clock
from aquastream.ports.outbox import JobLeases

logger = logging.getLogger("aquastream.scheduler")


@dataclass(frozen=True, slots=True)
class PeriodicJob:
    name: str
    interval: timedelta
    run: Callable[[], Awaitable[object]]


class Scheduler:
    """Runs each job whose tick is due and whose lease this instance won.

    A failing job is logged and waits for its next tick: the jobs are sweeps that pick
    up whatever the failed run left, so a retry storm would only add load.
    """

    def __init__(self, leases: JobLeases, clock: Clock, jobs: Sequence[PeriodicJob]) -> None:
        names = [job.name for job in jobs]
        if len(names) != len(set(names)):
            raise ValueError(f"duplicate job names in {names}")
        self._leases = leases
        self._clock = clock
        self._jobs = tuple(jobs)

    @property
    def jobs(self) -> tuple[PeriodicJob, ...]:
        return self._jobs

    async def run_due(self) -> list[str]:
        """Run every due job once; the names of those this instance ran."""
        ran = []
        for job in self._jobs:
            if not await self._leases.try_acquire(job.name, now=self._clock.now(), interval=job.interval):
                continue
            ran.append(job.name)
            try:
                await job.run()
            except Exception:
                logger.exception("scheduled job failed", extra={"job": job.name})
        return ran
