"""Benchmark: taking seats through the BookSeat use case, side by side with its SQL floor.

Both scenarios run in one process against one throwaway PostgreSQL database, with the same
concurrency and the same number of bookings, interleaved in rounds so that the machine's
noise hits both alike. The result is the ratio use case / floor: what the domain rules,
the booking log, the outbox row and the unit of work cost on top of the two statements
that any implementation needs (the conditional seat update and the booking insert).

    uv run python bench/seat_booking.py                      # AQUASTREAM_TEST_DATABASE_URL or local
    uv run python bench/seat_booking.py --bookings 3000 --concurrency 32 --rounds 5

It also checks the result: after each scenario the event has exactly as many active
bookings as seats were taken, and never more than its capacity.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import asyncpg
from compare import emit
from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream import heap
from aquastream.adapters.pay_links import SignedPayLinks
from aquastream.adapters.sql.booking import SqlBookingUnitOfWork, SqlSeatInventory
from aquastream.adapters.sql.engine import create_engine
from aquastream.adapters.sql.identity import SqlIdentityUnitOfWork
from aquastream.adapters.sql.identity.directory import IdentityParticipantDirectory
from aquastream.adapters.sql.migrate import upgrade
from aquastream.adapters.sql.tables.booking import bookings, inventories
from aquastream.adapters.system import SystemClock
from aquastream.domain.booking.book import BookSeat
from aquastream.domain.booking.errors import EventFull
from aquastream.domain.booking.policy import BookingPolicy
from aquastream.domain.identity.model import Profile, User
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.principal import Principal, Role
from aquastream.ports.catalog import EventListing

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"


async def _throwaway_database(server_url: str) -> tuple[str, Callable[[], Awaitable[None]]]:
    url = make_url(server_url)
    name = f"aqs_bench_{uuid.uuid4().hex[:12]}"
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn)
    await connection.execute(f'CREATE DATABASE "{name}"')
    await connection.close()

    async def drop() -> None:
        conn = await asyncpg.connect(dsn)
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()

    return url.set(database=name).render_as_string(hide_password=False), drop


async def _open_event(engine: AsyncEngine, capacity: int) -> uuid.UUID:
    event_id = new_id()
    now = datetime.now(UTC)
    listing = EventListing(
        event_id=event_id,
        organizer_id=new_id(),
        starts_at=now + timedelta(days=30),
        ends_at=now + timedelta(days=31),
        capacity=capacity,
        price=Decimal("1500.00"),
        currency="RUB",
        title="Katun rafting",
    )
    await SqlSeatInventory(engine, SystemClock(), BookingPolicy()).open(listing)
    return event_id


async def _participants(engine: AsyncEngine, count: int) -> list[uuid.UUID]:
    now = datetime.now(UTC)
    ids = []
    async with SqlIdentityUnitOfWork(engine) as uow:
        for n in range(count):
            user = User(new_id(), f"bench-{uuid.uuid4().hex}@example.com", "x", Role.USER, True, now, now)
            await uow.users.add(user)
            await uow.profiles.add(Profile(user_id=user.id, updated_at=now, phone=f"+7900{n:07d}"))
            ids.append(user.id)
        await uow.commit()
    return ids


async def _use_case(engine: AsyncEngine, event_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    uow = SqlBookingUnitOfWork(engine)
    book = BookSeat(
        uow,
        SystemClock(),
        IdentityParticipantDirectory(engine),
        BookingPolicy(),
        SignedPayLinks("b" * 64, ""),
    )
    try:
        await book(Principal(user_id, Role.USER), event_id)
    except EventFull:
        return False
    return True


async def _floor(engine: AsyncEngine, event_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    """The two statements any implementation needs, in one transaction."""
    now = datetime.now(UTC)
    async with engine.begin() as connection:
        taken = await connection.execute(
            update(inventories)
            .where(
                inventories.c.event_id == event_id,
                inventories.c.available > 0,
                inventories.c.waiting == 0,
            )
            .values(available=inventories.c.available - 1)
            .returning(inventories.c.price, inventories.c.currency)
        )
        seat = taken.first()
        if seat is None:
            return False
        await connection.execute(
            insert(bookings).values(
                id=new_id(),
                event_id=event_id,
                user_id=user_id,
                status="PENDING",
                payment_status="PENDING",
                amount=seat.price,
                currency=seat.currency,
                created_at=now,
                updated_at=now,
                expires_at=now + timedelta(minutes=30),
            )
        )
    return True


async def _run(
    engine: AsyncEngine,
    book: Callable[[AsyncEngine, uuid.UUID, uuid.UUID], Awaitable[bool]],
    users: list[uuid.UUID],
    capacity: int,
    concurrency: int,
) -> float:
    """Book ``len(users)`` seats of a fresh event with ``concurrency`` workers; bookings per second."""
    event_id = await _open_event(engine, capacity)
    queue = iter(users)
    taken = 0

    async def worker() -> None:
        nonlocal taken
        for user_id in queue:
            if await book(engine, event_id, user_id):
                taken += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    async with engine.connect() as connection:
        active = (
            await connection.execute(
                select(func.count()).select_from(bookings).where(bookings.c.event_id == event_id)
            )
        ).scalar_one()
        seats_left = select(inventories.c.available).where(inventories.c.event_id == event_id)
        available = (await connection.execute(seats_left)).scalar_one()
    expected = min(len(users), capacity)
    if not (taken == active == expected and available == capacity - expected):
        raise SystemExit(f"invariant broken: taken={taken} active={active} available={available}")
    return len(users) / elapsed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("AQUASTREAM_TEST_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--bookings", type=int, default=1500, help="attempts per scenario and round")
    parser.add_argument("--capacity", type=int, default=1000, help="seats per event (the rest find it full)")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    url, drop = await _throwaway_database(args.database_url)
    engine = create_engine(url, pool_size=args.concurrency)
    try:
        await upgrade(engine)
        users = await _participants(engine, args.bookings)
        heap.settle()  # as a server or worker process does once started (aquastream.heap)
        rates: dict[str, list[float]] = {"floor": [], "use_case": []}
        for _ in range(args.rounds):
            rates["floor"].append(await _run(engine, _floor, users, args.capacity, args.concurrency))
            rates["use_case"].append(await _run(engine, _use_case, users, args.capacity, args.concurrency))
    finally:
        await engine.dispose()
        await drop()

    floor, use_case = (statistics.median(rates[k]) for k in ("floor", "use_case"))
    print(
        f"seat booking, {args.bookings} attempts on {args.capacity} seats, "
        f"{args.concurrency} concurrent, median of {args.rounds} rounds"
    )
    print(f"  SQL floor (update + insert):      {floor:8.0f} attempts/s")
    print(f"  BookSeat use case (full rules):   {use_case:8.0f} attempts/s")
    print(f"  ratio use case / floor:           {use_case / floor:8.2f}")
    emit(
        [
            {
                "scenario": "BookSeat use case vs its two-statement SQL floor (in-process)",
                "ours": f"{use_case:,.0f} attempts/s",
                "baseline": f"{floor:,.0f} attempts/s",
                "ratio": f"{use_case / floor:.2f}",
                "load": f"{load_before:.1f} → {os.getloadavg()[0]:.1f}",
            }
        ]
    )


if __name__ == "__main__":
    asyncio.run(main())
