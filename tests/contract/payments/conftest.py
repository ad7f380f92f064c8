"""The payments kit on every backend: memory, SQLite, PostgreSQL (every table emptied before
each test)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.contract.booking.conftest import open_sql_engine

from .kit import PaymentsKit, memory_payments_kit, sql_payments_kit


async def open_engine(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> AsyncEngine:
    return await open_sql_engine(request, backend, tmp_path)


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def kit(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[PaymentsKit]:
    if request.param == "memory":
        yield memory_payments_kit()
        return
    engine = await open_engine(request, request.param, tmp_path)
    try:
        yield sql_payments_kit(request.param, engine)
    finally:
        await engine.dispose()
