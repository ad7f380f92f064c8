"""The booking state machine: only its transitions happen, each with its log row and events."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aquastream.domain.booking.lifecycle import (
    PAYMENT_TRANSITIONS,
    TRANSITIONS,
    BookingLifecycle,
    IllegalTransition,
    check_transition,
)
from aquastream.domain.booking.model import BookingStatus, LogReason, PaymentStatus
from tests.unit.booking.booking_world import BookingWorld

FINAL = (BookingStatus.CANCELLED, BookingStatus.COMPLETED, BookingStatus.NO_SHOW)


def test_final_statuses_lead_nowhere_and_expiry_leads_back_only_for_a_late_payment() -> None:
    assert not [move for move in TRANSITIONS if move[0] in FINAL]
    assert {new for (old, new) in TRANSITIONS if old is BookingStatus.EXPIRED} == {BookingStatus.CONFIRMED}
    assert TRANSITIONS[(BookingStatus.EXPIRED, BookingStatus.CONFIRMED)] == {LogReason.PAID_AFTER_EXPIRY}


def test_a_move_for_a_reason_it_does_not_have_is_a_bug() -> None:
    with pytest.raises(IllegalTransition):
        check_transition(BookingStatus.PENDING, BookingStatus.CONFIRMED, LogReason.NO_SHOW)
    with pytest.raises(IllegalTransition):
        check_transition(BookingStatus.CANCELLED, BookingStatus.CONFIRMED, LogReason.PAID)


def test_refunds_only_move_money_that_is_held() -> None:
    assert (PaymentStatus.NOT_REQUIRED, PaymentStatus.REFUND_PENDING) not in PAYMENT_TRANSITIONS
    assert (PaymentStatus.REFUNDED, PaymentStatus.PAID) not in PAYMENT_TRANSITIONS
    assert (PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED) in PAYMENT_TRANSITIONS


async def test_an_illegal_move_changes_nothing(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=1)
    booking = await world.book(world.new_user(), event_id)  # free: CONFIRMED

    async with world.new_uow() as uow:
        with pytest.raises(IllegalTransition):
            await BookingLifecycle(uow).move(
                booking.id,
                old=BookingStatus.CONFIRMED,
                new=BookingStatus.EXPIRED,
                reason=LogReason.HOLD_EXPIRED,
                actor_id=None,
                at=world.clock.now(),
            )

    assert world.booking(booking.id) == booking
    assert len(world.log(booking.id)) == 1


async def test_a_move_from_a_status_the_booking_left_does_nothing(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=1, price=Decimal(900))
    booking = await world.book(world.new_user(), event_id)
    events_before = len(world.outbox_events())

    async with world.new_uow() as uow:
        moved = await BookingLifecycle(uow).move(
            booking.id,
            old=BookingStatus.CONFIRMED,
            new=BookingStatus.NO_SHOW,
            reason=LogReason.NO_SHOW,
            actor_id=None,
            at=world.clock.now(),
        )
        await uow.commit()

    assert moved is None
    assert len(world.log(booking.id)) == 1
    assert len(world.outbox_events()) == events_before


async def test_cancelling_a_partly_refunded_booking_asks_for_the_rest(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=1, price=Decimal(900))
    user = world.new_user()
    booking = await world.book(user, event_id)
    await world.confirm(world.organizer, booking.id)
    async with world.new_uow() as uow:
        await BookingLifecycle(uow).change_payment(
            booking.id, old=PaymentStatus.PAID, new=PaymentStatus.PARTIALLY_REFUNDED, at=world.clock.now()
        )
        await uow.commit()

    cancelled = await world.cancel(user, booking.id)

    assert cancelled.payment_status is PaymentStatus.REFUND_PENDING
    assert world.outbox_events()[-2:] == ["BookingCancelled", "RefundRequested"]


async def test_a_refund_is_requested_only_with_a_reason(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=1, price=Decimal(900))
    booking = await world.book(world.new_user(), event_id)

    async with world.new_uow() as uow:
        with pytest.raises(IllegalTransition):
            await BookingLifecycle(uow).change_payment(
                booking.id, old=PaymentStatus.PENDING, new=PaymentStatus.REFUND_PENDING, at=world.clock.now()
            )
