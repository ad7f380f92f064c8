"""The group waitlist (SPEC §12, docs/waitlist-policy.md): an entry asks for N seats, the
queue is strict FIFO by whole parties, and nobody waits forever while seats go to others."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from aquastream.domain.booking.errors import (
    EventFull,
    PartyExceedsOffer,
    PartyTooLarge,
    WaitlistNotNeeded,
)
from aquastream.domain.booking.model import Booking, WaitlistStatus
from aquastream.domain.booking.party import CompanionRequest
from aquastream.domain.shared.principal import Principal
from tests.unit.booking.booking_world import BookingWorld


def party(size: int) -> list[CompanionRequest]:
    return [CompanionRequest(name=f"Companion {n}") for n in range(1, size)]


async def full_of_singles(
    world: BookingWorld, capacity: int
) -> tuple[uuid.UUID, list[tuple[Principal, Booking]]]:
    event_id = await world.publish(capacity=capacity)
    holders = [world.new_user() for _ in range(capacity)]
    return event_id, [(holder, await world.book(holder, event_id)) for holder in holders]


async def test_a_party_joins_when_its_seats_are_not_free(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=3)
    await world.book(world.new_user(), event_id, None, party(2))

    with pytest.raises(WaitlistNotNeeded):
        await world.join(world.new_user(), event_id, 1)
    place = await world.join(world.new_user(), event_id, 2)

    assert (place.entry.party_size, place.position) == (2, 1)
    world.check_invariants(event_id)


async def test_a_party_that_could_never_be_served_cannot_join(world: BookingWorld) -> None:
    event_id, _ = await full_of_singles(world, 3)

    with pytest.raises(PartyTooLarge):
        await world.join(world.new_user(), event_id, 4)  # larger than the event
    with pytest.raises(PartyTooLarge):
        await world.join(world.new_user(), event_id, 7)  # larger than the maximum


async def test_freed_seats_wait_for_the_head_and_nobody_behind_skips_it(world: BookingWorld) -> None:
    event_id, holders = await full_of_singles(world, 5)
    head, behind = world.new_user(), world.new_user()
    await world.join(head, event_id, 3)
    await world.join(behind, event_id, 1)

    for holder, booking in holders[:2]:
        await world.cancel(holder, booking.id)
        assert world.entry_of(event_id, head).status is WaitlistStatus.WAITING
        assert world.entry_of(event_id, behind).status is WaitlistStatus.WAITING
    with pytest.raises(EventFull):  # free seats wait for the queue, newcomers cannot take them
        await world.book(world.new_user(), event_id)
    holder, booking = holders[2]
    await world.cancel(holder, booking.id)

    assert world.entry_of(event_id, head).status is WaitlistStatus.NOTIFIED
    assert world.inventory(event_id).reserved == 3
    assert world.entry_of(event_id, behind).status is WaitlistStatus.WAITING
    world.check_invariants(event_id)


async def test_a_notified_party_books_its_held_seats(world: BookingWorld) -> None:
    event_id, holders = await full_of_singles(world, 3)
    head = world.new_user()
    await world.join(head, event_id, 2)
    for holder, booking in holders[:2]:
        await world.cancel(holder, booking.id)

    with pytest.raises(PartyExceedsOffer):
        await world.book(head, event_id, None, party(3))
    booking = await world.book(head, event_id, None, party(2))

    assert booking.party_size == 2
    assert (world.inventory(event_id).reserved, world.inventory(event_id).available) == (0, 0)
    world.check_invariants(event_id)


async def test_a_smaller_booking_from_an_offer_gives_the_rest_to_the_next(world: BookingWorld) -> None:
    event_id, holders = await full_of_singles(world, 3)
    head, behind = world.new_user(), world.new_user()
    await world.join(head, event_id, 3)
    await world.join(behind, event_id, 1)
    for holder, booking in holders:
        await world.cancel(holder, booking.id)

    await world.book(head, event_id, None, party(2))

    assert world.entry_of(event_id, behind).status is WaitlistStatus.NOTIFIED
    world.check_invariants(event_id)


async def test_a_lapsed_party_offer_passes_all_its_seats_on(world: BookingWorld) -> None:
    event_id, holders = await full_of_singles(world, 2)
    head, first_single, second_single = world.new_user(), world.new_user(), world.new_user()
    await world.join(head, event_id, 2)
    await world.join(first_single, event_id, 1)
    await world.join(second_single, event_id, 1)
    for holder, booking in holders:
        await world.cancel(holder, booking.id)
    world.clock.advance(world.policy.waitlist_window)

    assert await world.lapse_windows() == 1

    assert world.entry_of(event_id, first_single).status is WaitlistStatus.NOTIFIED
    assert world.entry_of(event_id, second_single).status is WaitlistStatus.NOTIFIED
    world.check_invariants(event_id)


async def test_no_entry_waits_forever_while_single_seats_churn(world: BookingWorld) -> None:
    """A party of 4 at the head, singles joining behind it all the time, single seats freed
    one at a time: under strict FIFO the head is offered its seats after at most 4 releases,
    and no single behind it gets a seat before it does."""
    event_id, holders = await full_of_singles(world, 20)
    head = world.new_user()
    await world.join(head, event_id, 4)
    singles: list[Principal] = []
    releases = 0
    for holder, booking in holders:
        newcomer = world.new_user()
        await world.join(newcomer, event_id, 1)
        singles.append(newcomer)
        await world.cancel(holder, booking.id)
        releases += 1
        if world.entry_of(event_id, head).status is WaitlistStatus.NOTIFIED:
            break
        assert all(world.entry_of(event_id, s).status is WaitlistStatus.WAITING for s in singles)
        world.check_invariants(event_id)

    assert world.entry_of(event_id, head).status is WaitlistStatus.NOTIFIED
    assert releases == 4
    world.check_invariants(event_id)


async def test_an_expired_party_serves_the_queue_behind_it(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=4, price=Decimal("10.00"))
    await world.book(world.new_user(), event_id, None, party(4))
    big, small = world.new_user(), world.new_user()
    await world.join(big, event_id, 3)
    await world.join(small, event_id, 1)
    world.clock.advance(world.policy.hold)

    assert await world.expire_holds() == 1

    assert world.entry_of(event_id, big).status is WaitlistStatus.NOTIFIED
    assert world.entry_of(event_id, small).status is WaitlistStatus.NOTIFIED
    assert world.inventory(event_id).available == 0
    world.check_invariants(event_id)


async def test_the_capacity_cannot_drop_below_a_waiting_party(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=4)
    holder = world.new_user()
    booking = await world.book(holder, event_id, None, party(2))
    await world.book(world.new_user(), event_id, None, party(2))
    await world.join(world.new_user(), event_id, 3)
    await world.cancel(holder, booking.id)

    assert not await world.resize(event_id, 2)  # 2 seats taken, but a party of 3 waits

    assert await world.resize(event_id, 3)
    world.check_invariants(event_id)
