"""The adapters every contract suite runs against: memory, SQLite and PostgreSQL.

A SQL backend gets a database migrated with the real migrations: SQLite a copy of a
file migrated once per session (``migrated_sqlite_file``), PostgreSQL the session's
database (``migrated_postgres_url``) emptied before
each test. Race tests run ``RACERS`` attempts at once; on PostgreSQL they first meet
at a barrier inside their transactions, so that their statements truly collide.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import Connection, event
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.memory.database import MemoryDatabase, MemoryInbox, MemoryJobLeases, MemoryOutbox
from aquastream.adapters.memory.identity import MemoryIdentityUnitOfWork
from aquastream.adapters.sql.engine import create_engine
from aquastream.adapters.sql.identity import SqlIdentityUnitOfWork
from aquastream.adapters.sql.outbox import SqlInbox, SqlJobLeases, SqlOutbox
from aquastream.adapters.sql.tables import identity as identity_tables
from aquastream.adapters.sql.tables import metadata
from aquastream.adapters.sql.tables import notifications as notifications_tables
from aquastream.domain.identity.model import User
from aquastream.ports.identity import IdentityUnitOfWork
from aquastream.ports.outbox import Inbox, JobLeases, Outbox

RACERS = 20
T = TypeVar("T")

AllIn = Callable[[], Awaitable[None]]


@dataclass
class Backend:
    name: str
    identity_uow: Callable[[], IdentityUnitOfWork]
    outbox: Outbox  # identity's, where the identity units of work publish
    inbox: Inbox  # notifications', a domain that reacts to identity's facts
    job_leases: JobLeases
    # Memory and SQLite let one writing transaction in at a time: a barrier inside
    # transactions would wait forever there, and the race is serialised anyway.
    one_writer_at_a_time: bool
    engine: AsyncEngine | None = None
    memory: MemoryDatabase | None = None

    async def add_users(self, *users: User) -> None:
        async with self.identity_uow() as uow:
            for user in users:
                await uow.users.add(user)
            await uow.commit()

    async def race(self, attempt: Callable[[AllIn], Awaitable[T]], racers: int = RACERS) -> list[T]:
        """Run ``racers`` copies of ``attempt``; each awaits ``all_in()`` right before its
        contested statement."""
        if self.one_writer_at_a_time:

            async def all_in() -> None:
                return None

        else:
            barrier = asyncio.Barrier(racers)

            async def all_in() -> None:
                await barrier.wait()

        async with asyncio.timeout(60):
            return list(await asyncio.gather(*(attempt(all_in) for _ in range(racers))))

    async def all_at_once(self, call: Callable[[], Awaitable[T]], times: int = RACERS) -> list[T]:
        """Make ``times`` calls concurrently, each in its own transaction.

        On PostgreSQL the pool is filled first: were connections opened on demand, the
        first call could finish before the others are connected and nothing would race.
        """
        if self.engine is not None and not self.one_writer_at_a_time:
            await _fill_pool(self.engine, times)
        async with asyncio.timeout(60):
            return list(await asyncio.gather(*(call() for _ in range(times))))


async def _fill_pool(engine: AsyncEngine, size: int) -> None:
    everyone_connected = asyncio.Barrier(size)

    async def hold_a_connection() -> None:
        async with engine.connect():
            await everyone_connected.wait()

    await asyncio.gather(*(hold_a_connection() for _ in range(size)))


async def empty_all_tables(engine: AsyncEngine) -> None:
    """Delete every row of every table, children first. DELETE, not TRUNCATE: on tables this
    small it takes a few milliseconds where TRUNCATE (new files for ~30 tables) takes 60."""
    async with engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            await connection.execute(table.delete())


def _sql_backend(name: str, engine: AsyncEngine) -> Backend:
    return Backend(
        name=name,
        identity_uow=lambda: SqlIdentityUnitOfWork(engine),
        outbox=SqlOutbox(engine, identity_tables.outbox, "identity"),
        inbox=SqlInbox(engine, notifications_tables.deliveries, "notifications"),
        job_leases=SqlJobLeases(engine),
        one_writer_at_a_time=name == "sqlite",
        engine=engine,
    )


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Backend]:
    if request.param == "memory":
        database = MemoryDatabase()
        yield Backend(
            name="memory",
            identity_uow=lambda: MemoryIdentityUnitOfWork(database),
            outbox=MemoryOutbox(database, "identity"),
            inbox=MemoryInbox(database, "notifications"),
            job_leases=MemoryJobLeases(database),
            one_writer_at_a_time=True,
            memory=database,
        )
        return
    async for sql_backend in _sql_backend_for(request, tmp_path):
        yield sql_backend


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def sql_backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Backend]:
    """The SQL backends alone, for contracts about what only a database does (locks)."""
    async for sql_backend in _sql_backend_for(request, tmp_path):
        yield sql_backend


async def open_migrated_engine(
    request: pytest.FixtureRequest, backend: str, tmp_path: Path, *, pool_size: int = RACERS
) -> AsyncEngine:
    """``backend`` "sqlite": a copy of the migrated template file; "postgres": the session's
    migrated database, emptied."""
    if backend == "sqlite":
        path = tmp_path / "aquastream.db"
        shutil.copyfile(request.getfixturevalue("migrated_sqlite_file"), path)
        return create_engine(f"sqlite+aiosqlite:///{path}", pool_size=pool_size)
    engine = create_engine(request.getfixturevalue("migrated_postgres_url"), pool_size=pool_size)
    await empty_all_tables(engine)
    return engine


async def _sql_backend_for(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Backend]:
    engine = await open_migrated_engine(request, request.param, tmp_path)
    try:
        yield _sql_backend(request.param, engine)
    finally:
        await engine.dispose()


@pytest.fixture
async def postgres_engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """The session's migrated PostgreSQL database, emptied: for what only PostgreSQL does."""
    engine = await open_migrated_engine(request, "postgres", tmp_path)
    try:
        yield engine
    finally:
        await engine.dispose()


@contextmanager
def statements_sent(engine: AsyncEngine) -> Iterator[list[tuple[str, object]]]:
    """Each statement ``engine`` sends while the block runs, with its connection's isolation
    level ("AUTOCOMMIT" when it stands by itself), its whitespace folded."""
    sent: list[tuple[str, object]] = []

    def record(connection: Connection, cursor: object, statement: str, *args: object) -> None:
        sent.append((" ".join(statement.split()), connection.get_execution_options().get("isolation_level")))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
