"""Refunds by the organizer and on booking's request; QR refunds are recorded as manual."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aquastream.domain.payments.errors import (
    PaymentForbidden,
    PaymentStatusConflict,
    ProviderFailed,
    RefundTooLarge,
)
from aquastream.domain.payments.model import Payment, PaymentMethod, PaymentStatus, RefundStatus
from aquastream.domain.shared.errors import ValidationFailed
from aquastream.domain.shared.money import TooManyFractionDigits
from aquastream.domain.shared.principal import Principal, Role
from tests.unit.payments.payments_world import PaymentsWorld


async def _paid_by_card(world: PaymentsWorld) -> Payment:
    user, booking = await world.pending_booking()
    payment = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)
    await world.pay_in_sandbox(payment)
    return world.payment(payment.id)


async def test_partial_refunds_add_up_to_a_full_one(world: PaymentsWorld) -> None:
    payment = await _paid_by_card(world)

    first = await world.refund(world.organizer, payment.id, Decimal("500.00"), "Lunch not served")
    assert first.status is RefundStatus.SUCCEEDED
    assert first.provider_refund_id
    assert world.payment(payment.id).status is PaymentStatus.PARTIALLY_REFUNDED

    with pytest.raises(RefundTooLarge):
        await world.refund(world.organizer, payment.id, "1000.01", None)
    rest = await world.refund(world.admin, payment.id, None, None)

    assert rest.amount == Decimal("1000.00")
    refunded = world.payment(payment.id)
    assert (refunded.status, refunded.refunded_amount) == (PaymentStatus.REFUNDED, Decimal("1500.00"))
    assert [e for e in world.outbox_events() if e == "PaymentRefunded"] == ["PaymentRefunded"] * 2


async def test_refund_rules(world: PaymentsWorld) -> None:
    payment = await _paid_by_card(world)
    with pytest.raises(PaymentForbidden):
        await world.refund(Principal(payment.user_id, Role.USER), payment.id, None, None)
    for bad in ("0", "-5", "abc"):
        with pytest.raises(ValidationFailed):
            await world.refund(world.organizer, payment.id, bad, None)
    with pytest.raises(TooManyFractionDigits):
        await world.refund(world.organizer, payment.id, "1.234", None)
    user, booking = await world.pending_booking()
    unpaid = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)
    with pytest.raises(PaymentStatusConflict):
        await world.refund(world.organizer, unpaid.id, None, None)


@pytest.mark.parametrize(
    ("price", "currency", "too_fine", "part", "rest"),
    [
        (Decimal("1000"), "JPY", "100.5", "100", Decimal("900")),
        (Decimal("12.345"), "KWD", "1.2345", "1.234", Decimal("11.111")),
    ],
)
async def test_refunds_have_at_most_the_payments_currency_digits(
    world: PaymentsWorld, price: Decimal, currency: str, too_fine: str, part: str, rest: Decimal
) -> None:
    user, booking = await world.pending_booking(price=price, currency=currency)
    payment = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)
    await world.pay_in_sandbox(payment)

    with pytest.raises(TooManyFractionDigits) as caught:
        await world.refund(world.organizer, payment.id, too_fine, None)
    assert [e.field for e in caught.value.errors] == ["amount"]
    assert world.payment(payment.id).refunded_amount == 0
    refund = await world.refund(world.organizer, payment.id, part, None)

    assert (refund.amount, refund.currency) == (Decimal(part), currency)
    assert world.payment(payment.id).refundable == rest


async def test_a_provider_refusal_refunds_nothing(world: PaymentsWorld) -> None:
    payment = await _paid_by_card(world)
    assert payment.provider_payment_id is not None
    world.sandbox._payments.clear()  # the sandbox forgot the payment: it refuses the refund

    with pytest.raises(ProviderFailed):
        await world.refund(world.organizer, payment.id, None, None)

    after = world.payment(payment.id)
    assert (after.status, after.refunded_amount) == (PaymentStatus.SUCCEEDED, Decimal("0.00"))
    assert [r.status for r in world.refunds_of(payment.id)] == [RefundStatus.FAILED]


async def test_a_qr_refund_is_recorded_as_manual(world: PaymentsWorld) -> None:
    user, booking = await world.pending_booking()
    payment = await world.init_payment(user, booking.id, PaymentMethod.QR_MANUAL)
    await world.submit_proof(user, payment.id, world.proof_of(booking))
    await world.review(world.organizer, payment.id, approve=True)

    refund = await world.refund(world.organizer, payment.id, None, "Event moved")

    assert refund.status is RefundStatus.MANUAL
    assert world.payment(payment.id).status is PaymentStatus.REFUNDED


async def test_booking_refund_requests_refund_everything_once(world: PaymentsWorld) -> None:
    payment = await _paid_by_card(world)

    assert await world.refund_booking(payment.booking_id, "CANCELLED_BY_USER") == 1
    assert await world.refund_booking(payment.booking_id, "CANCELLED_BY_USER") == 0

    assert world.payment(payment.id).status is PaymentStatus.REFUNDED
    assert [r.reason for r in world.refunds_of(payment.id)] == ["CANCELLED_BY_USER"]


async def test_a_booking_without_an_app_payment_has_nothing_to_refund(world: PaymentsWorld) -> None:
    _, booking = await world.pending_booking()

    assert await world.refund_booking(booking.id, "EVENT_CANCELLED") == 0


async def test_a_companion_share_is_refunded_once_per_seat_and_never_beyond_what_is_left(
    world: PaymentsWorld,
) -> None:
    payment = await _paid_by_card(world)
    share = payment.amount / 3

    assert await world.refund_booking(payment.booking_id, "COMPANION_SEAT:1", share) == 1
    assert await world.refund_booking(payment.booking_id, "COMPANION_SEAT:1", share) == 0  # redelivered
    assert world.payment(payment.id).status is PaymentStatus.PARTIALLY_REFUNDED
    assert await world.refund_booking(payment.booking_id, "COMPANION_SEAT:2", share) == 1
    assert await world.refund_booking(payment.booking_id, "CANCELLED_BY_USER") == 1

    refunds = world.refunds_of(payment.id)
    assert [(r.reason, r.amount) for r in refunds] == [
        ("COMPANION_SEAT:1", share),
        ("COMPANION_SEAT:2", share),
        ("CANCELLED_BY_USER", payment.amount - 2 * share),
    ]
    assert world.payment(payment.id).status is PaymentStatus.REFUNDED
    assert await world.refund_booking(payment.booking_id, "COMPANION_SEAT:3", share) == 0
