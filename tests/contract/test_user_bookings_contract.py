"""Contract of ``UserBookings``, what booking serves identity for an administrator's view of a
user: the user's bookings newest first, with the title booking keeps of each event, paged."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import insert

from aquastream.adapters.memory.booking import BOOKINGS, INVENTORIES
from aquastream.adapters.memory.user_bookings import MemoryUserBookings
from aquastream.adapters.sql.booking.user_bookings import BookingUserBookings
from aquastream.adapters.sql.tables.booking import bookings, inventories
from aquastream.domain.booking.model import Booking, BookingStatus, Inventory, InventoryStatus, PaymentStatus
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.paging import PageRequest
from aquastream.ports.identity import UserBooking, UserBookings

from .conftest import Backend
from .factories import NOW


def user_bookings(backend: Backend) -> UserBookings:
    if backend.engine is not None:
        return BookingUserBookings(backend.engine)
    assert backend.memory is not None
    return MemoryUserBookings(backend.memory)


async def store(backend: Backend, booking: Booking, title: str | None) -> None:
    inventory = (
        Inventory(booking.event_id, new_id(), title, InventoryStatus.OPEN, NOW, NOW, capacity=10, available=9)
        if title is not None
        else None
    )
    if backend.memory is not None:
        backend.memory.table(BOOKINGS)[booking.id] = booking
        if inventory is not None:
            backend.memory.table(INVENTORIES)[inventory.event_id] = inventory
        return
    assert backend.engine is not None
    async with backend.engine.begin() as connection:
        if inventory is not None:
            await connection.execute(
                insert(inventories).values(
                    event_id=inventory.event_id,
                    organizer_id=inventory.organizer_id,
                    title=title,
                    status=inventory.status.value,
                    starts_at=NOW,
                    ends_at=NOW,
                    capacity=10,
                    available=9,
                    currency="RUB",
                )
            )
        await connection.execute(
            insert(bookings).values(
                id=booking.id,
                event_id=booking.event_id,
                user_id=booking.user_id,
                status=booking.status.value,
                payment_status=booking.payment_status.value,
                amount=booking.amount,
                currency=booking.currency,
                created_at=booking.created_at,
                updated_at=booking.updated_at,
            )
        )


def a_booking(user_id: uuid.UUID, minutes: int) -> Booking:
    at = NOW + timedelta(minutes=minutes)
    return Booking(
        new_id(),
        new_id(),
        user_id,
        BookingStatus.CONFIRMED,
        PaymentStatus.PAID,
        Decimal("1500"),
        "RUB",
        at,
        at,
    )


async def test_a_users_bookings_come_newest_first_with_their_event_titles_page_by_page(
    backend: Backend,
) -> None:
    user_id = new_id()
    first, second, third = (a_booking(user_id, minutes) for minutes in (1, 2, 3))
    await store(backend, first, "Rafting on Vuoksa")
    await store(backend, second, None)  # an event booking no longer knows
    await store(backend, third, "Hike to Ruskeala")
    await store(backend, a_booking(new_id(), 4), "Someone else's")

    page = await user_bookings(backend).for_user(user_id, PageRequest(0, 2))

    assert (page.total, page.page, page.size) == (3, 0, 2)
    assert page.items == [
        UserBooking(
            third.id,
            third.event_id,
            "Hike to Ruskeala",
            "CONFIRMED",
            "PAID",
            Decimal("1500"),
            "RUB",
            third.created_at,
        ),
        UserBooking(
            second.id, second.event_id, None, "CONFIRMED", "PAID", Decimal("1500"), "RUB", second.created_at
        ),
    ]
    rest = await user_bookings(backend).for_user(user_id, PageRequest(1, 2))
    assert [b.booking_id for b in rest.items] == [first.id]
    assert (await user_bookings(backend).for_user(new_id(), PageRequest())).total == 0
