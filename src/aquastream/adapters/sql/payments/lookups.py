"""Booking's question to payments (the payments of a booking), read from the payments table on
payments' own connection. What payments asks of other domains their owners serve: bookings
(``BookingPayables``), who manages an organizer (``CatalogOrganizerDirectory``) and uploaded
receipts (``MediaProofFiles``)."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.sql.payments.repositories import payment_from_row
from aquastream.adapters.sql.reads import StandaloneReads
from aquastream.adapters.sql.statements import one_of
from aquastream.adapters.sql.tables.payments import payments
from aquastream.domain.payments.model import Payment


class SqlBookingPayments:
    """The payments of a booking, for booking's expiry job: payments serves it on a connection
    of its own engine, outside booking's transaction, so booking runs no SQL on this table."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._reads = StandaloneReads(engine)

    async def for_booking(self, booking_id: uuid.UUID) -> list[Payment]:
        query = select(payments).where(payments.c.booking_id == booking_id).order_by(payments.c.created_at)
        rows = await self._reads.rows(query)
        return [payment_from_row(row._mapping) for row in rows]

    async def for_bookings(self, booking_ids: Collection[uuid.UUID]) -> list[Payment]:
        """The payments of a batch of bookings (the expiry job asks for a batch at once)."""
        query = (
            select(payments)
            .where(one_of(self._engine, payments.c.booking_id, booking_ids))
            .order_by(payments.c.booking_id, payments.c.created_at)
        )
        return [payment_from_row(row._mapping) for row in await self._reads.rows(query)]
