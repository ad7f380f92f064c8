"""The crews adapters every crews contract test runs against: memory, SQLite, PostgreSQL.

SQL backends get databases migrated with the real migrations (the session fixtures of
``tests/conftest.py``): SQLite a copy of the migrated file, PostgreSQL the session's database
with the crews, booking, catalog and identity tables emptied before each test. The pool is booking's
(10 + 10 overflow): 20 connections for 20 racers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.sql.tables import catalog, crews, identity
from tests.contract.booking.conftest import open_sql_engine as open_booking_engine

from .kit import CrewsKit

TABLES = [
    crews.preferences,
    crews.assignments,
    crews.crews,
    catalog.events,
    catalog.organizers,
    identity.profiles,
    identity.users,
]


async def open_sql_engine(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> AsyncEngine:
    """Booking's engine (its tables emptied on PostgreSQL), with the crews, catalog and identity
    tables emptied as well."""
    engine = await open_booking_engine(request, backend, tmp_path)
    if backend == "postgres":
        quote = engine.dialect.identifier_preparer.format_table
        async with engine.begin() as connection:
            await connection.execute(text(f"TRUNCATE {', '.join(quote(t) for t in TABLES)} CASCADE"))
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
