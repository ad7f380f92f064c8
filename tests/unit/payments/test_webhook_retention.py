"""Stored provider notifications are deleted after the retention period; newer ones, and with
them the deduplication of repeated deliveries, stay."""

from __future__ import annotations

from datetime import timedelta

from aquastream.adapters.payments.sandbox import SANDBOX
from aquastream.domain.payments.model import PaymentMethod, PaymentStatus, ProviderStatus, WebhookOutcome
from aquastream.domain.payments.policy import PaymentsPolicy
from aquastream.domain.payments.retention import PruneWebhookEvents
from tests.unit.payments.payments_world import PaymentsWorld


def prune(world: PaymentsWorld) -> PruneWebhookEvents:
    return PruneWebhookEvents(world.new_payments_uow(), world.clock, world.payments_policy)


async def paid(world: PaymentsWorld) -> None:
    user, booking = await world.pending_booking()
    payment = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)
    await world.pay_in_sandbox(payment)


async def test_the_default_period_is_ninety_days() -> None:
    assert PaymentsPolicy().webhook_retention == timedelta(days=90)


async def test_notifications_past_the_period_go_and_those_within_it_stay(world: PaymentsWorld) -> None:
    retention = world.payments_policy.webhook_retention
    await paid(world)
    world.clock.advance(timedelta(days=10))
    await paid(world)
    world.clock.advance(retention - timedelta(days=10) - timedelta(seconds=1))

    assert await prune(world)() == 0
    world.clock.advance(timedelta(seconds=2))
    assert await prune(world)() == 1

    [kept] = world.webhooks()
    assert kept.received_at > world.clock.now() - retention


async def test_a_notification_within_the_period_is_still_deduplicated(world: PaymentsWorld) -> None:
    user, booking = await world.pending_booking()
    payment = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)
    assert payment.provider_payment_id is not None
    delivery = world.sandbox.complete(payment.provider_payment_id, ProviderStatus.SUCCEEDED)
    assert await world.process_webhook(SANDBOX, delivery) is WebhookOutcome.APPLIED
    world.clock.advance(world.payments_policy.webhook_retention - timedelta(minutes=1))

    await prune(world)()

    assert await world.process_webhook(SANDBOX, delivery) is None
    assert world.outbox_events().count("PaymentSucceeded") == 1


async def test_a_repeat_after_the_period_is_processed_again_and_changes_nothing(world: PaymentsWorld) -> None:
    user, booking = await world.pending_booking()
    payment = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)
    assert payment.provider_payment_id is not None
    delivery = world.sandbox.complete(payment.provider_payment_id, ProviderStatus.SUCCEEDED)
    await world.process_webhook(SANDBOX, delivery)
    world.clock.advance(world.payments_policy.webhook_retention + timedelta(days=1))
    assert await prune(world)() == 1

    assert await world.process_webhook(SANDBOX, delivery) is WebhookOutcome.NO_CHANGE

    assert world.payment(payment.id).status is PaymentStatus.SUCCEEDED
    assert world.outbox_events().count("PaymentSucceeded") == 1
