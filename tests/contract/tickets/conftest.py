"""The tickets adapters every tickets contract test runs against: memory, SQLite, PostgreSQL
(migrated by the real migrations, as ``tests/contract/conftest.py`` makes them)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.contract.booking.conftest import open_sql_engine

from .kit import TicketsKit


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def kit(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[TicketsKit]:
    if request.param == "memory":
        yield TicketsKit("memory")
        return
    engine = await open_sql_engine(request, request.param, tmp_path)
    try:
        yield TicketsKit(request.param, engine=engine)
    finally:
        await engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def sql_kit(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[TicketsKit]:
    engine = await open_sql_engine(request, request.param, tmp_path)
    try:
        yield TicketsKit(request.param, engine=engine)
    finally:
        await engine.dispose()


@pytest.fixture
async def postgres_kit(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[TicketsKit]:
    engine = await open_sql_engine(request, "postgres", tmp_path)
    try:
        yield TicketsKit("postgres", engine=engine)
    finally:
        await engine.dispose()
