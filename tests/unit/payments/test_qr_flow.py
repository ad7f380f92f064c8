"""QR bank transfers: the payer hands in a receipt, the organizer approves or rejects it, and
the booking keeps its seat meanwhile."""

from __future__ import annotations

from datetime import timedelta

import pytest

from aquastream.domain.booking.model import Booking, BookingStatus
from aquastream.domain.payments.errors import (
    BookingNotPayable,
    InvalidProof,
    PaymentForbidden,
    PaymentNotFound,
    PaymentStatusConflict,
    WrongMethod,
)
from aquastream.domain.payments.model import Payment, PaymentMethod, PaymentStatus
from aquastream.domain.shared.errors import ValidationFailed
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.principal import Principal
from tests.unit.payments.payments_world import PaymentsWorld


async def _submitted(world: PaymentsWorld) -> tuple[Principal, Booking, Payment]:
    user, booking = await world.pending_booking()
    payment = await world.init_payment(user, booking.id, PaymentMethod.QR_MANUAL)
    submitted = await world.submit_proof(user, payment.id, world.proof_of(booking))
    return user, booking, submitted


async def test_a_receipt_submits_the_payment_and_tells_the_organizer(world: PaymentsWorld) -> None:
    _, _, submitted = await _submitted(world)

    assert submitted.status is PaymentStatus.SUBMITTED
    assert submitted.submitted_at == world.clock.now()
    assert world.outbox_events()[-1] == "PaymentProofSubmitted"


@pytest.mark.parametrize(
    "overrides",
    [
        {"owner_type": "avatar"},
        {"owner_id": new_id()},
        {"uploaded_by": new_id()},
        {"status": "PENDING"},
    ],
)
async def test_a_receipt_must_be_the_payers_ready_proof_of_this_booking(
    world: PaymentsWorld, overrides: dict[str, object]
) -> None:
    user, booking = await world.pending_booking()
    payment = await world.init_payment(user, booking.id, PaymentMethod.QR_MANUAL)

    with pytest.raises(InvalidProof):
        await world.submit_proof(user, payment.id, world.proof_of(booking, **overrides))
    with pytest.raises(InvalidProof):
        await world.submit_proof(user, payment.id, new_id())
    assert world.payment(payment.id).status is PaymentStatus.PENDING


async def test_only_the_payer_submits_and_only_for_qr_payments(world: PaymentsWorld) -> None:
    user, booking = await world.pending_booking()
    card = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)

    with pytest.raises(WrongMethod):
        await world.submit_proof(user, card.id, world.proof_of(booking))
    with pytest.raises(PaymentNotFound):
        await world.submit_proof(world.new_user(), card.id, world.proof_of(booking))
    with pytest.raises(PaymentForbidden):
        await world.submit_proof(world.organizer, card.id, world.proof_of(booking))


async def test_approval_succeeds_the_payment_and_booking_confirms(world: PaymentsWorld) -> None:
    _, booking, submitted = await _submitted(world)

    approved = await world.review(world.organizer, submitted.id, approve=True)
    await world.confirm_paid(booking.id)

    assert approved.status is PaymentStatus.SUCCEEDED
    assert approved.decided_at == world.clock.now()
    assert world.booking(booking.id).status is BookingStatus.CONFIRMED
    with pytest.raises(PaymentStatusConflict):
        await world.review(world.organizer, submitted.id, approve=False, reason="late doubt")


async def test_a_rejected_receipt_may_be_replaced_while_the_booking_holds(world: PaymentsWorld) -> None:
    user, booking, submitted = await _submitted(world)

    rejected = await world.review(world.organizer, submitted.id, approve=False, reason="Blurry photo")
    assert (rejected.status, rejected.rejection_reason) == (PaymentStatus.REJECTED, "Blurry photo")
    assert world.outbox_events()[-1] == "PaymentRejected"

    again = await world.submit_proof(user, submitted.id, world.proof_of(booking))
    assert (again.status, again.rejection_reason) == (PaymentStatus.SUBMITTED, None)


