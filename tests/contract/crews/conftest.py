"""The crews adapters every crews contract test runs against: memory, SQLite, PostgreSQL.

SQL backends get databases migrated with the real migrations (the session fixtures of
``tests/conftest.py``): SQLite a copy of the migrated file, PostgreSQL the session's database
with the crews, booking and catalog tables emptied before each test.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.sql.engine import create_engine
from aquastream.adapters.sql.tables import booking, catalog, crews

from .kit import CrewsKit

POOL_SIZE = 20
TABLES = [
    crews.preferences,
    crews.assignments,
    crews.crews,
    booking.bookings,
    catalog.events,
    catalog.organizers,
]


async def _empty_tables(engine: AsyncEngine) -> None:
    quote = engine.dialect.identifier_preparer.format_table
    async with engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {', '.join(quote(t) for t in TABLES)} CASCADE"))


async def open_sql_engine(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> AsyncEngine:
    if backend == "sqlite":
        path = tmp_path / "aquastream.db"
        shutil.copyfile(request.getfixturevalue("migrated_sqlite_file"), path)
        return create_engine(f"sqlite+aiosqlite:///{path}", pool_size=POOL_SIZE)
    engine = create_engine(request.getfixturevalue("migrated_postgres_url"), pool_size=POOL_SIZE)
    await _empty_tables(engine)
    return engine


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def kit(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[CrewsKit]:
    if request.param == "memory":
        yield CrewsKit("memory")
        return
    engine = await open_sql_engine(request, request.param, tmp_path)
    try:
        yield CrewsKit(request.param, engine=engine)
    finally:
        await engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def racing(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[CrewsKit]:
    engine = await open_sql_engine(request, request.param, tmp_path)
    try:
        yield CrewsKit(request.param, engine=engine)
    finally:
        await engine.dispose()
