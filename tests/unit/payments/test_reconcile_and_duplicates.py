"""Safety nets: open card payments are re-read from their provider when no notification came,
and a booking paid twice has the surplus refunded."""

from __future__ import annotations

from aquastream.adapters.payments.sandbox import SANDBOX
from aquastream.domain.payments.model import PaymentMethod, PaymentStatus, ProviderStatus, RefundStatus
from tests.unit.payments.payments_world import PaymentsWorld


async def test_a_payment_whose_notification_was_lost_is_settled_by_reconciliation(
    world: PaymentsWorld,
) -> None:
    user, booking = await world.pending_booking()
    payment = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)
    assert payment.provider_payment_id is not None
    world.sandbox.complete(payment.provider_payment_id, ProviderStatus.SUCCEEDED)  # never delivered

    assert await world.reconcile() == 0  # too fresh: the notification may still come
    world.clock.advance(minutes=11)
    assert await world.reconcile() == 1
    assert await world.reconcile() == 0

    assert world.payment(payment.id).status is PaymentStatus.SUCCEEDED
    assert world.outbox_events()[-1] == "PaymentSucceeded"


async def test_reconciliation_leaves_payments_the_provider_still_waits_for(world: PaymentsWorld) -> None:
    user, booking = await world.pending_booking()
    payment = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)
    world.clock.advance(minutes=11)

    assert await world.reconcile() == 0
    assert world.payment(payment.id).status is PaymentStatus.PENDING
    world.clock.advance(hours=25)  # past the window: the provider's own expiry takes over
    world.sandbox._payments.clear()
    assert await world.reconcile() == 0


async def test_a_second_payment_of_a_paid_booking_is_refunded(world: PaymentsWorld) -> None:
    user, booking = await world.pending_booking()
    abandoned = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)
    assert abandoned.provider_payment_id is not None
    # Paid at the provider just before the payer cancelled it here; the news arrives late.
    late_news = world.sandbox.complete(abandoned.provider_payment_id, ProviderStatus.SUCCEEDED)
    await world.cancel_payment(user, abandoned.id)
    paid = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)
    await world.pay_in_sandbox(paid)
    await world.process_webhook(SANDBOX, late_news)

    assert world.payment(abandoned.id).status is PaymentStatus.SUCCEEDED
    assert world.outbox_events()[-1] == "DuplicatePaymentReceived"
    assert world.outbox_events().count("PaymentSucceeded") == 1
    assert await world.refund_duplicate(abandoned.id)
    assert not await world.refund_duplicate(abandoned.id)
    assert world.payment(abandoned.id).status is PaymentStatus.REFUNDED
    assert [r.status for r in world.refunds_of(abandoned.id)] == [RefundStatus.SUCCEEDED]
    assert world.payment(paid.id).status is PaymentStatus.SUCCEEDED
