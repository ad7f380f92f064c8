"""The webhooks adapters every webhooks contract test runs against: memory, SQLite, PostgreSQL
(migrated with the real migrations; PostgreSQL emptied before each test)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.crypto.sealing import SecretBox
from aquastream.adapters.memory.database import MemoryDatabase
from aquastream.adapters.memory.webhooks import MemoryWebhooksUnitOfWork
from aquastream.adapters.sql.webhooks import SqlWebhooksUnitOfWork
from aquastream.ports.webhooks import WebhooksUnitOfWork
from tests.contract.conftest import open_migrated_engine

BOX = SecretBox("contract-secret-" + "x" * 40, b"aquastream/webhook-secrets")


@dataclass
class WebhooksKit:
    name: str
    uow: Callable[[], WebhooksUnitOfWork]
    engine: AsyncEngine | None = None

    @property
    def one_writer_at_a_time(self) -> bool:
        return self.name != "postgres"


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def kit(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[WebhooksKit]:
    if request.param == "memory":
        database = MemoryDatabase()
        yield WebhooksKit("memory", lambda: MemoryWebhooksUnitOfWork(database))
        return
    engine = await open_migrated_engine(request, request.param, tmp_path)
    try:
        yield WebhooksKit(request.param, lambda: SqlWebhooksUnitOfWork(engine, BOX), engine)
    finally:
        await engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def sql_kit(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[WebhooksKit]:
    engine = await open_migrated_engine(request, request.param, tmp_path)
    try:
        yield WebhooksKit(request.param, lambda: SqlWebhooksUnitOfWork(engine, BOX), engine)
    finally:
        await engine.dispose()
