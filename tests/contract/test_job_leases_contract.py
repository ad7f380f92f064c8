"""Contract of job leases: of many worker instances, exactly one runs each tick of a job."""

from __future__ import annotations

from datetime import timedelta

from .conftest import RACERS, Backend
from .factories import NOW

EVERY_MINUTE = timedelta(minutes=1)


async def test_the_first_caller_of_a_new_job_wins_its_tick(backend: Backend) -> None:
    assert await backend.job_leases.try_acquire("expire-holds", now=NOW, interval=EVERY_MINUTE)
    assert not await backend.job_leases.try_acquire("expire-holds", now=NOW, interval=EVERY_MINUTE)


async def test_the_next_tick_is_due_one_interval_later(backend: Backend) -> None:
    await backend.job_leases.try_acquire("expire-holds", now=NOW, interval=EVERY_MINUTE)

    too_early = await backend.job_leases.try_acquire(
        "expire-holds", now=NOW + EVERY_MINUTE - timedelta(microseconds=1), interval=EVERY_MINUTE
    )
    on_time = await backend.job_leases.try_acquire(
        "expire-holds", now=NOW + EVERY_MINUTE, interval=EVERY_MINUTE
    )

    assert (too_early, on_time) == (False, True)


async def test_a_late_tick_counts_the_interval_from_when_it_ran(backend: Backend) -> None:
    await backend.job_leases.try_acquire("expire-holds", now=NOW, interval=EVERY_MINUTE)
    late = NOW + 10 * EVERY_MINUTE

    assert await backend.job_leases.try_acquire("expire-holds", now=late, interval=EVERY_MINUTE)
    assert not await backend.job_leases.try_acquire(
        "expire-holds", now=late + EVERY_MINUTE / 2, interval=EVERY_MINUTE
    )
    assert await backend.job_leases.try_acquire(
        "expire-holds", now=late + EVERY_MINUTE, interval=EVERY_MINUTE
    )


async def test_jobs_hold_separate_leases(backend: Backend) -> None:
    assert await backend.job_leases.try_acquire("expire-holds", now=NOW, interval=EVERY_MINUTE)
    assert await backend.job_leases.try_acquire("send-reminders", now=NOW, interval=EVERY_MINUTE)


async def test_concurrent_callers_of_one_tick_have_exactly_one_winner(backend: Backend) -> None:
    won = await backend.all_at_once(
        lambda: backend.job_leases.try_acquire("expire-holds", now=NOW, interval=EVERY_MINUTE)
    )

    assert sorted(won) == [False] * (RACERS - 1) + [True]


async def test_concurrent_callers_of_a_later_tick_have_exactly_one_winner(backend: Backend) -> None:
    await backend.job_leases.try_acquire("expire-holds", now=NOW, interval=EVERY_MINUTE)

    won = await backend.all_at_once(
        lambda: backend.job_leases.try_acquire("expire-holds", now=NOW + EVERY_MINUTE, interval=EVERY_MINUTE)
    )

    assert sorted(won) == [False] * (RACERS - 1) + [True]
