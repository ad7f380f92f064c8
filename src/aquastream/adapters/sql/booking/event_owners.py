"""Webhooks' ``EventOwners``, served by booking on its own engine (``StandaloneReads``): the
organizer of an event as booking's inventory keeps it, and the event of a booking."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.sql.reads import StandaloneReads
from aquastream.adapters.sql.tables.booking import bookings, inventories
from aquastream.ports.webhooks import BookedEvent


class BookingEventOwners:
    def __init__(self, engine: AsyncEngine) -> None:
        self._reads = StandaloneReads(engine)

    async def organizer_of_event(self, event_id: uuid.UUID) -> uuid.UUID | None:
        query = select(inventories.c.organizer_id).where(inventories.c.event_id == event_id)
        rows = await self._reads.rows(query)
        return rows[0].organizer_id if rows else None

    async def event_of_booking(self, booking_id: uuid.UUID) -> BookedEvent | None:
        query = (
            select(bookings.c.event_id, inventories.c.organizer_id)
            .join(inventories, inventories.c.event_id == bookings.c.event_id)
            .where(bookings.c.id == booking_id)
        )
        rows = await self._reads.rows(query)
        return BookedEvent(rows[0].event_id, rows[0].organizer_id) if rows else None
