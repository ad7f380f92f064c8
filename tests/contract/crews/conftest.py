"""The crews adapters every crews contract test runs against: memory, SQLite, PostgreSQL.

SQL backends get databases migrated with the real migrations (the session fixtures of
``tests/conftest.py``): SQLite a copy of the migrated file, PostgreSQL the session's database
with every table emptied before each test. The pool is booking's: 20 connections for 20
racers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.contract.booking.conftest import open_sql_engine

from .kit import CrewsKit


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
