"""Benchmark: the public catalog over HTTP, against a bare Litestar + asyncpg app running the
same SQL, on PostgreSQL.

1. seeds a throwaway database with ``--events`` published events (≥ 10k) of ``--organizers``
   organizers (200), with seats, cities, types, tags and prices spread over them;
2. captures the statements AquaStream issues for one event's page and for a filtered,
   paged list (a SQLAlchemy cursor hook on the service's own engines), for the baseline
   (``bench/bare_app.py``) to replay: the baseline follows the code;
3. serves AquaStream twice, each as one Granian process (``aquastream serve --no-worker``):
   as configured by default (anonymous catalog reads cached for at most 1 s,
   ``adapters/http/catalog_cache.py``) and with that cache off (every request computed),
   and the baseline; loads each with wrk at ``--connections`` (32), alternating A B A B
   with the baseline for ``--pairs`` pairs;
4. prints the table (medians, ratios against the targets of 0.8, p50/p99, load), the
   service's RSS after the load and its time from start to ``/health/ready``.

    ./dev bench catalog                 # AQUASTREAM_TEST_DATABASE_URL or local PostgreSQL
    ./dev bench catalog --seconds 10 --pairs 3
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import pickle
import random
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from compare import (
    Comparison,
    Sample,
    alternate,
    emit,
    free_port,
    recording,
    rss_mb,
    server,
    service_python,
    table,
    wrk,
    wrk_path,
)
from litestar.testing import AsyncTestClient
from seat_booking import DEFAULT_URL, _throwaway_database
from sqlalchemy import Engine, event, insert
from sqlalchemy.engine import make_url

from aquastream.adapters.sql.booking import SqlSeatInventory
from aquastream.adapters.sql.catalog import SqlCatalogUnitOfWork
from aquastream.adapters.sql.engine import create_engine
from aquastream.adapters.sql.migrate import upgrade
from aquastream.adapters.sql.tables.booking import inventories
from aquastream.adapters.system import SystemClock
from aquastream.app import create_app
from aquastream.domain.booking.model import Inventory, InventoryStatus
from aquastream.domain.booking.policy import BookingPolicy
from aquastream.domain.catalog.model import Event, EventStatus, EventType, Location, Organizer
from aquastream.domain.shared.ids import new_id
from aquastream.settings import Settings

CITIES = ["Лосево", "Приозерск", "Сортавала", "Петрозаводск", "Кемь", "Горно-Алтайск", "Казань", "Пермь"]
TAGS = ["сплав", "family", "водопад", "каяк", "шхеры", "sup", "поход", "лагерь", "weekend", "novice"]
LIST_PATH = f"/api/v1/events?type=RAFTING,KAYAK&city={quote('Лосево')}&priceMax=5000&page=1&size=20"
TARGET = 0.8


async def seed(url: str, *, events: int, organizers: int) -> uuid.UUID:
    """Organizers and published events with their seats; one event id to show."""
    engine = create_engine(url)
    rng = random.Random(7)
    now = datetime.now(UTC)
    seats = SqlSeatInventory(engine, SystemClock(), BookingPolicy())
    try:
        owners = [
            Organizer(new_id(), f"organizer-{n}", f"Organizer {n}", new_id(), now, now)
            for n in range(organizers)
        ]
        rows: list[Event] = []
        for n in range(events):
            start = now + timedelta(days=1 + rng.randrange(365), hours=rng.randrange(24))
            rows.append(
                Event(
                    id=new_id(),
                    organizer_id=rng.choice(owners).id,
                    type=rng.choice(list(EventType)),
                    title=f"{rng.choice(['Сплав', 'Поход', 'Лагерь', 'Каяк-тур'])} №{n}",
                    date_start=start,
                    date_end=start + timedelta(days=rng.randrange(1, 5)),
                    capacity=rng.randrange(6, 40),
                    status=EventStatus.PUBLISHED,
                    created_at=now,
                    updated_at=now,
                    published_at=now,
                    description="Маршрут, снаряжение и инструктор включены. " * 3,
                    location=Location("База «Порог»", rng.choice(CITIES), 60.68, 30.01),
                    price=Decimal(rng.randrange(0, 200) * 50),
                    tags=rng.sample(TAGS, 3),
                )
            )
        uow = SqlCatalogUnitOfWork(engine, seats)
        async with uow:
            for organizer in owners:
                await uow.organizers.add(organizer)
            for e in rows:
                await uow.events.add(e)
            await uow.commit()
        async with engine.begin() as connection:
            await connection.execute(
                insert(inventories),
                [
                    dataclasses.asdict(
                        Inventory(
                            event_id=e.id,
                            organizer_id=e.organizer_id,
                            title=e.title,
                            status=InventoryStatus.OPEN,
                            starts_at=e.date_start,
                            ends_at=e.date_end,
                            capacity=e.capacity,
                            available=e.capacity - rng.randrange(0, e.capacity + 1),
                            price=e.price,
                            currency=e.currency,
                        )
                    )
                    | {"status": "OPEN"}
                    for e in rows
                ],
            )
            await connection.exec_driver_sql("ANALYZE")
        return rows[len(rows) // 2].id
    finally:
        await engine.dispose()


@contextmanager
def statements() -> Iterator[list[tuple[str, tuple[Any, ...]]]]:
    """Every statement any engine sends while the block runs, with its parameters."""
    seen: list[tuple[str, tuple[Any, ...]]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        seen.append((statement, tuple(parameters or ())))

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", record)


async def capture(url: str, paths: dict[str, str]) -> dict[str, list[tuple[str, tuple[Any, ...]]]]:
    """The statements the service issues for each path (its second request: warm; the public
    read cache off, else the second is answered from memory and there is nothing to replay)."""
    settings = Settings.for_tests(database_url=url, rate_limit_enabled=False, catalog_cache_seconds=0)
    captured = {}
    async with AsyncTestClient(create_app(settings)) as client:
        for name, path in paths.items():
            assert (await client.get(path)).status_code == 200
            with statements() as seen:
                response = await client.get(path)
            assert response.status_code == 200, response.text
            if not seen:
                sys.exit(f"bench: {path} issued no statement to capture: the baseline would replay nothing")
            captured[name] = list(seen)
    return captured


def profile(pid: int, url: str, into: Path) -> None:
    """py-spy's stacks of the server's processes while wrk loads ``url``."""
    with recording(pid, into, seconds=10):
        wrk(url, seconds=10, connections=32)


def _env(**values: str) -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if not k.startswith("AQUASTREAM_")}
    return {**kept, **values}


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--organizers", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=10, help="of each wrk run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument(
        "--profile",
        metavar="FOLDER",
        help="also record py-spy (collapsed stacks) of the service under each load, into FOLDER",
    )
    args = parser.parse_args()
    if args.pairs < 3:
        parser.error("--pairs must be at least 3")
    wrk_path()
    url, drop = await _throwaway_database(os.environ.get("AQUASTREAM_TEST_DATABASE_URL", DEFAULT_URL))
    folder = Path(tempfile.mkdtemp(prefix="aqs-bench-"))
    try:
        await upgrade(url, "head")
        print(f"seeding {args.events} events of {args.organizers} organizers …", file=sys.stderr)
        shown = await seed(url, events=args.events, organizers=args.organizers)
        detail_path = f"/api/v1/events/{shown}"
        captured = await capture(url, {"detail": detail_path, "list": LIST_PATH})
        for name, replay in captured.items():
            print(f"{name}: {len(replay)} statements", file=sys.stderr)
        replay_file = folder / "captured.pickle"
        replay_file.write_bytes(pickle.dumps(captured))

        python = service_python()
        ours_port, plain_port, bare_port = free_port(), free_port(), free_port()
        ours_env = _env(
            AQUASTREAM_DATABASE_URL=url,
            AQUASTREAM_ENV="development",
            AQUASTREAM_DATA_DIR=str(folder / "data"),
            AQUASTREAM_LOG_LEVEL="WARNING",
            AQUASTREAM_RATE_LIMIT_DEFAULT="1000000/second",
        )
        # The same service with its cache of public reads off: what every request costs.
        plain_env = {**ours_env, "AQUASTREAM_CATALOG_CACHE_SECONDS": "0"}
        bare_env = _env(
            BARE_STATEMENTS=str(replay_file),
            BARE_DSN=make_url(url).set(drivername="postgresql").render_as_string(hide_password=False),
            PYTHONPATH=str(Path(__file__).parent),
        )

        def serve_command(port: int) -> list[str]:
            return [python, "-m", "aquastream", "serve", "--no-worker", "--port", str(port)]

        bare_command = [
            python, "-m", "granian", "--interface", "asgi", "--port", str(bare_port),
            "--no-log", "bare_app:app",
        ]  # fmt: skip
        ours_base, plain_base = f"http://127.0.0.1:{ours_port}", f"http://127.0.0.1:{plain_port}"
        bare_base = f"http://127.0.0.1:{bare_port}"
        with (
            server(
                serve_command(ours_port), ours_env, ready=f"{ours_base}/health/ready", log=folder / "ours.log"
            ) as (ready_s, ours_pid),
            server(
                serve_command(plain_port),
                plain_env,
                ready=f"{plain_base}/health/ready",
                log=folder / "plain.log",
            ),
            server(bare_command, bare_env, ready=f"{bare_base}/health", log=folder / "bare.log"),
        ):
            comparisons = []
            for key, name, path, bare_path in (
                ("detail", "GET /api/v1/events/{id}", detail_path, f"/events/{shown}"),
                ("list", "GET /api/v1/events (filtered, page 2)", LIST_PATH, "/events"),
            ):
                for base, target in (
                    (ours_base, path),
                    (plain_base, path),
                    (bare_base, bare_path),
                ):  # warm up
                    async with httpx.AsyncClient(timeout=30) as client:
                        for _ in range(20):
                            assert (await client.get(base + target)).status_code == 200
                    wrk(base + target, seconds=3, connections=args.connections)

                async def bare(url: str = bare_base + bare_path) -> Sample:
                    return wrk(url, seconds=args.seconds, connections=args.connections)

                for base, label in ((ours_base, "cache ≤ 1 s"), (plain_base, "cache off")):

                    async def ours(url: str = base + path) -> Sample:
                        return wrk(url, seconds=args.seconds, connections=args.connections)

                    comparison = Comparison(f"{name}, {label}", "req/s", TARGET)
                    comparisons.append(await alternate(comparison, ours, bare, pairs=args.pairs))
                if args.profile:
                    profile(ours_pid, ours_base + path, Path(args.profile) / f"{key}.txt")
            rss = rss_mb(ours_pid)
        print(table(comparisons))
        print(f"\nAquaStream: RSS after the load {rss:.0f} MB (target ≤ 120);", end=" ")
        print(f"start to ready {ready_s:.1f} s (target ≤ 2)")
        for c in comparisons:
            c.rss_mb, c.ready_s = rss, ready_s
        emit(comparisons)
    finally:
        await drop()


if __name__ == "__main__":
    asyncio.run(main())
