"""BookSeat: the rules of SPEC §4 for creating a booking, on the memory adapters."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from aquastream.domain.booking.errors import (
    BookingDuplicate,
    EventFull,
    EventNotFound,
    EventNotOpen,
    ProfileIncomplete,
    WaitlistOfferExpired,
)
from aquastream.domain.booking.model import (
    BookingStatus,
    LogReason,
    PaymentStatus,
    WaitlistAction,
    WaitlistStatus,
)
from aquastream.domain.shared.ids import new_id
from tests.unit.booking.booking_world import BookingWorld


async def test_free_event_booking_is_confirmed_at_once_with_no_payment_required(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=3)
    user = world.new_user()

    booking = await world.book(user, event_id)

    assert booking.status is BookingStatus.CONFIRMED
    assert booking.payment_status is PaymentStatus.NOT_REQUIRED
    assert booking.amount == Decimal("0.00")
    assert booking.expires_at is None
    assert world.inventory(event_id).available == 2
    assert world.outbox_events() == ["BookingCreated", "BookingConfirmed"]
    world.check_invariants(event_id)


async def test_paid_event_booking_is_pending_with_a_hold_and_the_price_frozen(world: BookingWorld) -> None:
    event_id = await world.publish(price=Decimal("4500.5"))
    user = world.new_user()

    booking = await world.book(user, event_id)

    assert booking.status is BookingStatus.PENDING
    assert booking.payment_status is PaymentStatus.PENDING
    assert (booking.amount, booking.currency) == (Decimal("4500.50"), "RUB")
    assert booking.expires_at == world.clock.now() + timedelta(minutes=30)
    assert world.outbox_events() == ["BookingCreated"]


async def test_booking_is_logged_from_no_status_with_its_actor(world: BookingWorld) -> None:
    event_id = await world.publish()
    user = world.new_user()

    booking = await world.book(user, event_id)

    [entry] = world.log(booking.id)
    assert (entry.old_status, entry.new_status) == (None, BookingStatus.CONFIRMED)
    assert (entry.reason, entry.actor_id) == (LogReason.BOOKED, user.user_id)


async def test_booking_without_phone_or_telegram_is_refused(world: BookingWorld) -> None:
    event_id = await world.publish()

    with pytest.raises(ProfileIncomplete) as raised:
        await world.book(world.new_user(contactable=False), event_id)

    assert raised.value.code == "profile.incomplete"
    assert world.inventory(event_id).available == 2


async def test_booking_an_unpublished_or_unknown_event_is_not_found(world: BookingWorld) -> None:
    with pytest.raises(EventNotFound) as raised:
        await world.book(world.new_user(), new_id())

    assert raised.value.code == "event.not_found"


async def test_booking_an_event_that_has_started_is_refused(world: BookingWorld) -> None:
    event_id = await world.publish(starts_in=timedelta(hours=1))
    world.clock.advance(hours=1)

    with pytest.raises(EventNotOpen) as raised:
        await world.book(world.new_user(), event_id)

    assert raised.value.code == "event.not_open"


@pytest.mark.parametrize("status", ["CANCELLED", "COMPLETED"])
async def test_booking_a_closed_event_is_refused(world: BookingWorld, status: str) -> None:
    event_id = await world.publish()
    await world.close(event_id, status)

    with pytest.raises(EventNotOpen):
        await world.book(world.new_user(), event_id)


async def test_second_booking_for_same_event_is_refused_with_the_existing_id(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=5)
    user = world.new_user()
    first = await world.book(user, event_id)

    with pytest.raises(BookingDuplicate) as raised:
        await world.book(user, event_id)

    assert raised.value.code == "booking.duplicate"
    assert raised.value.extra == {"existingBookingId": str(first.id)}
    assert world.inventory(event_id).available == 4
    world.check_invariants(event_id)


async def test_a_user_may_book_again_after_cancelling(world: BookingWorld) -> None:
    event_id = await world.publish()
    user = world.new_user()
    first = await world.book(user, event_id)
    await world.cancel(user, first.id)

    second = await world.book(user, event_id)

    assert second.id != first.id
    assert second.status is BookingStatus.CONFIRMED
    world.check_invariants(event_id)


async def test_full_event_is_refused_with_a_hint_that_the_waitlist_is_open(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=1)
    await world.book(world.new_user(), event_id)

    with pytest.raises(EventFull) as raised:
        await world.book(world.new_user(), event_id)

    assert raised.value.code == "event.full"
    assert raised.value.extra == {"waitlistOpen": True}
    assert len(world.bookings(event_id)) == 1
    world.check_invariants(event_id)


async def test_free_seats_are_not_bookable_while_someone_waits(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=1)
    await world.book(world.new_user(), event_id)
    await world.join(world.new_user(), event_id)
    # The catalog grew the event; the hand-over has not run yet.
    assert await world.resize(event_id, 2)

    with pytest.raises(EventFull):
        await world.book(world.new_user(), event_id)

    world.check_invariants(event_id)


async def test_notified_user_takes_the_seat_held_for_them_and_the_entry_converts(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=1, price=Decimal(1000))
    holder, waiter = world.new_user(), world.new_user()
    held = await world.book(holder, event_id)
    await world.join(waiter, event_id)
    await world.cancel(holder, held.id)
    entry = world.entry_of(event_id, waiter)
    assert entry.status is WaitlistStatus.NOTIFIED

    booking = await world.book(waiter, event_id)

    assert booking.waitlist_entry_id == entry.id
    assert booking.status is BookingStatus.PENDING
    assert world.entries(event_id)[0].status is WaitlistStatus.CONVERTED
    assert world.log(booking.id)[0].reason is LogReason.BOOKED_FROM_WAITLIST
    assert [a.action for a in world.audit(event_id)] == [
        WaitlistAction.JOINED,
        WaitlistAction.NOTIFIED,
        WaitlistAction.CONVERTED,
    ]
    inventory = world.inventory(event_id)
    assert (inventory.available, inventory.reserved, inventory.waiting) == (0, 0, 0)
    world.check_invariants(event_id)


async def test_nobody_but_the_notified_user_can_take_the_held_seat(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=1)
    holder, first, second = world.new_user(), world.new_user(), world.new_user()
    held = await world.book(holder, event_id)
    await world.join(first, event_id)
    await world.join(second, event_id)
    await world.cancel(holder, held.id)

    for outsider in (world.new_user(), second):
        with pytest.raises(EventFull):
            await world.book(outsider, event_id)

    assert (await world.book(first, event_id)).status is BookingStatus.CONFIRMED
    world.check_invariants(event_id)


async def test_notified_user_whose_window_lapsed_cannot_take_the_seat(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=1)
    holder, waiter = world.new_user(), world.new_user()
    held = await world.book(holder, event_id)
    await world.join(waiter, event_id)
    await world.cancel(holder, held.id)
    world.clock.advance(minutes=30)

    with pytest.raises(WaitlistOfferExpired) as raised:
        await world.book(waiter, event_id)

    assert raised.value.code == "waitlist.offer_expired"
    assert world.inventory(event_id).reserved == 1
    world.check_invariants(event_id)


async def test_a_user_notified_while_free_seats_remain_keeps_one_seat_only(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=1)
    await world.book(world.new_user(), event_id)
    waiter = world.new_user()
    await world.join(waiter, event_id)
    assert await world.resize(event_id, 3)
    # One seat is held for the waiter and one is free; the waiter books through the held one.

    await world.book(waiter, event_id)

    inventory = world.inventory(event_id)
    assert (inventory.available, inventory.reserved) == (1, 0)
    world.check_invariants(event_id)
