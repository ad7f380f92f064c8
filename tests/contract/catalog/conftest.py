"""The catalog adapters every catalog contract test runs against: memory, SQLite, PostgreSQL.

SQL backends get databases migrated with the real migrations (the session fixtures of
``tests/conftest.py``); PostgreSQL's is emptied before each test. The seat inventory is
the booking domain's adapter on the same database, as in the application.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.memory.booking import MemoryBookingUnitOfWork, MemorySeatInventory
from aquastream.adapters.memory.catalog import (
    MemoryCatalogOrganizerAccess,
    MemoryCatalogOrganizerNames,
    MemoryCatalogUnitOfWork,
)
from aquastream.adapters.memory.clock import FrozenClock
from aquastream.adapters.memory.database import MemoryDatabase, MemoryOutbox
from aquastream.adapters.sql.booking import SqlBookingUnitOfWork, SqlSeatInventory
from aquastream.adapters.sql.catalog import SqlCatalogUnitOfWork
from aquastream.adapters.sql.catalog.organizers import CatalogOrganizerAccess
from aquastream.adapters.sql.catalog.served import CatalogOrganizerNames
from aquastream.adapters.sql.outbox import SqlOutbox
from aquastream.adapters.sql.tables import catalog as catalog_tables
from aquastream.domain.booking.policy import BookingPolicy
from aquastream.domain.shared.events import DomainEvent, decode_event
from aquastream.domain.shared.principal import Principal
from aquastream.ports.booking import BookingUnitOfWork, OrganizerNames
from aquastream.ports.catalog import CatalogUnitOfWork
from aquastream.ports.outbox import Outbox
from tests.contract.conftest import open_migrated_engine

from .factories import NOW

POOL_SIZE = 10


@dataclass
class CatalogBackend:
    name: str
    uow: Callable[[], CatalogUnitOfWork]
    booking_uow: Callable[[], BookingUnitOfWork]
    can_manage: Callable[[Principal, uuid.UUID], Awaitable[bool]]
    organizer_names: OrganizerNames  # booking's question, served by the catalog
    outbox: Outbox  # the catalog's
    # Memory and SQLite let one writing transaction in at a time.
    one_writer_at_a_time: bool
    engine: AsyncEngine | None = None

    async def take_seats(self, event_id: uuid.UUID, count: int) -> None:
        """Participants book seats: the booking domain's own statement, in its own transaction."""
        async with self.booking_uow() as uow:
            for _ in range(count):
                assert await uow.inventories.take_seat(event_id, now=NOW) is not None
            await uow.commit()

    async def published_events(self) -> list[DomainEvent]:
        """Every event committed to the outbox so far (claimed for good, for the test's eyes)."""
        messages = await self.outbox.lease(
            now=NOW + timedelta(days=3650), limit=10_000, lease=timedelta(days=1)
        )
        return [decode_event(message.event_name, message.payload) for message in messages]


def _memory_backend() -> CatalogBackend:
    database = MemoryDatabase()
    access = MemoryCatalogOrganizerAccess(database)

    async def can_manage(principal: Principal, organizer_id: uuid.UUID) -> bool:
        return await access.can_manage(principal, organizer_id)

    return CatalogBackend(
        name="memory",
        uow=lambda: MemoryCatalogUnitOfWork(
            database, MemorySeatInventory(database, FrozenClock(NOW), BookingPolicy())
        ),
        booking_uow=lambda: MemoryBookingUnitOfWork(database),
        can_manage=can_manage,
        organizer_names=MemoryCatalogOrganizerNames(database),
        outbox=MemoryOutbox(database, "catalog"),
        one_writer_at_a_time=True,
    )


def _sql_backend(name: str, engine: AsyncEngine) -> CatalogBackend:
    async def can_manage(principal: Principal, organizer_id: uuid.UUID) -> bool:
        # Booking asks from inside its own unit of work; the catalog answers on its own connection.
        async with SqlBookingUnitOfWork(engine):
            return await CatalogOrganizerAccess(engine).can_manage(principal, organizer_id)

    return CatalogBackend(
        name=name,
        uow=lambda: SqlCatalogUnitOfWork(engine, SqlSeatInventory(engine, FrozenClock(NOW), BookingPolicy())),
        booking_uow=lambda: SqlBookingUnitOfWork(engine),
        can_manage=can_manage,
        organizer_names=CatalogOrganizerNames(engine),
        outbox=SqlOutbox(engine, catalog_tables.outbox, "catalog"),
        one_writer_at_a_time=name == "sqlite",
        engine=engine,
    )


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def catalog(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[CatalogBackend]:
    if request.param == "memory":
        yield _memory_backend()
        return
    engine = await open_migrated_engine(request, request.param, tmp_path, pool_size=POOL_SIZE)
    try:
        yield _sql_backend(request.param, engine)
    finally:
        await engine.dispose()
