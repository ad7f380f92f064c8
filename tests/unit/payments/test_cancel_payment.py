"""The payer cancels a card payment: here first, then at the provider, best effort."""

from __future__ import annotations

import logging

import pytest

from aquastream.adapters.payments.registry import ConfiguredProviders
from aquastream.adapters.payments.sandbox import SANDBOX, SandboxProvider
from aquastream.domain.payments.manage import CancelPayment
from aquastream.domain.payments.model import PaymentMethod, PaymentStatus, ProviderStatus
from tests.unit.payments.payments_world import PaymentsWorld


async def test_a_cancelled_card_payment_can_no_longer_be_paid_at_the_provider(world: PaymentsWorld) -> None:
    user, booking = await world.pending_booking()
    payment = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)
    assert payment.provider_payment_id is not None

    cancelled = await world.cancel_payment(user, payment.id)

    assert cancelled.status is PaymentStatus.CANCELLED
    assert (await world.sandbox.fetch(payment.provider_payment_id)).status is ProviderStatus.FAILED
    await world.pay_in_sandbox(payment)  # the payer tries the payment page afterwards
    assert world.payment(payment.id).status is PaymentStatus.CANCELLED
    assert "PaymentSucceeded" not in world.outbox_events()
    again = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)
    assert again.status is PaymentStatus.PENDING


async def test_a_provider_that_cannot_cancel_leaves_the_cancellation_standing(
    world: PaymentsWorld, caplog: pytest.LogCaptureFixture
) -> None:
    user, booking = await world.pending_booking()
    payment = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)
    # A sandbox restarted since the payment opened knows nothing of it: the cancel fails there.
    restarted = SandboxProvider("sandbox-secret", "http://test/sandbox/{id}/complete")
    cancel = CancelPayment(
        world.new_payments_uow(),
        world.clock,
        world.organizers,
        ConfiguredProviders(SANDBOX, {SANDBOX: restarted}),
    )

    cancelled = await cancel(user, payment.id)

    assert cancelled.status is world.payment(payment.id).status is PaymentStatus.CANCELLED
    (warning,) = [r for r in caplog.records if r.name == "aquastream.payments.manage"]
    assert (warning.levelno, warning.payment_id, warning.provider) == (  # type: ignore[attr-defined]
        logging.WARNING,
        str(payment.id),
        SANDBOX,
    )
    # The payment stayed open where it was made; paid there, the money is taken and booking settles it.
    await world.pay_in_sandbox(payment)
    assert world.payment(payment.id).status is PaymentStatus.SUCCEEDED
    assert world.outbox_events()[-1] == "PaymentSucceeded"
