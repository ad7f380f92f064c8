"""The FIFO waitlist from its users' side: join, place, list, leave."""

from __future__ import annotations

import uuid

import pytest

from aquastream.domain.booking.errors import (
    AlreadyBooked,
    EventNotFound,
    EventNotOpen,
    ProfileIncomplete,
    WaitlistDuplicate,
    WaitlistEntryNotFound,
    WaitlistNotNeeded,
)
from aquastream.domain.booking.model import Booking, WaitlistAction, WaitlistStatus
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.paging import PageRequest
from aquastream.domain.shared.principal import Principal
from tests.unit.booking.booking_world import BookingWorld


async def full_event(
    world: BookingWorld, capacity: int = 1
) -> tuple[uuid.UUID, list[Principal], list[Booking]]:
    event_id = await world.publish(capacity=capacity)
    holders = [world.new_user() for _ in range(capacity)]
    bookings = [await world.book(holder, event_id) for holder in holders]
    return event_id, holders, bookings


async def test_joining_is_only_possible_when_the_event_is_full(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=1)

    with pytest.raises(WaitlistNotNeeded) as raised:
        await world.join(world.new_user(), event_id)

    assert raised.value.code == "waitlist.seats_available"
    assert world.inventory(event_id).waiting == 0


async def test_positions_are_first_come_first_served_and_one_based(world: BookingWorld) -> None:
    event_id, _, _ = await full_event(world)
    users = [world.new_user() for _ in range(3)]

    places = [await world.join(user, event_id) for user in users]

    assert [p.position for p in places] == [1, 2, 3]
    assert [p.entry.position for p in places] == [1, 2, 3]
    assert all(p.entry.status is WaitlistStatus.WAITING for p in places)
    assert world.inventory(event_id).waiting == 3
    world.check_invariants(event_id)


async def test_joining_twice_is_refused(world: BookingWorld) -> None:
    event_id, _, _ = await full_event(world)
    user = world.new_user()
    await world.join(user, event_id)

    with pytest.raises(WaitlistDuplicate) as raised:
        await world.join(user, event_id)

    assert raised.value.code == "waitlist.duplicate"
    world.check_invariants(event_id)


async def test_a_user_with_an_active_booking_cannot_join(world: BookingWorld) -> None:
    event_id, holders, _ = await full_event(world)

    with pytest.raises(AlreadyBooked) as raised:
        await world.join(holders[0], event_id)

    assert raised.value.code == "waitlist.already_booked"


async def test_joining_needs_a_contactable_profile_and_an_open_event(world: BookingWorld) -> None:
    event_id, _, _ = await full_event(world)

    with pytest.raises(ProfileIncomplete):
        await world.join(world.new_user(contactable=False), event_id)
    with pytest.raises(EventNotFound):
        await world.join(world.new_user(), new_id())
    await world.close(event_id, "CANCELLED")
    with pytest.raises(EventNotOpen):
        await world.join(world.new_user(), event_id)


async def test_leaving_while_waiting_moves_the_others_up(world: BookingWorld) -> None:
    event_id, _, _ = await full_event(world)
    first, second = world.new_user(), world.new_user()
    await world.join(first, event_id)
    await world.join(second, event_id)

    await world.leave(first, event_id)

    assert (await world.my_place(second, event_id)).position == 1
    assert world.inventory(event_id).waiting == 1
    assert [a.action for a in world.audit(event_id)][-1] is WaitlistAction.REMOVED
    world.check_invariants(event_id)


async def test_a_notified_user_leaving_passes_the_held_seat_on(world: BookingWorld) -> None:
    event_id, holders, bookings = await full_event(world)
    first, second = world.new_user(), world.new_user()
    await world.join(first, event_id)
    await world.join(second, event_id)
    await world.cancel(holders[0], bookings[0].id)

    await world.leave(first, event_id)

    assert world.entry_of(event_id, second).status is WaitlistStatus.NOTIFIED
    inventory = world.inventory(event_id)
    assert (inventory.available, inventory.reserved, inventory.waiting) == (0, 1, 0)
    world.check_invariants(event_id)


async def test_the_last_notified_user_leaving_returns_the_seat_to_the_pool(world: BookingWorld) -> None:
    event_id, holders, bookings = await full_event(world)
    waiter = world.new_user()
    await world.join(waiter, event_id)
    await world.cancel(holders[0], bookings[0].id)

    await world.leave(waiter, event_id)

    assert world.inventory(event_id).available == 1
    world.check_invariants(event_id)


async def test_leaving_or_asking_a_place_without_an_entry_is_not_found(world: BookingWorld) -> None:
    event_id, _, _ = await full_event(world)
    stranger = world.new_user()

    with pytest.raises(WaitlistEntryNotFound) as raised:
        await world.leave(stranger, event_id)
    with pytest.raises(WaitlistEntryNotFound):
        await world.my_place(stranger, event_id)
    with pytest.raises(EventNotFound):
        await world.leave(stranger, new_id())

    assert raised.value.code == "waitlist.not_found"


async def test_a_notified_entry_counts_in_the_place_of_those_behind_it(world: BookingWorld) -> None:
    event_id, holders, bookings = await full_event(world)
    first, second = world.new_user(), world.new_user()
    await world.join(first, event_id)
    await world.join(second, event_id)
    await world.cancel(holders[0], bookings[0].id)

    mine = await world.my_place(second, event_id)
    theirs = await world.my_place(first, event_id)

    assert (theirs.position, theirs.entry.status) == (1, WaitlistStatus.NOTIFIED)
    assert (mine.position, mine.entry.status) == (2, WaitlistStatus.WAITING)


async def test_my_waitlist_lists_live_entries_with_their_places(world: BookingWorld) -> None:
    user = world.new_user()
    first_event, _, _ = await full_event(world)
    second_event, _, _ = await full_event(world)
    await world.join(world.new_user(), second_event)
    await world.join(user, first_event)
    world.clock.advance(seconds=1)
    await world.join(user, second_event)
    third_event, _, _ = await full_event(world)
    await world.join(user, third_event)
    await world.leave(user, third_event)

    page = await world.my_waitlist(user, PageRequest())

    assert [(p.entry.event_id, p.position) for p in page.items] == [(first_event, 1), (second_event, 2)]
    assert page.total == 2


async def test_rejoining_after_leaving_takes_a_new_place_at_the_end(world: BookingWorld) -> None:
    event_id, _, _ = await full_event(world)
    user, other = world.new_user(), world.new_user()
    await world.join(user, event_id)
    await world.join(other, event_id)
    await world.leave(user, event_id)

    again = await world.join(user, event_id)

    assert (again.entry.position, again.position) == (3, 2)
    world.check_invariants(event_id)
