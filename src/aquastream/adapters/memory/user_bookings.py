"""Identity's ``UserBookings`` over booking's memory tables (the SQL twin is
``BookingUserBookings``)."""

from __future__ import annotations

import uuid

from aquastream.adapters.memory.booking import BOOKINGS, INVENTORIES
from aquastream.adapters.memory.database import MemoryDatabase
from aquastream.domain.booking.model import Booking, Inventory
from aquastream.domain.shared.paging import Page, PageRequest
from aquastream.ports.identity import UserBooking


class MemoryUserBookings:
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def for_user(self, user_id: uuid.UUID, paging: PageRequest) -> Page[UserBooking]:
        found: list[Booking] = [b for b in self._db.table(BOOKINGS).values() if b.user_id == user_id]
        found.sort(key=lambda b: (b.created_at, b.id), reverse=True)
        inventories: dict[uuid.UUID, Inventory] = self._db.table(INVENTORIES)
        items = [
            UserBooking(
                booking_id=b.id,
                event_id=b.event_id,
                event_title=inventory.title if (inventory := inventories.get(b.event_id)) else None,
                status=b.status.value,
                payment_status=b.payment_status.value,
                amount=b.amount,
                currency=b.currency,
                created_at=b.created_at,
            )
            for b in found[paging.offset : paging.offset + paging.size]
        ]
        return Page(items, len(found), paging.page, paging.size)