async def test_a_rejection_needs_a_reason_and_a_manager(world: PaymentsWorld) -> None:
    user, _, submitted = await _submitted(world)

    with pytest.raises(ValidationFailed):
        await world.review(world.organizer, submitted.id, approve=False, reason="  ")
    with pytest.raises(PaymentForbidden):
        await world.review(user, submitted.id, approve=True)
    with pytest.raises(PaymentNotFound):
        await world.review(world.new_user(), submitted.id, approve=True)
    assert (await world.review(world.admin, submitted.id, approve=True)).status is PaymentStatus.SUCCEEDED


async def test_a_submitted_receipt_keeps_the_seat_until_the_review_limit(world: PaymentsWorld) -> None:
    _, booking, _ = await _submitted(world)
    world.clock.advance(hours=1)  # the 30-minute hold is over

    assert await world.expire_holds() == 0
    kept = world.booking(booking.id)
    assert kept.status is BookingStatus.PENDING
    assert kept.expires_at == booking.created_at + timedelta(hours=48)

    world.clock.advance(hours=48)
    assert await world.expire_holds() == 1
    assert world.booking(booking.id).status is BookingStatus.EXPIRED


async def test_the_booking_shows_the_review_hold_and_a_fresh_hold_after_a_rejection(
    world: PaymentsWorld,
) -> None:
    user, booking, submitted = await _submitted(world)
    review_until = booking.created_at + timedelta(hours=48)
    written = world.outbox_payload("PaymentProofSubmitted")["review_until"]
    assert written == review_until.isoformat().replace("+00:00", "Z")

    assert await world.keep_seat_during_review(booking.id, review_until)
    assert not await world.keep_seat_during_review(booking.id, review_until)  # delivered again
    assert world.booking(booking.id).expires_at == review_until

    world.clock.advance(hours=3)
    await world.review(world.organizer, submitted.id, approve=False, reason="Blurry photo")
    rejected_at = world.clock.now()
    assert await world.give_time_after_rejection(booking.id, rejected_at)
    assert not await world.give_time_after_rejection(booking.id, rejected_at)
    assert world.booking(booking.id).expires_at == rejected_at + timedelta(minutes=30)

    await world.submit_proof(user, submitted.id, world.proof_of(booking))
    assert await world.keep_seat_during_review(booking.id, rejected_at + timedelta(hours=48))
    assert world.booking(booking.id).expires_at == rejected_at + timedelta(hours=48)


async def test_a_hold_that_ended_is_not_changed_by_late_review_news(world: PaymentsWorld) -> None:
    user, booking = await world.pending_booking()
    await world.cancel(user, booking.id)

    assert not await world.keep_seat_during_review(booking.id, booking.created_at + timedelta(hours=48))
    assert not await world.give_time_after_rejection(booking.id, world.clock.now())
    assert world.booking(booking.id).expires_at == booking.expires_at


async def test_no_receipt_once_the_booking_lost_its_seat(world: PaymentsWorld) -> None:
    user, booking = await world.pending_booking()
    payment = await world.init_payment(user, booking.id, PaymentMethod.QR_MANUAL)
    world.clock.advance(minutes=31)
    await world.expire_holds()

    with pytest.raises(BookingNotPayable):
        await world.submit_proof(user, payment.id, world.proof_of(booking))


async def test_the_payer_may_cancel_an_open_or_rejected_payment_but_not_one_under_review(
    world: PaymentsWorld,
) -> None:
    user, _, submitted = await _submitted(world)

    with pytest.raises(PaymentStatusConflict):
        await world.cancel_payment(user, submitted.id)
    await world.review(world.organizer, submitted.id, approve=False, reason="Wrong amount")
    assert (await world.cancel_payment(user, submitted.id)).status is PaymentStatus.CANCELLED
