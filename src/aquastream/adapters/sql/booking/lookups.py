"""What other layers read from the booking tables on their own connection: the calendar
feed's confirmed bookings."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.sql.tables.booking import bookings
from aquastream.domain.booking.model import BookingStatus


class SqlConfirmedBookingsLookup:
    """The catalog's ``ConfirmedBookingsLookup`` (the private calendar feed), on its own
    connection: it is called outside any unit of work."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def event_ids_for_user(self, user_id: uuid.UUID) -> Collection[uuid.UUID]:
        c = bookings.c
        query = (
            select(c.event_id)
            .where(
                c.user_id == user_id,
                c.status.in_([BookingStatus.CONFIRMED.value, BookingStatus.COMPLETED.value]),
            )
            .distinct()
        )
        async with self._engine.connect() as connection:
            return list((await connection.execute(query)).scalars())
