"""The notification adapters every notification contract test runs against: memory, SQLite
and PostgreSQL (migrated with the real migrations; on PostgreSQL every table is emptied
before each test, since the kit writes users, events and bookings too)."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.sql.engine import create_engine
from aquastream.adapters.sql.tables import metadata

from .kit import NotificationKit

POOL_SIZE = 20


async def _empty_all_tables(engine: AsyncEngine) -> None:
    quote = engine.dialect.identifier_preparer.format_table
    async with engine.begin() as connection:
        await connection.execute(
            text(f"TRUNCATE {', '.join(quote(table) for table in metadata.sorted_tables)} CASCADE")
        )


async def _open_engine(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> AsyncEngine:
    if backend == "sqlite":
        path = tmp_path / "aquastream.db"
        shutil.copyfile(request.getfixturevalue("migrated_sqlite_file"), path)
        return create_engine(f"sqlite+aiosqlite:///{path}", pool_size=POOL_SIZE)
    engine = create_engine(request.getfixturevalue("migrated_postgres_url"), pool_size=POOL_SIZE)
    await _empty_all_tables(engine)
    return engine


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def kit(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[NotificationKit]:
    if request.param == "memory":
        yield NotificationKit("memory")
        return
    engine = await _open_engine(request, request.param, tmp_path)
    try:
        yield NotificationKit(request.param, engine=engine)
    finally:
        await engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def racing(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[NotificationKit]:
    engine = await _open_engine(request, request.param, tmp_path)
    try:
        yield NotificationKit(request.param, engine=engine)
    finally:
        await engine.dispose()
