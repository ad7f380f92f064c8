"""A PostgreSQL connection that died while idle in the pool is replaced before anyone uses it
(it is pinged when it was idle long enough; a connection just given back is not)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from aquastream.adapters.sql import engine as engines
from aquastream.adapters.sql.engine import create_engine


async def test_a_connection_dropped_while_idle_in_the_pool_is_replaced_unnoticed(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engines, "PING_AFTER_IDLE_SECONDS", 0.0)
    engine, other = create_engine(postgres_url, pool_size=1), create_engine(postgres_url, pool_size=1)
    try:
        async with engine.connect() as connection:
            dropped = await connection.scalar(text("SELECT pg_backend_pid()"))
        async with other.connect() as connection:
            assert await connection.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": dropped})

        async with engine.connect() as connection:
            assert await connection.scalar(text("SELECT pg_backend_pid()")) != dropped
    finally:
        await engine.dispose()
        await other.dispose()


async def test_a_connection_just_given_back_is_not_pinged(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engines, "PING_AFTER_IDLE_SECONDS", 60.0)
    engine = create_engine(postgres_url, pool_size=1)
    pings: list[object] = []
    monkeypatch.setattr(engine.dialect, "do_ping", pings.append)
    try:
        for _ in range(3):
            async with engine.connect() as connection:
                await connection.scalar(text("SELECT 1"))
    finally:
        await engine.dispose()
    assert pings == []
