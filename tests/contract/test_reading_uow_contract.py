"""A unit of work entered for reading (``UnitOfWork.reading``) on SQLite and PostgreSQL:
it reads what is committed, takes no write lock, holds no transaction on PostgreSQL, and
refuses to commit; the next entry is an ordinary one again."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.memory.database import MemoryDatabase, MemoryUnitOfWork
from aquastream.adapters.sql.catalog.organizers import SqlOrganizerRepository
from aquastream.adapters.sql.tables.catalog import outbox
from aquastream.adapters.sql.uow import SqlUnitOfWork
from aquastream.domain.catalog.model import Organizer
from aquastream.domain.shared.ids import new_id

from .conftest import open_migrated_engine


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = await open_migrated_engine(request, request.param, tmp_path, pool_size=4)
    try:
        yield engine
    finally:
        await engine.dispose()


def organizer(slug: str) -> Organizer:
    now = datetime.now(UTC)
    return Organizer(new_id(), slug, slug.title(), new_id(), now, now)


async def test_a_reading_unit_of_work_sees_commits_and_blocks_no_writer(engine: AsyncEngine) -> None:
    reader = SqlUnitOfWork(engine, outbox, "catalog")
    writer = SqlUnitOfWork(engine, outbox, "catalog")
    first, second = organizer("first"), organizer("second")

    async with reader.reading():
        assert await SqlOrganizerRepository(reader).get(first.id) is None
        # A writer gets in and commits while the reader is open (SQLite: no write lock held).
        async with writer:
            await SqlOrganizerRepository(writer).add(first)
            await writer.commit()
    async with reader.reading():
        assert await SqlOrganizerRepository(reader).get(first.id) == first

    async with reader:  # the next entry is an ordinary unit of work again
        await SqlOrganizerRepository(reader).add(second)
        await reader.commit()
    async with writer.reading():
        assert await SqlOrganizerRepository(writer).get(second.id) == second


async def test_a_reading_unit_of_work_refuses_to_commit(engine: AsyncEngine) -> None:
    uow = SqlUnitOfWork(engine, outbox, "catalog")
    async with uow.reading():
        with pytest.raises(RuntimeError, match="commits nothing"):
            await uow.commit()


@pytest.mark.postgres
async def test_on_postgresql_reading_holds_no_transaction(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    engine = await open_migrated_engine(request, "postgres", tmp_path, pool_size=2)
    try:
        uow = SqlUnitOfWork(engine, outbox, "catalog")
        xid = text("SELECT pg_current_xact_id()::text")

        async def two_transaction_ids() -> set[str]:
            return {(await uow.connection.execute(xid)).scalar_one() for _ in range(2)}

        async with uow.reading():
            assert len(await two_transaction_ids()) == 2  # each statement is its own transaction
        async with uow:
            assert len(await two_transaction_ids()) == 1
    finally:
        await engine.dispose()


async def test_the_memory_unit_of_work_reads_under_its_one_lock() -> None:
    db = MemoryDatabase()
    uow = MemoryUnitOfWork(db)
    async with uow.reading():
        assert db.lock.locked()
    assert not db.lock.locked()
