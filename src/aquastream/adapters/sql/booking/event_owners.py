"""Webhooks' ``EventOwners``, served by booking on its own engine (``StandaloneReads``): the
organizer of an event as booking's inventory keeps it, and the event of a booking.

Both never change once they exist (an event keeps its organizer, a booking its event), so
what was found is kept per process (bounded; an unknown one is asked again): every booking
fact asks for its event's organizer, and the facts of one event ask for the same one."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.kept import Kept
from aquastream.adapters.sql.reads import StandaloneReads
from aquastream.adapters.sql.tables.booking import bookings, inventories
from aquastream.ports.webhooks import BookedEvent

OWNERS_KEPT = 4096

_ORGANIZERS: Kept[uuid.UUID, uuid.UUID] = Kept(OWNERS_KEPT)  # event: organizer
_BOOKED: Kept[uuid.UUID, BookedEvent] = Kept(OWNERS_KEPT)  # booking: its event and organizer


class BookingEventOwners:
    def __init__(self, engine: AsyncEngine) -> None:
        self._reads = StandaloneReads(engine)

    async def organizer_of_event(self, event_id: uuid.UUID) -> uuid.UUID | None:
        if (kept := _ORGANIZERS.get(event_id)) is not None:
            return kept
        query = select(inventories.c.organizer_id).where(inventories.c.event_id == event_id)
        rows = await self._reads.rows(query)
        return _ORGANIZERS.keep(event_id, rows[0].organizer_id) if rows else None

    async def event_of_booking(self, booking_id: uuid.UUID) -> BookedEvent | None:
        if (kept := _BOOKED.get(booking_id)) is not None:
            return kept
        query = (
            select(bookings.c.event_id, inventories.c.organizer_id)
            .join(inventories, inventories.c.event_id == bookings.c.event_id)
            .where(bookings.c.id == booking_id)
        )
        rows = await self._reads.rows(query)
        return _BOOKED.keep(booking_id, BookedEvent(rows[0].event_id, rows[0].organizer_id)) if rows else None
