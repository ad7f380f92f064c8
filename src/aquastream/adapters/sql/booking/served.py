"""Questions other domains ask booking, served on booking's own engine.

Each adapter reads on a connection of booking's engine, outside the asking domain's
transaction (``StandaloneReads``, with a timeout), so the asker runs no SQL on booking's
tables and booking may sit where the asker's role cannot see.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.sql.reads import StandaloneReads
from aquastream.adapters.sql.tables.booking import bookings
from aquastream.domain.booking.model import BookingStatus
from aquastream.ports.media import ProofBooking


class BookingEventParticipants:
    """Notifications' ``EventParticipants``: who holds a CONFIRMED booking for an event."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._reads = StandaloneReads(engine)

    async def confirmed_participants(self, event_id: uuid.UUID) -> Sequence[uuid.UUID]:
        query = (
            select(bookings.c.user_id)
            .where(bookings.c.event_id == event_id, bookings.c.status == "CONFIRMED")
            .order_by(bookings.c.created_at, bookings.c.user_id)
        )
        rows = await self._reads.rows(query)
        return [row.user_id for row in rows]


class BookingProofOwners:
    """Media's ``ProofOwners``: the booking a payment proof belongs to."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._reads = StandaloneReads(engine)

    async def booking(self, booking_id: uuid.UUID) -> ProofBooking | None:
        query = select(bookings.c.user_id, bookings.c.event_id, bookings.c.status).where(
            bookings.c.id == booking_id
        )
        rows = await self._reads.rows(query)
        if not rows:
            return None
        row = rows[0]
        return ProofBooking(
            user_id=row.user_id, event_id=row.event_id, pending=row.status == BookingStatus.PENDING.value
        )
