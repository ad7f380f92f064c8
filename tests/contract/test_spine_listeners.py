"""``SpineListeners`` on PostgreSQL: one listening connection serves every party of the
process that wants to hear of other processes' commits (the worker, the catalog cache)."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from aquastream.adapters.sql.engine import create_engine
from aquastream.adapters.sql.outbox import SPINE_CHANNEL
from aquastream.adapters.sql.spine_listener import SpineListeners


async def test_a_notification_reaches_every_party_and_a_removed_one_no_more(postgres_url: str) -> None:
    engine, other = create_engine(postgres_url, pool_size=1), create_engine(postgres_url, pool_size=1)
    listeners = SpineListeners([engine])
    worker, cache = asyncio.Event(), asyncio.Event()
    heard_by_cache: list[int] = []
    listeners.add(worker.set)
    remove_cache = listeners.add(lambda: (cache.set(), heard_by_cache.append(1)))

    async def notify() -> None:
        async with other.connect() as connection:
            await connection.execute(text("SELECT pg_notify(:c, 'catalog')"), {"c": SPINE_CHANNEL})
            await connection.commit()

    try:
        for _ in range(50):  # until the listening connection is open
            await notify()
            if cache.is_set():
                break
            await asyncio.sleep(0.1)
        await asyncio.wait_for(worker.wait(), 5)
        assert cache.is_set()
        remove_cache()
        heard_before, worker_before = len(heard_by_cache), worker
        worker.clear()
        await notify()
        await asyncio.wait_for(worker_before.wait(), 5)
        assert len(heard_by_cache) == heard_before
        assert engine.pool.checkedout() == 1  # one connection, whoever listens
    finally:
        await listeners.stop()
        await engine.dispose()
        await other.dispose()
