"""The booking adapters every booking contract test runs against: memory, SQLite, PostgreSQL.

SQL backends get databases migrated with the real migrations (the session fixtures of
``tests/conftest.py``): SQLite a copy of the migrated file, PostgreSQL the session's
database with every table emptied before each test. The engine pool is small on
purpose (20 connections, no more): the seat update wants few concurrent writers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.contract.conftest import open_migrated_engine

from .kit import BookingKit, memory_kit, sql_kit

POOL_SIZE = 20


async def open_sql_engine(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> AsyncEngine:
    """Booking's small pool on a migrated SQLite copy or the emptied PostgreSQL database."""
    return await open_migrated_engine(request, backend, tmp_path, pool_size=POOL_SIZE)


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
