"""Migration 0016 seeds crews' read model of who takes part from the bookings of its day, on
PostgreSQL and SQLite: CONFIRMED and COMPLETED bookings are filed, the others are not."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from aquastream.adapters.sql.engine import create_engine
from aquastream.adapters.sql.migrate import downgrade, upgrade
from aquastream.adapters.sql.tables.booking import bookings
from aquastream.adapters.sql.tables.crews import participants

READ_MODEL = "0016_satellites_own_their_data"
BEFORE = "0014_event_spine"
NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'migrations.db'}"
    url: str = request.getfixturevalue("empty_postgres_url")
    return url


def _booking(event_id: uuid.UUID, status: str) -> dict[str, object]:
    return {
        "id": uuid.uuid4(),
        "event_id": event_id,
        "user_id": uuid.uuid4(),
        "status": status,
        "payment_status": "NOT_REQUIRED",
        "amount": Decimal("0.00"),
        "currency": "RUB",
        "created_at": NOW,
        "updated_at": NOW,
    }


async def test_the_read_model_starts_from_the_bookings_that_take_part(empty_database_url: str) -> None:
    await upgrade(empty_database_url, BEFORE)
    event_id = uuid.uuid4()
    rows = [_booking(event_id, status) for status in ("CONFIRMED", "COMPLETED", "PENDING", "CANCELLED")]
    engine = create_engine(empty_database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(insert(bookings), rows)
        await upgrade(empty_database_url, READ_MODEL)
        p = participants.c
        async with engine.connect() as connection:
            filed = {tuple(r) for r in await connection.execute(select(p.booking_id, p.user_id, p.standing))}
        await downgrade(empty_database_url, BEFORE)
    finally:
        await engine.dispose()
    assert filed == {
        (rows[0]["id"], rows[0]["user_id"], "CONFIRMED"),
        (rows[1]["id"], rows[1]["user_id"], "COMPLETED"),
    }
