"""The payments kit on every backend: memory, SQLite, PostgreSQL (booking, payments and media
tables emptied before each test)."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.sql.engine import create_engine
from aquastream.adapters.sql.tables import booking as booking_tables
from aquastream.adapters.sql.tables import infra, media
from aquastream.adapters.sql.tables import payments as payment_tables

from .kit import PaymentsKit, memory_payments_kit, sql_payments_kit

POOL_SIZE = 10
TABLES = [
    payment_tables.webhook_events,
    payment_tables.refunds,
    payment_tables.payments,
    media.files,
    infra.outbox,
    booking_tables.waitlist_audit,
    booking_tables.waitlist_entries,
    booking_tables.booking_log,
    booking_tables.bookings,
    booking_tables.inventories,
]


async def _empty_tables(engine: AsyncEngine) -> None:
    quote = engine.dialect.identifier_preparer.format_table
    async with engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {', '.join(quote(t) for t in TABLES)}"))


async def open_engine(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> AsyncEngine:
    if backend == "sqlite":
        path = tmp_path / "aquastream.db"
        shutil.copyfile(request.getfixturevalue("migrated_sqlite_file"), path)
        return create_engine(f"sqlite+aiosqlite:///{path}", pool_size=POOL_SIZE)
    engine = create_engine(request.getfixturevalue("migrated_postgres_url"), pool_size=POOL_SIZE)
    await _empty_tables(engine)
    return engine


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
