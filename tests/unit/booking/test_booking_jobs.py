"""Jobs and event handlers: hold expiry, lapsed windows, hand-over, completion and cancellation."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest

from aquastream.domain.booking.model import (
    ALL_EVENTS,
    BookingStatus,
    EventShare,
    LogReason,
    PaymentStatus,
    WaitlistAction,
    WaitlistStatus,
)
from aquastream.domain.booking.policy import BookingPolicy
from tests.unit.booking.booking_world import BookingWorld

PAID = Decimal(2500)


async def test_holds_expire_after_the_hold_and_their_seats_return(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=2, price=PAID)
    booking = await world.book(world.new_user(), event_id)
    world.clock.advance(minutes=29)
    assert await world.expire_holds() == 0
    world.clock.advance(minutes=1)

    assert await world.expire_holds() == 1

    assert world.booking(booking.id).status is BookingStatus.EXPIRED
    last = world.log(booking.id)[-1]
    assert (last.old_status, last.reason) == (BookingStatus.PENDING, LogReason.HOLD_EXPIRED)
    assert last.actor_id is None
    assert world.inventory(event_id).available == 2
    assert world.outbox_events()[-1] == "BookingExpired"
    assert await world.expire_holds() == 0
    world.check_invariants(event_id)


async def test_a_hold_whose_payment_succeeded_never_expires(world: BookingWorld) -> None:
    event_id = await world.publish(price=PAID)
    paid = await world.book(world.new_user(), event_id)
    unpaid = await world.book(world.new_user(), event_id)
    world.payments.succeeded.add(paid.id)
    world.clock.advance(hours=1)

    assert await world.expire_holds() == 1

    assert world.booking(paid.id).status is BookingStatus.PENDING
    assert world.booking(unpaid.id).status is BookingStatus.EXPIRED
    world.check_invariants(event_id)


async def test_one_expiry_run_handles_at_most_a_batch() -> None:
    world = BookingWorld(BookingPolicy(expiry_batch_size=3))
    event_id = await world.publish(capacity=5, price=PAID)
    for _ in range(5):
        await world.book(world.new_user(), event_id)
    world.clock.advance(hours=1)

    assert [await world.expire_holds(), await world.expire_holds(), await world.expire_holds()] == [3, 2, 0]
    world.check_invariants(event_id)


async def test_two_expiry_workers_at_once_expire_each_booking_once(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=6, price=PAID)
    for _ in range(6):
        await world.book(world.new_user(), event_id)
    world.clock.advance(hours=1)
    other_worker = type(world.expire_holds)(world.new_uow(), world.clock, world.payments, world.policy)

    counts = await asyncio.gather(world.expire_holds(), other_worker())

    assert sum(counts) == 6
    assert world.outbox_events().count("BookingExpired") == 6
    world.check_invariants(event_id)


@pytest.mark.parametrize("lanes", [1, 2, 3, 7, 256])
def test_the_shares_of_the_events_hold_every_event_once(lanes: int) -> None:
    shares = EventShare.split(lanes)
    owners = [[s for s in shares if s.holds(uuid.UUID(int=(0xABC << 8) + last))] for last in range(256)]
    assert all(len(found) == 1 for found in owners)
    assert {found[0] for found in owners} == set(shares)  # no share is empty
    assert EventShare.split(1) == [ALL_EVENTS]


@pytest.mark.parametrize(("index", "of"), [(0, 0), (2, 2), (-1, 2), (0, 257)])
def test_a_share_outside_its_range_is_refused(index: int, of: int) -> None:
    with pytest.raises(ValueError, match="index < of <= 256"):
        EventShare(index, of)


async def test_lanes_on_shares_of_the_events_expire_only_their_own_holds(world: BookingWorld) -> None:
    first, second = EventShare.split(2)
    events: list[uuid.UUID] = []
    while len(events) < 4 or all(first.holds(e) for e in events) or not any(first.holds(e) for e in events):
        events.append(await world.publish(capacity=2, price=PAID))  # ids are random: both lanes get work
    for event_id in events:
        for _ in range(2):
            await world.book(world.new_user(), event_id)
    world.clock.advance(hours=1)
    mine = [e for e in events if first.holds(e)]

    assert await world.expire_holds(first) == 2 * len(mine)

    for event_id in events:
        expected = BookingStatus.EXPIRED if event_id in mine else BookingStatus.PENDING
        assert {b.status for b in world.bookings(event_id)} == {expected}
    assert await world.expire_holds(second) == 2 * (len(events) - len(mine))
    assert await world.expire_holds() == 0
    for event_id in events:
        world.check_invariants(event_id)


async def test_an_expired_hold_hands_its_seat_to_the_waitlist(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=1, price=PAID)
    await world.book(world.new_user(), event_id)
    waiter = world.new_user()
    await world.join(waiter, event_id)
    world.clock.advance(hours=1)

    await world.expire_holds()

    assert world.entry_of(event_id, waiter).status is WaitlistStatus.NOTIFIED
    assert world.inventory(event_id).reserved == 1
    world.check_invariants(event_id)


async def test_one_expiry_pass_hands_each_events_seats_to_its_own_queue_first_come_first(
    world: BookingWorld,
) -> None:
    short_queue = await world.publish(capacity=3, price=PAID)
    long_queue = await world.publish(capacity=2, price=PAID)
    for event_id in (short_queue, long_queue, short_queue, long_queue, short_queue):
        await world.book(world.new_user(), event_id)
    waiters = {
        event_id: [world.new_user() for _ in range(n)] for event_id, n in ((short_queue, 1), (long_queue, 3))
    }
    for event_id, users in waiters.items():
        for user in users:
            await world.join(user, event_id)
    world.clock.advance(hours=1)

    assert await world.expire_holds() == 5

    statuses = {e: [world.entry_of(e, u).status for u in users] for e, users in waiters.items()}
    assert statuses == {
        short_queue: [WaitlistStatus.NOTIFIED],
        long_queue: [WaitlistStatus.NOTIFIED, WaitlistStatus.NOTIFIED, WaitlistStatus.WAITING],
    }
    assert (world.inventory(short_queue).available, world.inventory(short_queue).reserved) == (2, 1)
    assert (world.inventory(long_queue).available, world.inventory(long_queue).reserved) == (0, 2)
    assert world.outbox_events().count("BookingExpired") == 5
    assert world.outbox_events().count("WaitlistSeatOffered") == 3
    world.check_invariants(short_queue)
    world.check_invariants(long_queue)


async def test_a_lapsed_window_passes_the_seat_to_the_next_in_the_queue(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=1)
    holder, first, second = world.new_user(), world.new_user(), world.new_user()
    held = await world.book(holder, event_id)
    await world.join(first, event_id)
    await world.join(second, event_id)
    await world.cancel(holder, held.id)
    world.clock.advance(minutes=29)
    assert await world.lapse_windows() == 0
    world.clock.advance(minutes=1)

    assert await world.lapse_windows() == 1

    assert [e.status for e in world.entries(event_id)] == [WaitlistStatus.EXPIRED, WaitlistStatus.NOTIFIED]
    assert [a.action for a in world.audit(event_id)][-2:] == [WaitlistAction.EXPIRED, WaitlistAction.NOTIFIED]
    world.check_invariants(event_id)


async def test_a_lapsed_window_with_nobody_left_returns_the_seat_to_the_pool(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=1)
    holder, waiter = world.new_user(), world.new_user()
    held = await world.book(holder, event_id)
    await world.join(waiter, event_id)
    await world.cancel(holder, held.id)
    world.clock.advance(hours=1)

    await world.lapse_windows()

    inventory = world.inventory(event_id)
    assert (inventory.available, inventory.reserved, inventory.waiting) == (1, 0, 0)
    assert (await world.book(world.new_user(), event_id)).status is BookingStatus.CONFIRMED
    world.check_invariants(event_id)


async def test_capacity_increase_hands_new_seats_to_the_queue_in_order(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=1)
    await world.book(world.new_user(), event_id)
    waiters = [world.new_user() for _ in range(3)]
    for waiter in waiters:
        await world.join(waiter, event_id)

    assert await world.resize(event_id, 3)  # booking hands the new seats over as it resizes
    assert await world.hand_over(event_id) == 0  # so the reaction to EventCapacityChanged finds none

    assert [e.status for e in world.entries(event_id)] == [
        WaitlistStatus.NOTIFIED,
        WaitlistStatus.NOTIFIED,
        WaitlistStatus.WAITING,
    ]
    world.check_invariants(event_id)


async def test_seats_beyond_the_queue_stay_free_for_anyone(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=1)
    await world.book(world.new_user(), event_id)
    await world.join(world.new_user(), event_id)
    assert await world.resize(event_id, 4)

    await world.hand_over(event_id)

    inventory = world.inventory(event_id)
    assert (inventory.available, inventory.reserved, inventory.waiting) == (2, 1, 0)
    await world.book(world.new_user(), event_id)
    world.check_invariants(event_id)


async def test_capacity_cannot_shrink_below_taken_and_held_seats(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=2)
    holder = world.new_user()
    held = await world.book(holder, event_id)
    await world.book(world.new_user(), event_id)
    await world.join(world.new_user(), event_id)
    await world.cancel(holder, held.id)  # one seat held for the waiter, one taken

    assert not await world.resize(event_id, 1)
    assert await world.resize(event_id, 2)
    assert world.inventory(event_id).capacity == 2
    world.check_invariants(event_id)


async def test_completing_an_event_completes_confirmed_bookings_and_closes_the_queue(
    world: BookingWorld,
) -> None:
    event_id = await world.publish(capacity=2, starts_in=timedelta(hours=1))
    confirmed = await world.book(world.new_user(), event_id)
    holder = world.new_user()
    held = await world.book(holder, event_id)
    waiters = [world.new_user(), world.new_user()]
    for waiter in waiters:
        await world.join(waiter, event_id)
    await world.cancel(holder, held.id)
    world.clock.advance(hours=8)
    await world.close(event_id, "COMPLETED")

    assert await world.complete_event(event_id) == 1
    assert await world.complete_event(event_id) == 0

    assert world.booking(confirmed.id).status is BookingStatus.COMPLETED
    assert world.log(confirmed.id)[-1].reason is LogReason.EVENT_COMPLETED
    assert [e.status for e in world.entries(event_id)] == [WaitlistStatus.EXPIRED, WaitlistStatus.REMOVED]
    assert "WaitlistClosed" not in world.outbox_events()  # an event that is over needs no word
    inventory = world.inventory(event_id)
    assert (inventory.reserved, inventory.waiting) == (0, 0)
    world.check_invariants(event_id)


async def test_cancelling_an_event_cancels_every_active_booking_and_refunds_paid_ones(
    world: BookingWorld,
) -> None:
    event_id = await world.publish(capacity=3, price=PAID)
    pending = await world.book(world.new_user(), event_id)
    paid = await world.book(world.new_user(), event_id)
    await world.confirm(world.organizer, paid.id)
    left = world.new_user()
    await world.cancel(left, (await world.book(left, event_id)).id)
    await world.book(world.new_user(), event_id)
    waiter = world.new_user()
    await world.join(waiter, event_id)
    await world.close(event_id, "CANCELLED")

    assert await world.cancel_event(event_id) == 3
    assert await world.cancel_event(event_id) == 0

    assert world.booking(pending.id).payment_status is PaymentStatus.PENDING
    assert world.booking(paid.id).payment_status is PaymentStatus.REFUND_PENDING
    assert all(b.status is BookingStatus.CANCELLED for b in world.bookings(event_id))
    assert world.outbox_events().count("RefundRequested") == 1
    assert [e.status for e in world.entries(event_id)] == [WaitlistStatus.REMOVED]
    assert world.outbox_events().count("WaitlistClosed") == 1  # once, though cancelled twice
    assert world.inventory(event_id).available == 3
    world.check_invariants(event_id)
