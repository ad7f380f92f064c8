"""Cancel, confirm by hand and no-show: who may, from which status, and what happens to the seat."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from aquastream.domain.booking.errors import (
    BookingForbidden,
    BookingNotFound,
    BookingStatusConflict,
    EventAlreadyStarted,
    EventNotStarted,
)
from aquastream.domain.booking.model import BookingStatus, LogReason, PaymentStatus, WaitlistStatus
from tests.unit.booking.booking_world import BookingWorld


async def test_owner_cancels_and_the_seat_returns(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=1)
    user = world.new_user()
    booking = await world.book(user, event_id)

    cancelled = await world.cancel(user, booking.id)

    assert cancelled.status is BookingStatus.CANCELLED
    assert world.inventory(event_id).available == 1
    last = world.log(booking.id)[-1]
    assert (last.old_status, last.new_status, last.reason) == (
        BookingStatus.CONFIRMED,
        BookingStatus.CANCELLED,
        LogReason.CANCELLED_BY_USER,
    )
    assert world.outbox_events()[-1] == "BookingCancelled"
    world.check_invariants(event_id)


async def test_cancelling_a_paid_confirmed_booking_requests_a_refund(world: BookingWorld) -> None:
    event_id = await world.publish(price=Decimal(3000))
    user = world.new_user()
    booking = await world.book(user, event_id)
    await world.confirm(world.organizer, booking.id)

    cancelled = await world.cancel(user, booking.id)

    assert cancelled.payment_status is PaymentStatus.REFUND_PENDING
    assert world.outbox_events()[-2:] == ["BookingCancelled", "RefundRequested"]


async def test_cancelling_an_unpaid_pending_booking_requests_no_refund(world: BookingWorld) -> None:
    event_id = await world.publish(price=Decimal(3000))
    user = world.new_user()
    booking = await world.book(user, event_id)

    cancelled = await world.cancel(user, booking.id)

    assert cancelled.payment_status is PaymentStatus.PENDING
    assert "RefundRequested" not in world.outbox_events()


async def test_a_cancelled_booking_cannot_be_cancelled_again(world: BookingWorld) -> None:
    event_id = await world.publish()
    user = world.new_user()
    booking = await world.book(user, event_id)
    await world.cancel(user, booking.id)

    with pytest.raises(BookingStatusConflict) as raised:
        await world.cancel(user, booking.id)

    assert raised.value.code == "booking.invalid_status"
    assert world.inventory(event_id).available == 2


async def test_someone_elses_booking_does_not_exist_for_a_stranger(world: BookingWorld) -> None:
    event_id = await world.publish()
    booking = await world.book(world.new_user(), event_id)

    with pytest.raises(BookingNotFound) as raised:
        await world.cancel(world.new_user(), booking.id)

    assert raised.value.code == "booking.not_found"


@pytest.mark.parametrize("who", ["organizer", "admin"])
async def test_organizer_or_admin_cancels_a_participants_booking(world: BookingWorld, who: str) -> None:
    event_id = await world.publish()
    booking = await world.book(world.new_user(), event_id)

    await world.cancel(getattr(world, who), booking.id)

    assert world.log(booking.id)[-1].reason is LogReason.CANCELLED_BY_ORGANIZER
    world.check_invariants(event_id)


async def test_owner_cannot_cancel_once_the_event_has_started_but_the_organizer_can(
    world: BookingWorld,
) -> None:
    event_id = await world.publish(starts_in=timedelta(hours=2))
    user = world.new_user()
    booking = await world.book(user, event_id)
    world.clock.advance(hours=3)

    with pytest.raises(EventAlreadyStarted) as raised:
        await world.cancel(user, booking.id)
    cancelled = await world.cancel(world.organizer, booking.id)

    assert raised.value.code == "booking.event_started"
    assert cancelled.status is BookingStatus.CANCELLED


async def test_a_cancelled_seat_goes_to_the_first_in_the_queue(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=1)
    user, first, second = world.new_user(), world.new_user(), world.new_user()
    booking = await world.book(user, event_id)
    await world.join(first, event_id)
    await world.join(second, event_id)

    await world.cancel(user, booking.id)

    statuses = [(e.user_id, e.status) for e in world.entries(event_id)]
    assert statuses == [(first.user_id, WaitlistStatus.NOTIFIED), (second.user_id, WaitlistStatus.WAITING)]
    notified = world.entry_of(event_id, first)
    assert notified.window_expires_at == world.clock.now() + timedelta(minutes=30)
    inventory = world.inventory(event_id)
    assert (inventory.available, inventory.reserved, inventory.waiting) == (0, 1, 1)
    assert world.outbox_events()[-2:] == ["BookingCancelled", "WaitlistSeatOffered"]
    world.check_invariants(event_id)


async def test_organizer_confirms_a_pending_booking_paid_in_cash(world: BookingWorld) -> None:
    event_id = await world.publish(price=Decimal(500))
    booking = await world.book(world.new_user(), event_id)

    confirmed = await world.confirm(world.organizer, booking.id)

    assert (confirmed.status, confirmed.payment_status) == (BookingStatus.CONFIRMED, PaymentStatus.PAID)
    assert world.log(booking.id)[-1].reason is LogReason.CONFIRMED_BY_ORGANIZER
    assert world.outbox_events()[-1] == "BookingConfirmed"


async def test_the_owner_cannot_confirm_their_own_booking(world: BookingWorld) -> None:
    event_id = await world.publish(price=Decimal(500))
    user = world.new_user()
    booking = await world.book(user, event_id)

    with pytest.raises(BookingForbidden) as raised:
        await world.confirm(user, booking.id)

    assert raised.value.code == "booking.forbidden"


async def test_only_a_pending_booking_can_be_confirmed(world: BookingWorld) -> None:
    event_id = await world.publish()
    booking = await world.book(world.new_user(), event_id)

    with pytest.raises(BookingStatusConflict):
        await world.confirm(world.organizer, booking.id)


async def test_an_organizer_of_another_event_cannot_see_the_booking(world: BookingWorld) -> None:
    event_id = await world.publish(price=Decimal(500))
    booking = await world.book(world.new_user(), event_id)

    with pytest.raises(BookingNotFound):
        await world.confirm(world.new_user(), booking.id)


async def test_no_show_is_recorded_after_the_start_and_keeps_the_seat(world: BookingWorld) -> None:
    event_id = await world.publish(starts_in=timedelta(hours=1))
    booking = await world.book(world.new_user(), event_id)
    world.clock.advance(hours=1)

    marked = await world.no_show(world.organizer, booking.id)

    assert marked.status is BookingStatus.NO_SHOW
    assert world.inventory(event_id).available == 1
    assert world.outbox_events()[-1] == "BookingMarkedNoShow"
    world.check_invariants(event_id)


async def test_no_show_before_the_start_is_refused(world: BookingWorld) -> None:
    event_id = await world.publish()
    booking = await world.book(world.new_user(), event_id)

    with pytest.raises(EventNotStarted) as raised:
        await world.no_show(world.organizer, booking.id)

    assert raised.value.code == "booking.event_not_started"


async def test_no_show_needs_a_confirmed_booking_and_the_organizer(world: BookingWorld) -> None:
    event_id = await world.publish(price=Decimal(10), starts_in=timedelta(hours=1))
    user = world.new_user()
    booking = await world.book(user, event_id)
    world.clock.advance(hours=2)

    with pytest.raises(BookingStatusConflict):
        await world.no_show(world.organizer, booking.id)
    with pytest.raises(BookingForbidden):
        await world.no_show(user, booking.id)
