"""Provider notifications: authentic ones stored once, applied forwards only, money checked."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging

import pytest

from aquastream.adapters.http.tracing import Tracing
from aquastream.adapters.outbound import OutboundHttp
from aquastream.adapters.payments.registry import ConfiguredProviders
from aquastream.adapters.payments.sandbox import SANDBOX, SIGNATURE_HEADER
from aquastream.adapters.payments.stripe import STRIPE, StripeProvider
from aquastream.domain.payments.errors import InvalidWebhookSignature, ProviderUnknown
from aquastream.domain.payments.model import (
    PaymentMethod,
    PaymentStatus,
    ProviderStatus,
    WebhookDelivery,
    WebhookOutcome,
)
from aquastream.domain.payments.webhooks import ProcessWebhook
from tests.unit.payments.payments_world import PaymentsWorld


def _signed(world: PaymentsWorld, event: dict[str, object]) -> WebhookDelivery:
    body = json.dumps(event).encode()
    return WebhookDelivery({SIGNATURE_HEADER: world.sandbox.sign(body)}, body)


async def test_a_success_notification_settles_the_payment_and_tells_booking(world: PaymentsWorld) -> None:
    user, booking = await world.pending_booking()
    payment = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)

    await world.pay_in_sandbox(payment)

    assert world.payment(payment.id).status is PaymentStatus.SUCCEEDED
    assert world.outcomes() == [WebhookOutcome.APPLIED]
    assert world.webhooks()[0].payment_id == payment.id
    assert world.outbox_events()[-1] == "PaymentSucceeded"


async def test_a_duplicate_notification_is_acknowledged_and_changes_nothing(world: PaymentsWorld) -> None:
    user, booking = await world.pending_booking()
    payment = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)
    assert payment.provider_payment_id is not None
    delivery = world.sandbox.complete(payment.provider_payment_id, ProviderStatus.SUCCEEDED)

    assert await world.process_webhook(SANDBOX, delivery) is WebhookOutcome.APPLIED
    assert await world.process_webhook(SANDBOX, delivery) is None

    assert len(world.webhooks()) == 1
    assert world.outbox_events().count("PaymentSucceeded") == 1


async def test_a_late_processing_after_success_changes_nothing(world: PaymentsWorld) -> None:
    user, booking = await world.pending_booking()
    payment = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)
    await world.pay_in_sandbox(payment)

    late = {"id": "evt_late", "paymentId": payment.provider_payment_id, "status": "PROCESSING"}
    outcome = await world.process_webhook(SANDBOX, _signed(world, late))

    assert outcome is WebhookOutcome.NO_CHANGE
    assert world.payment(payment.id).status is PaymentStatus.SUCCEEDED


async def test_processing_then_failure_moves_forwards(world: PaymentsWorld) -> None:
    user, booking = await world.pending_booking()
    payment = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)
    processing = {"id": "evt_1", "paymentId": payment.provider_payment_id, "status": "PROCESSING"}

    await world.process_webhook(SANDBOX, _signed(world, processing))
    assert world.payment(payment.id).status is PaymentStatus.PROCESSING
    await world.pay_in_sandbox(payment, ProviderStatus.FAILED)

    assert world.payment(payment.id).status is PaymentStatus.FAILED
    assert world.outbox_events()[-1] == "PaymentFailed"


async def test_a_wrong_amount_or_currency_is_stored_but_not_applied(world: PaymentsWorld) -> None:
    user, booking = await world.pending_booking()
    payment = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)
    base = {"paymentId": payment.provider_payment_id, "status": "SUCCEEDED"}

    cheaper = await world.process_webhook(SANDBOX, _signed(world, {**base, "id": "e1", "amount": "1.00"}))
    dollars = await world.process_webhook(SANDBOX, _signed(world, {**base, "id": "e2", "currency": "USD"}))

    assert cheaper is dollars is WebhookOutcome.AMOUNT_MISMATCH
    assert world.payment(payment.id).status is PaymentStatus.PENDING


async def test_a_notification_found_by_our_reference_before_the_provider_id_is_stored(
    world: PaymentsWorld,
) -> None:
    user, booking = await world.pending_booking()
    payment = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)
    early = {"id": "e1", "paymentId": "sbx_other", "reference": str(payment.id), "status": "SUCCEEDED"}

    assert await world.process_webhook(SANDBOX, _signed(world, early)) is WebhookOutcome.APPLIED
    assert world.payment(payment.id).status is PaymentStatus.SUCCEEDED


async def test_a_notification_about_an_unknown_payment_is_kept_for_the_record(world: PaymentsWorld) -> None:
    unknown = {"id": "e1", "paymentId": "sbx_nobody", "status": "SUCCEEDED"}

    assert await world.process_webhook(SANDBOX, _signed(world, unknown)) is WebhookOutcome.UNKNOWN_PAYMENT
    assert world.webhooks()[0].payment_id is None


async def test_a_bad_signature_stores_nothing(world: PaymentsWorld) -> None:
    body = json.dumps({"id": "e1", "paymentId": "sbx_1", "status": "SUCCEEDED"}).encode()

    with pytest.raises(InvalidWebhookSignature):
        await world.process_webhook(SANDBOX, WebhookDelivery({SIGNATURE_HEADER: "0" * 64}, body))
    with pytest.raises(InvalidWebhookSignature):
        await world.process_webhook(SANDBOX, WebhookDelivery({}, body))
    assert world.webhooks() == []


async def test_an_unconfigured_provider_has_no_webhook(world: PaymentsWorld) -> None:
    with pytest.raises(ProviderUnknown):
        await world.process_webhook("stripe", WebhookDelivery({}, b"{}"))


async def test_stored_payloads_are_masked(world: PaymentsWorld) -> None:
    user, booking = await world.pending_booking()
    payment = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)
    event = {
        "id": "e1",
        "paymentId": payment.provider_payment_id,
        "status": "PROCESSING",
        "card": {"number": "4111111111111111", "cvc": "123", "last4": "1111"},
        "email": "payer@example.org",
        "note": "card 5555555555554444 used",
    }

    await world.process_webhook(SANDBOX, _signed(world, event))

    stored = world.webhooks()[0].payload
    assert stored["card"] == {"number": "***", "cvc": "***", "last4": "1111"}
    assert stored["email"] == "***"
    assert stored["note"] == "card *** used"


async def test_an_authentic_notification_about_no_payment_is_recorded_as_ignored(
    world: PaymentsWorld, caplog: pytest.LogCaptureFixture
) -> None:
    user, booking = await world.pending_booking()
    payment = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)
    body = json.dumps({"id": "evt_1", "type": "charge.succeeded", "data": {"object": {"object": "charge"}}})
    timestamp = int(world.clock.now().timestamp())
    signature = hmac.new(b"whsec_test", f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    delivery = WebhookDelivery({"stripe-signature": f"t={timestamp},v1={signature}"}, body.encode())
    caplog.set_level(logging.INFO, logger="aquastream.payments.webhooks")

    http = OutboundHttp(5, Tracing.off())
    stripe = StripeProvider(http, "sk_test", "whsec_test", world.clock)
    process = ProcessWebhook(
        world.new_payments_uow(), world.clock, ConfiguredProviders(STRIPE, {STRIPE: stripe})
    )
    assert await process(STRIPE, delivery) is WebhookOutcome.IGNORED
    assert await process(STRIPE, delivery) is None

    assert not http.made  # verifying a Stripe event calls no API: no HTTP client is made

    assert [(r.provider_event_id, r.outcome, r.payment_id) for r in world.webhooks()] == [
        ("evt_1", WebhookOutcome.IGNORED, None)
    ]
    assert world.payment(payment.id).status is PaymentStatus.PENDING
    (logged,) = caplog.records
    assert (logged.levelno, logged.getMessage()) == (
        logging.INFO,
        "stripe notification evt_1 (charge.succeeded) acknowledged: not one this service follows",
    )
