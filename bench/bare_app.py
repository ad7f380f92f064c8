"""The baseline of the HTTP scenarios: a bare Litestar app on asyncpg running the same SQL.

It replays, for each route, the statements AquaStream itself issued for that request (with
their parameters), captured by ``bench/catalog.py`` from the service's own engine, so the
baseline follows the code. It answers the rows as JSON. It has what any server needs
(routing, a pool, JSON) and nothing of AquaStream's (dependency injection, units of work,
SQLAlchemy, domain objects, DTOs, middleware).

    BARE_STATEMENTS=captured.pickle BARE_DSN=postgresql://… granian --interface asgi bare_app:app
"""

from __future__ import annotations

import os
import pickle
from typing import Any

import asyncpg
from litestar import Litestar, get

Replay = list[tuple[str, tuple[Any, ...]]]

with open(os.environ["BARE_STATEMENTS"], "rb") as source:
    ROUTES: dict[str, Replay] = pickle.load(source)

pool: asyncpg.Pool | None = None


async def _open_pool() -> None:
    global pool
    pool = await asyncpg.create_pool(os.environ["BARE_DSN"], min_size=1, max_size=10)


async def _close_pool() -> None:
    if pool is not None:
        await pool.close()


async def _replay(name: str) -> list[list[dict[str, Any]]]:
    assert pool is not None
    async with pool.acquire() as connection:
        return [[dict(row) for row in await connection.fetch(sql, *params)] for sql, params in ROUTES[name]]


@get("/health")
async def health() -> str:
    return "ok"


@get("/events/{event_id:str}")
async def event_detail(event_id: str) -> list[list[dict[str, Any]]]:
    return await _replay("detail")


@get("/events")
async def event_list() -> list[list[dict[str, Any]]]:
    return await _replay("list")


app = Litestar([health, event_detail, event_list], on_startup=[_open_pool], on_shutdown=[_close_pool])
