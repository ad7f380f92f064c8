"""The catalog's ``SeatInventory``, served by booking on its own engine.

Changes run booking's own use cases (``domain.booking.sales``), each in a booking unit of
work, so the catalog never writes a table of booking's and booking's rules (the seats
taken, the waitlist first) decide. Reads are ``StandaloneReads``: no write lock, a timeout.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Collection, Mapping
from typing import Literal

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.sql.booking.rows import OPEN
from aquastream.adapters.sql.booking.uow import SqlBookingUnitOfWork
from aquastream.adapters.sql.reads import StandaloneReads, unreachable_is_unavailable
from aquastream.adapters.sql.tables.booking import inventories
from aquastream.domain.booking.model import InventoryStatus
from aquastream.domain.booking.policy import BookingPolicy
from aquastream.domain.booking.sales import OpenSales, ResizeSales, StopSales
from aquastream.ports.catalog import Availability, EventListing, SeatResize
from aquastream.ports.clock import Clock

# Asked for every event page: built once with bound parameters (no cache key per call).
AVAILABILITY = select(
    inventories.c.event_id, inventories.c.capacity, inventories.c.available, inventories.c.waiting
).where(inventories.c.event_id.in_(bindparam("event_ids", expanding=True)))


class SqlSeatInventory:
    def __init__(self, engine: AsyncEngine, clock: Clock, policy: BookingPolicy) -> None:
        self._engine = engine
        self._clock = clock
        self._policy = policy
        self._reads = StandaloneReads(engine)

    def _uow(self) -> SqlBookingUnitOfWork:
        return SqlBookingUnitOfWork(self._engine)

    async def open(self, listing: EventListing) -> None:
        with unreachable_is_unavailable():
            await OpenSales(self._uow())(**dataclasses.asdict(listing))

    async def resize(self, event_id: uuid.UUID, *, expected: int, capacity: int) -> SeatResize:
        resize = ResizeSales(self._uow(), self._clock, self._policy)
        with unreachable_is_unavailable():
            outcome = await resize(event_id, expected=expected, capacity=capacity)
        return SeatResize(outcome.value)

    async def close(self, event_id: uuid.UUID, status: Literal["CANCELLED", "COMPLETED"]) -> None:
        with unreachable_is_unavailable():
            await StopSales(self._uow())(event_id, InventoryStatus(status))

    async def availability(self, event_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, Availability]:
        if not event_ids:
            return {}
        (rows,) = await self._reads.all([AVAILABILITY], {"event_ids": list(set(event_ids))})
        # While anyone waits, freed seats belong to the queue: none is free for newcomers.
        return {
            row.event_id: Availability(row.capacity, row.available if row.waiting == 0 else 0) for row in rows
        }

    async def sold_out(self) -> Collection[uuid.UUID]:
        c = inventories.c
        query = select(c.event_id).where(c.status == OPEN, (c.available <= 0) | (c.waiting > 0))
        return {row.event_id for row in await self._reads.rows(query)}
