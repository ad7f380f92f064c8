"""The notification adapters every notification contract test runs against: memory, SQLite
and PostgreSQL (migrated with the real migrations; on PostgreSQL every table is emptied
before each test, since the kit writes users, events and bookings too)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.contract.conftest import open_migrated_engine

from .kit import NotificationKit

POOL_SIZE = 20


async def _open_engine(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> AsyncEngine:
    return await open_migrated_engine(request, backend, tmp_path, pool_size=POOL_SIZE)


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
