"""The booking adapters every booking contract test runs against: memory, SQLite, PostgreSQL.

SQL backends get databases migrated with the real migrations (the session fixtures of
``tests/conftest.py``): SQLite a copy of the migrated file, PostgreSQL the session's
database with the booking tables emptied before each test. The engine pool is small on
purpose (10 + 10 overflow): the seat update wants few concurrent writers.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest
from sqlalchemy import Table, text
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.sql.engine import create_engine
from aquastream.adapters.sql.tables import booking as booking_tables

from .kit import BookingKit, memory_kit, sql_kit

POOL_SIZE = 10
BOOKING_TABLES = [
    booking_tables.waitlist_audit,
    booking_tables.waitlist_entries,
    booking_tables.booking_log,
    booking_tables.bookings,
    booking_tables.inventories,
    booking_tables.idempotency_keys,
]


async def _empty_tables(engine: AsyncEngine, tables: Sequence[Table]) -> None:
    quote = engine.dialect.identifier_preparer.format_table
    async with engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {', '.join(quote(t) for t in tables)}"))


async def open_sql_engine(
    request: pytest.FixtureRequest, backend: str, tmp_path: Path, tables: Sequence[Table] = BOOKING_TABLES
) -> AsyncEngine:
    """A SQLite copy of the migrated template, or the session's PostgreSQL database with
    ``tables`` emptied."""
    if backend == "sqlite":
        path = tmp_path / "aquastream.db"
        shutil.copyfile(request.getfixturevalue("migrated_sqlite_file"), path)
        return create_engine(f"sqlite+aiosqlite:///{path}", pool_size=POOL_SIZE)
    engine = create_engine(request.getfixturevalue("migrated_postgres_url"), pool_size=POOL_SIZE)
    await _empty_tables(engine, tables)
    return engine


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def kit(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[BookingKit]:
    if request.param == "memory":
        yield memory_kit()
        return
    engine = await open_sql_engine(request, request.param, tmp_path)
    try:
        yield sql_kit(request.param, engine)
    finally:
        await engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def sql_engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = await open_sql_engine(request, request.param, tmp_path)
    try:
        yield engine
    finally:
        await engine.dispose()
