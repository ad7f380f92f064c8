"""Reading bookings: one, my list, an event's list and the participants export."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest

from aquastream.domain.booking.errors import BookingForbidden, BookingNotFound, EventNotFound
from aquastream.domain.booking.model import Booking, BookingStatus, ParticipantContact
from aquastream.domain.booking.sorting import BookingSortField
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.paging import Page, PageRequest
from aquastream.domain.shared.sorting import SortKey
from tests.unit.booking.booking_world import BookingWorld


async def test_a_booking_is_visible_to_its_owner_its_organizer_and_admins_only(world: BookingWorld) -> None:
    event_id = await world.publish()
    user = world.new_user()
    booking = await world.book(user, event_id)

    for viewer in (user, world.organizer, world.admin):
        assert (await world.get_booking(viewer, booking.id)).id == booking.id
    with pytest.raises(BookingNotFound):
        await world.get_booking(world.new_user(), booking.id)
    with pytest.raises(BookingNotFound):
        await world.get_booking(user, new_id())


async def test_my_bookings_are_listed_newest_first_and_filtered_by_status(world: BookingWorld) -> None:
    user = world.new_user()
    booked = []
    for _ in range(3):
        booked.append(await world.book(user, await world.publish()))
        world.clock.advance(minutes=1)
    await world.cancel(user, booked[1].id)
    await world.book(world.new_user(), await world.publish())

    everything = await world.my_bookings(user, PageRequest(0, 2))
    cancelled = await world.my_bookings(user, PageRequest(), [BookingStatus.CANCELLED])

    assert [b.id for b in everything.items] == [booked[2].id, booked[1].id]
    assert (everything.total, everything.total_pages) == (3, 2)
    assert [b.id for b in cancelled.items] == [booked[1].id]


async def test_organizer_lists_the_bookings_of_their_event_in_booking_order(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=5, price=Decimal(100))
    first = await world.book(world.new_user(), event_id)
    world.clock.advance(seconds=1)
    second = await world.book(world.new_user(), event_id)
    await world.confirm(world.organizer, second.id)

    listed = await world.event_bookings(world.organizer, event_id, PageRequest())
    confirmed = await world.event_bookings(world.admin, event_id, PageRequest(), [BookingStatus.CONFIRMED])

    assert [b.id for b in listed.items] == [first.id, second.id]
    assert [b.id for b in confirmed.items] == [second.id]


async def test_event_bookings_are_refused_to_other_users_and_missing_for_unknown_events(
    world: BookingWorld,
) -> None:
    event_id = await world.publish()

    with pytest.raises(BookingForbidden):
        await world.event_bookings(world.new_user(), event_id, PageRequest())
    with pytest.raises(EventNotFound):
        await world.event_bookings(world.organizer, new_id(), PageRequest())


async def test_participants_export_has_contacts_of_seat_holders_only(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=5, starts_in=timedelta(days=1))
    anna, boris, gone = world.new_user(), world.new_user(), world.new_user()
    world.participants.known[anna.user_id] = ParticipantContact(
        anna.user_id, email="anna@example.com", first_name="Anna", last_name="K", phone="+79990000000"
    )
    world.participants.known[boris.user_id] = ParticipantContact(boris.user_id, telegram="@boris")
    kept = await world.book(anna, event_id)
    left = await world.book(boris, event_id)
    world.clock.advance(seconds=1)
    unknown = await world.book(gone, event_id)
    await world.cancel(boris, left.id)

    rows = await world.export(world.organizer, event_id)

    assert [(r.booking_id, r.first_name, r.email, r.phone) for r in rows] == [
        (kept.id, "Anna", "anna@example.com", "+79990000000"),
        (unknown.id, None, None, None),
    ]
    assert rows[0].status is BookingStatus.CONFIRMED
    with pytest.raises(BookingForbidden):
        await world.export(anna, event_id)


async def test_my_bookings_sort_by_event_start_status_and_change_with_ties_kept_in_a_stable_order(
    world: BookingWorld,
) -> None:
    user = world.new_user()
    later = await world.book(user, await world.publish(starts_in=timedelta(days=20)))
    world.clock.advance(minutes=1)
    sooner = await world.book(user, await world.publish(starts_in=timedelta(days=3)))
    world.clock.advance(minutes=1)
    middle = await world.book(user, await world.publish(starts_in=timedelta(days=9)))
    world.clock.advance(minutes=1)
    await world.cancel(user, later.id)

    def ids(page: Page[Booking]) -> list[uuid.UUID]:
        return [b.id for b in page.items]

    by_start = await world.my_bookings(user, PageRequest(), sort=(SortKey(BookingSortField.STARTS_AT),))
    latest_start = await world.my_bookings(
        user, PageRequest(), sort=(SortKey(BookingSortField.STARTS_AT, descending=True),)
    )
    by_status = await world.my_bookings(user, PageRequest(), sort=(SortKey(BookingSortField.STATUS),))
    changed = await world.my_bookings(
        user, PageRequest(), sort=(SortKey(BookingSortField.UPDATED_AT, descending=True),)
    )

    assert ids(by_start) == [sooner.id, middle.id, later.id]
    assert ids(latest_start) == [later.id, middle.id, sooner.id]
    # Active bookings come before cancelled ones; equal statuses stay newest first.
    assert ids(by_status) == [middle.id, sooner.id, later.id]
    assert ids(changed) == [later.id, middle.id, sooner.id]


async def test_pages_of_a_sorted_list_neither_repeat_nor_skip_a_booking(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=7)
    booked = [await world.book(world.new_user(), event_id) for _ in range(7)]  # same instant
    sort = (SortKey(BookingSortField.STATUS, descending=True),)

    pages = [
        await world.event_bookings(world.organizer, event_id, PageRequest(p, 3), sort=sort) for p in range(3)
    ]

    seen = [b.id for page in pages for b in page.items]
    assert sorted(seen) == sorted(b.id for b in booked)
    assert seen == sorted(seen)  # ties fall back to booking order, which ids follow
