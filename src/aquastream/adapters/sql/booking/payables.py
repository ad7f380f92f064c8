"""Payments' ``BookingDirectory``, served by booking on a connection of its own engine (never
the asking domain's transaction), so only booking's tables are read and booking may live in a
schema, or a database, payments cannot see. It reads outside any transaction: on SQLite (WAL)
such a reader does not wait for payments' writer."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.currencies import amount_in
from aquastream.adapters.sql.reads import StandaloneReads
from aquastream.adapters.sql.tables.booking import bookings, inventories
from aquastream.ports.payments import PayableBooking


class BookingPayables:
    def __init__(self, engine: AsyncEngine) -> None:
        self._reads = StandaloneReads(engine)

    async def booking(self, booking_id: uuid.UUID) -> PayableBooking | None:
        query = (
            select(bookings, inventories.c.organizer_id, inventories.c.title)
            .join(inventories, inventories.c.event_id == bookings.c.event_id)
            .where(bookings.c.id == booking_id)
        )
        rows = await self._reads.rows(query)
        if not rows:
            return None
        row = rows[0]._mapping
        return PayableBooking(
            id=row["id"],
            event_id=row["event_id"],
            organizer_id=row["organizer_id"],
            user_id=row["user_id"],
            status=row["status"],
            payment_status=row["payment_status"],
            amount=amount_in(row["amount"], row["currency"]),
            currency=row["currency"],
            expires_at=row["expires_at"],
            event_title=row["title"],
        )

    async def event_organizer(self, event_id: uuid.UUID) -> uuid.UUID | None:
        query = select(inventories.c.organizer_id).where(inventories.c.event_id == event_id)
        rows = await self._reads.rows(query)
        return rows[0].organizer_id if rows else None
