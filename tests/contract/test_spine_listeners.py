"""``SpineListeners`` on PostgreSQL: one listening connection serves every party of the
process that wants to hear of other processes' commits (the worker, the catalog cache)."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.sql.engine import create_engine
from aquastream.adapters.sql.outbox import SPINE_CHANNEL
from aquastream.adapters.sql.spine_listener import SpineListeners
from aquastream.adapters.sql.tables import tickets as tickets_tables
from aquastream.adapters.sql.uow import SqlUnitOfWork
from aquastream.domain.tickets.events import SeatCheckedIn

from .conftest import empty_all_tables, open_migrated_engine


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
        # One connection listens for every party, outside the pool: the pool's only
        # connection stays free for the requests.
        assert engine.pool.checkedout() == 0
        async with asyncio.timeout(5), engine.connect() as connection:
            assert await connection.scalar(text("SELECT 1")) == 1
    finally:
        await listeners.stop()
        await engine.dispose()
        await other.dispose()


async def _hearing(engine: AsyncEngine, listeners: SpineListeners, heard: asyncio.Event) -> None:
    """Until the listening connection hears a notification sent by hand."""
    async with asyncio.timeout(10):
        while not heard.is_set():
            async with engine.connect() as connection:
                await connection.execute(text("SELECT pg_notify(:c, 'probe')"), {"c": SPINE_CHANNEL})
                await connection.commit()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(heard.wait(), 0.1)
    heard.clear()


def _checked_in() -> SeatCheckedIn:
    now = datetime.now(UTC)
    return SeatCheckedIn(
        occurred_at=now,
        event_id=uuid.uuid4(),
        booking_id=uuid.uuid4(),
        seat=1,
        ticket_id=uuid.uuid4(),
        checked_in_by=uuid.uuid4(),
        checked_in_at=now,
    )


@pytest.mark.postgres
async def test_a_commit_that_publishes_a_fact_wakes_other_processes_through_the_outboxs_trigger(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """The unit of work sends no notification itself: the outbox's trigger does (migration
    0035), at commit, and not for a transaction rolled back."""
    writing = await open_migrated_engine(request, "postgres", tmp_path, pool_size=1)
    listening = create_engine(str(writing.url.render_as_string(hide_password=False)), pool_size=1)
    listeners = SpineListeners([listening])
    heard = asyncio.Event()
    listeners.add(heard.set)
    try:
        await _hearing(writing, listeners, heard)

        uow = SqlUnitOfWork(writing, tickets_tables.outbox, "tickets")
        async with uow:
            uow.collect(_checked_in())
            await uow.write_events()  # written, then rolled back
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(heard.wait(), 0.5)

        async with uow:
            uow.collect(_checked_in())
            await uow.commit()
        await asyncio.wait_for(heard.wait(), 5)
    finally:
        await listeners.stop()
        await empty_all_tables(writing)
        await writing.dispose()
        await listening.dispose()
