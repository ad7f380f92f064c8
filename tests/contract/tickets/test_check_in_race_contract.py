"""Scanners racing on one code: exactly one check-in, on every backend (on PostgreSQL the
transactions truly collide, through a pool opened before the race)."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from aquastream.adapters.sql.tables.tickets import outbox
from aquastream.domain.tickets.errors import AlreadyCheckedIn
from aquastream.domain.tickets.events import SeatCheckedIn
from tests.contract.booking.conftest import POOL_SIZE
from tests.contract.conftest import statements_sent

from .kit import TicketsKit


async def _warm_pool(kit: TicketsKit) -> None:
    if kit.engine is None or kit.one_writer_at_a_time:
        return
    connections = POOL_SIZE  # the pool opens no more
    everyone_connected = asyncio.Barrier(connections)

    async def hold() -> None:
        assert kit.engine is not None
        async with kit.engine.connect():
            await everyone_connected.wait()

    await asyncio.gather(*(hold() for _ in range(connections)))


async def _race(kit: TicketsKit, scanners: int) -> list[str]:
    (ticket,) = await kit.tickets()
    await _warm_pool(kit)
    start = asyncio.Event()

    async def scan(code: str) -> str:
        await start.wait()
        try:
            await kit.check_in()(kit.owner, kit.event.id, code)
        except AlreadyCheckedIn:
            return "again"
        return "in"

    codes = [ticket.code if i % 2 == 0 else ticket.short_code for i in range(scanners)]
    racers = [asyncio.create_task(scan(code)) for code in codes]
    await asyncio.sleep(0)
    start.set()
    async with asyncio.timeout(60):
        return sorted(await asyncio.gather(*racers))


@pytest.mark.parametrize("scanners", [2, 16])
async def test_scanners_racing_on_one_code_give_one_check_in(kit: TicketsKit, scanners: int) -> None:
    outcomes = await _race(kit, scanners)

    assert outcomes == ["again"] * (scanners - 1) + ["in"]


@pytest.mark.postgres
@pytest.mark.parametrize("scanners", [2, 16])
async def test_on_postgresql_one_check_in_and_one_fact(postgres_kit: TicketsKit, scanners: int) -> None:
    kit = postgres_kit
    outcomes = await _race(kit, scanners)

    assert outcomes.count("in") == 1
    assert await kit.check_ins.bookings_checked_in(kit.event.id) is not None
    assert kit.engine is not None
    async with kit.engine.connect() as connection:
        facts = await connection.scalar(
            select(func.count()).select_from(outbox).where(outbox.c.event_name == SeatCheckedIn.event_name())
        )
    assert facts == 1


@pytest.mark.postgres
async def test_on_postgresql_a_check_in_is_one_statement_outside_any_transaction(
    postgres_kit: TicketsKit,
) -> None:
    kit = postgres_kit
    first, second = await kit.tickets(2)
    await kit.check_in()(kit.owner, kit.event.id, first.code)  # the organizer's key read once
    assert kit.engine is not None
    with statements_sent(kit.engine) as sent:
        await kit.check_in()(kit.owner, kit.event.id, second.code)

    ((statement, isolation),) = sent  # the check-in and its fact, together
    assert statement.startswith("WITH done AS")
    assert isolation == "AUTOCOMMIT"
    assert {fact.ticket_id for fact in await kit.check_ins_published()} == {first.id, second.id}
