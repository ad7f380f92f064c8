"""The payments domain's part of a user's data export, on the memory adapters."""

from __future__ import annotations

from decimal import Decimal

from aquastream.adapters.memory.currencies import FixedCurrencies
from aquastream.domain.payments.model import PaymentMethod
from aquastream.domain.payments.privacy import ExportMyPaymentData
from tests.unit.payments.payments_world import PaymentsWorld


async def test_export_holds_payments_with_refunds_but_no_checkout_secrets(world: PaymentsWorld) -> None:
    user, booking = await world.pending_booking()
    payment = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)
    await world.pay_in_sandbox(payment)
    await world.refund(world.organizer, payment.id, Decimal("500.00"), "Lunch not served")
    other, other_booking = await world.pending_booking()
    await world.init_payment(other, other_booking.id, PaymentMethod.WIDGET)

    section = await ExportMyPaymentData(world.new_payments_uow(), FixedCurrencies())(user.user_id)

    [exported] = section["payments"]
    assert (exported["id"], exported["bookingId"]) == (str(payment.id), str(booking.id))
    assert (exported["status"], exported["amount"], exported["refundedAmount"]) == (
        "PARTIALLY_REFUNDED",
        "1500.00",
        "500.00",
    )
    assert exported["updatedAt"].endswith("Z")
    assert [(r["amount"], r["reason"], r["status"]) for r in exported["refunds"]] == [
        ("500.00", "Lunch not served", "SUCCEEDED")
    ]
    assert "confirmation" not in exported
    assert payment.confirmation["url"] not in str(section)


async def test_a_user_without_payments_exports_an_empty_list(world: PaymentsWorld) -> None:
    user, _ = await world.pending_booking()

    assert await ExportMyPaymentData(world.new_payments_uow(), FixedCurrencies())(user.user_id) == {
        "payments": []
    }
