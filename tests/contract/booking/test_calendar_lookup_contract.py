"""The calendar feed's booking lookup, on memory, SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from aquastream.adapters.memory.booking import MemoryConfirmedBookingsLookup
from aquastream.adapters.sql.booking import SqlConfirmedBookingsLookup
from aquastream.domain.booking.model import BookingStatus
from aquastream.domain.shared.ids import new_id
from aquastream.ports.catalog import ConfirmedBookingsLookup

from .factories import a_booking
from .kit import BookingKit


@pytest.fixture
def lookup(kit: BookingKit) -> ConfirmedBookingsLookup:
    if kit.engine is not None:
        return SqlConfirmedBookingsLookup(kit.engine)
    assert kit.db is not None
    return MemoryConfirmedBookingsLookup(kit.db)


async def test_the_calendar_lookup_lists_events_with_confirmed_or_completed_bookings(
    kit: BookingKit, lookup: ConfirmedBookingsLookup
) -> None:
    user_id = new_id()
    confirmed, completed, pending, cancelled = [await kit.publish(2) for _ in range(4)]
    rows = [
        a_booking(confirmed, user_id=user_id, status=BookingStatus.CONFIRMED),
        a_booking(completed, user_id=user_id, status=BookingStatus.COMPLETED),
        a_booking(pending, user_id=user_id),
        a_booking(cancelled, user_id=user_id, status=BookingStatus.CANCELLED),
        a_booking(confirmed, status=BookingStatus.CONFIRMED),
    ]
    async with kit.new_uow() as uow:
        for booking in rows:
            await uow.bookings.add(booking)
        await uow.commit()

    assert set(await lookup.event_ids_for_user(user_id)) == {confirmed, completed}
    assert list(await lookup.event_ids_for_user(new_id())) == []
