"""Identity's ``UserBookings``, served by booking on its own engine: an administrator's view
of one user's bookings (outside identity's transaction, as every served question is)."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.sql.reads import StandaloneReads
from aquastream.adapters.sql.tables.booking import bookings, inventories
from aquastream.domain.shared.paging import Page, PageRequest
from aquastream.ports.identity import UserBooking


class BookingUserBookings:
    """The user's bookings, newest first, with the title booking keeps of each event."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._reads = StandaloneReads(engine)

    async def for_user(self, user_id: uuid.UUID, paging: PageRequest) -> Page[UserBooking]:
        b = bookings.c
        count = select(func.count()).select_from(bookings).where(b.user_id == user_id)
        query = (
            select(
                b.id,
                b.event_id,
                inventories.c.title,
                b.status,
                b.payment_status,
                b.amount,
                b.currency,
                b.created_at,
            )
            .join(inventories, inventories.c.event_id == b.event_id, isouter=True)
            .where(b.user_id == user_id)
            .order_by(b.created_at.desc(), b.id.desc())
            .offset(paging.offset)
            .limit(paging.size)
        )
        counted, rows = await self._reads.all([count, query], {})
        items = [
            UserBooking(
                booking_id=row.id,
                event_id=row.event_id,
                event_title=row.title,
                status=row.status,
                payment_status=row.payment_status,
                amount=row.amount,
                currency=row.currency,
                created_at=row.created_at,
            )
            for row in rows
        ]
        return Page(items, int(counted[0][0]), paging.page, paging.size)
