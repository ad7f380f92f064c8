"""``EventOwners`` (what webhooks asks booking: the organizer of an event, the event of a
booking), on every adapter: booking's SQL tables (SQLite, PostgreSQL) and the memory stand-in
filled by hand with the same facts. On SQL an answer found is kept: asked again, it sends
nothing; an event not found yet is asked again."""

from __future__ import annotations

import uuid

from aquastream.adapters.memory.webhooks import MemoryEventOwners
from aquastream.adapters.sql.booking.event_owners import BookingEventOwners
from aquastream.ports.webhooks import BookedEvent, EventOwners
from tests.contract.conftest import statements_sent

from .factories import a_booking
from .kit import BookingKit


async def _booked(kit: BookingKit) -> tuple[uuid.UUID, uuid.UUID, EventOwners]:
    """An event of the kit's organizer with one booking, and the owners adapter that knows them."""
    event_id = await kit.publish(10)
    booking = a_booking(event_id)
    async with kit.new_uow() as uow:
        await uow.bookings.add(booking)
        await uow.commit()
    if kit.engine is not None:
        return event_id, booking.id, BookingEventOwners(kit.engine)
    owners = MemoryEventOwners()
    owners.events[event_id] = kit.organizer_id
    owners.bookings[booking.id] = event_id
    return event_id, booking.id, owners


async def test_the_organizer_of_an_event_and_the_event_of_a_booking(kit: BookingKit) -> None:
    event_id, booking_id, owners = await _booked(kit)
    assert await owners.organizer_of_event(event_id) == kit.organizer_id
    assert await owners.event_of_booking(booking_id) == BookedEvent(event_id, kit.organizer_id)
    assert await owners.organizer_of_event(uuid.uuid4()) is None
    assert await owners.event_of_booking(uuid.uuid4()) is None


async def test_on_sql_what_was_found_is_not_asked_again_and_what_was_not_is(kit: BookingKit) -> None:
    if kit.engine is None:
        return  # the memory stand-in asks nothing of anyone
    event_id, booking_id, owners = await _booked(kit)
    assert await owners.organizer_of_event(event_id) == kit.organizer_id
    assert await owners.event_of_booking(booking_id) == BookedEvent(event_id, kit.organizer_id)
    with statements_sent(kit.engine) as sent:
        assert await owners.organizer_of_event(event_id) == kit.organizer_id
        assert await owners.event_of_booking(booking_id) == BookedEvent(event_id, kit.organizer_id)
    assert sent == []

    later = uuid.uuid4()
    assert await owners.organizer_of_event(later) is None
    with statements_sent(kit.engine) as sent:
        assert await owners.organizer_of_event(later) is None
    assert [statement for statement, _ in sent if statement.startswith("SELECT")] != []
