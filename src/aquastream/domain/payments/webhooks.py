"""Use case: a provider's notification about a payment arrives."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import ClassVar

from aquastream.domain.payments.errors import InvalidWebhookSignature, ProviderUnknown
from aquastream.domain.payments.events import DuplicatePaymentReceived, PaymentFailed
from aquastream.domain.payments.manage import succeeded_event
from aquastream.domain.payments.masking import mask
from aquastream.domain.payments.model import (
    PAID_STATUSES,
    Payment,
    PaymentStatus,
    ProviderPayment,
    WebhookDelivery,
    WebhookNotice,
    WebhookOutcome,
    WebhookRecord,
    reported_transition,
)
from aquastream.domain.shared.errors import Raises, ValidationFailed
from aquastream.domain.shared.ids import new_id
from aquastream.ports.clock import Clock
from aquastream.ports.payments import PaymentProviders, PaymentsUnitOfWork

logger = logging.getLogger("aquastream.payments.webhooks")


class ProcessWebhook:
    """Take a provider's notification.

    Rules:
    - the provider must be known and configured (``ProviderUnknown``: 404);
    - authenticity as the provider defines it, checked by its adapter before anything is
      stored (``InvalidWebhookSignature``: 401, nothing stored);
    - every accepted notification is stored once, masked, under its event id: a duplicate
      (even one delivered concurrently) is acknowledged and changes nothing. The id is one the
      provider signed, or, where nothing is signed (YooKassa), made only of what the
      provider's API confirmed, so an unverified body never claims the id of news to come;
    - a notification about no payment (a type the service does not follow, such as Stripe's
      ``charge.succeeded``) is stored as IGNORED, logged at INFO and changes nothing: answered
      as accepted, the provider stops resending it;
    - the payment is found by the provider's id, else by our id echoed by the provider;
    - amount and currency must equal the payment's (else stored as AMOUNT_MISMATCH, logged,
      and the payment is left alone);
    - the payment only moves forwards (``reported_transition``): news older than the
      payment's state changes nothing; SUCCEEDED raises ``PaymentSucceeded``, FAILED
      ``PaymentFailed``.
    Returns the stored outcome, or None for a duplicate.
    """

    raises: ClassVar[Raises] = (InvalidWebhookSignature, ProviderUnknown, ValidationFailed)

    def __init__(self, uow: PaymentsUnitOfWork, clock: Clock, providers: PaymentProviders) -> None:
        self._uow = uow
        self._clock = clock
        self._providers = providers

    async def __call__(self, provider_name: str, delivery: WebhookDelivery) -> WebhookOutcome | None:
        provider = self._providers.get(provider_name)
        if provider is None:
            raise ProviderUnknown()
        notice = await provider.verify_webhook(delivery)
        async with self._uow:
            now = self._clock.now()
            record = WebhookRecord(
                id=new_id(),
                provider=provider_name,
                provider_event_id=notice.event_id,
                received_at=now,
                payload=mask(dict(notice.payload)),
                outcome=WebhookOutcome.NO_CHANGE,
            )
            # First: the unique event id serialises duplicate deliveries.
            if not await self._uow.webhooks.add(record):
                return None
            payment = None
            if notice.payment is None:
                outcome = WebhookOutcome.IGNORED
            else:
                payment = await self._find(provider_name, notice.payment)
                outcome = WebhookOutcome.UNKNOWN_PAYMENT
                if payment is not None:
                    outcome = await apply_report(self._uow, payment, notice.payment, now)
            await self._uow.webhooks.resolve(record.id, outcome, payment.id if payment else None)
            await self._uow.commit()
        _log(provider_name, notice, outcome)
        return outcome

    async def _find(self, provider_name: str, reported: ProviderPayment) -> Payment | None:
        payment = await self._uow.payments.by_provider_id(provider_name, reported.provider_payment_id)
        if payment is None and reported.reference is not None:
            payment = await self._uow.payments.get(reported.reference)
            if payment is not None and payment.provider != provider_name:
                return None
        return payment


def _log(provider_name: str, notice: WebhookNotice, outcome: WebhookOutcome) -> None:
    context = {
        "provider": provider_name,
        "event_id": notice.event_id,
        "event_type": notice.event_type,
        "outcome": outcome.value,
    }
    if outcome is WebhookOutcome.IGNORED:
        # The type and id in the message too: plain-text logs show no extras.
        logger.info(
            "%s notification %s (%s) acknowledged: not one this service follows",
            provider_name,
            notice.event_id,
            notice.event_type,
            extra=context,
        )
    elif outcome in (WebhookOutcome.UNKNOWN_PAYMENT, WebhookOutcome.AMOUNT_MISMATCH):
        logger.warning("payment notification not applied", extra=context)


async def apply_report(
    uow: PaymentsUnitOfWork, payment: Payment, reported: ProviderPayment, now: datetime
) -> WebhookOutcome:
    """Apply what a provider reports about a payment (a notification, or a reconciliation's
    fetch): amount and currency must match, the payment only moves forwards. A success
    raises ``PaymentSucceeded``, unless another payment of the booking had already succeeded:
    then ``DuplicatePaymentReceived`` (payments refunds the surplus) instead."""
    if not _same_money(payment, reported):
        return WebhookOutcome.AMOUNT_MISMATCH
    move = reported_transition(reported.status)
    if move is None:
        return WebhookOutcome.NO_CHANGE
    expected, new = move
    changes = {} if payment.provider_payment_id else {"provider_payment_id": reported.provider_payment_id}
    moved = await uow.payments.transition(payment.id, expected=expected, new=new, now=now, **changes)
    if moved is None:
        return WebhookOutcome.NO_CHANGE
    if moved.status is PaymentStatus.SUCCEEDED:
        others = await uow.payments.for_booking(moved.booking_id)
        if any(other.id != moved.id and other.status in PAID_STATUSES for other in others):
            uow.collect(
                DuplicatePaymentReceived(
                    occurred_at=now, payment_id=moved.id, booking_id=moved.booking_id, user_id=moved.user_id
                )
            )
        else:
            uow.collect(succeeded_event(moved))
    elif moved.status is PaymentStatus.FAILED:
        uow.collect(
            PaymentFailed(
                occurred_at=now, payment_id=moved.id, booking_id=moved.booking_id, user_id=moved.user_id
            )
        )
    return WebhookOutcome.APPLIED


def _same_money(payment: Payment, reported: ProviderPayment) -> bool:
    if reported.amount is not None and reported.amount != payment.amount:
        return False
    return reported.currency is None or reported.currency.upper() == payment.currency
