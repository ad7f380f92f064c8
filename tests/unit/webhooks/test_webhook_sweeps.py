"""The sender runs beside the scheduler: a tick returns at once, however long a sweep waits for
a slow endpoint, and no more than a few sweeps run at once in one process."""

from __future__ import annotations

import asyncio

from aquastream.ioc.webhooks import BackgroundSweeps


async def test_a_tick_returns_at_once_and_the_sweeps_under_way_are_bounded() -> None:
    release = asyncio.Event()
    started = 0

    async def slow_sweep() -> None:
        nonlocal started
        started += 1
        await release.wait()

    sweeps = BackgroundSweeps(slow_sweep, limit=2)
    async with asyncio.timeout(1):
        for _ in range(5):
            await sweeps.tick()
            await asyncio.sleep(0)
    assert started == 2

    release.set()
    await asyncio.sleep(0.01)
    await sweeps.tick()
    await asyncio.sleep(0)
    assert started == 3
    await sweeps.stop()


async def test_a_failing_sweep_is_logged_and_the_next_tick_sweeps_again() -> None:
    runs = 0

    async def failing() -> None:
        nonlocal runs
        runs += 1
        raise RuntimeError("database gone")

    sweeps = BackgroundSweeps(failing, limit=1)
    for _ in range(3):
        await sweeps.tick()
        await asyncio.sleep(0.01)
    assert runs == 3
    await sweeps.stop()
