"""Refunds: asked by the organizer (whole or partial), or by booking when a paid booking is
cancelled, its event is cancelled, or a late payment found no seat.

A refund is reserved first (its amount is added to the payment's ``refunded_amount`` by one
conditional update, so concurrent refunds never exceed the payment), committed, and only then
sent to the provider with the refund's id as idempotency key; a refusal releases the
reservation. QR payments are refunded by the organizer's own bank transfer: the refund is
recorded as MANUAL at once.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import ClassVar

from aquastream.domain.payments.access import load_managed_payment, managed_organizers
from aquastream.domain.payments.errors import (
    PaymentForbidden,
    PaymentNotFound,
    PaymentStatusConflict,
    ProviderFailed,
    RefundTooLarge,
)
from aquastream.domain.payments.events import PaymentRefunded
from aquastream.domain.payments.model import (
    PAID_STATUSES,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Refund,
    RefundStatus,
)
from aquastream.domain.shared.errors import FieldError, Raises, ValidationFailed
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.money import Currency, Money, TooManyFractionDigits, UnknownCurrency
from aquastream.domain.shared.principal import Principal
from aquastream.ports.clock import Clock
from aquastream.ports.currencies import CurrencyCatalogue
from aquastream.ports.payments import OrganizerDirectory, PaymentProviders, PaymentsUnitOfWork


class Refunder:
    """Reserve, send and settle one refund (shared by the organizer's and booking's refunds)."""

    def __init__(self, uow: PaymentsUnitOfWork, clock: Clock, providers: PaymentProviders) -> None:
        self._uow = uow
        self._clock = clock
        self._providers = providers

    async def refund(
        self, payment: Payment, amount: Decimal, *, reason: str, actor_id: uuid.UUID | None
    ) -> Refund:
        manual = payment.method is PaymentMethod.QR_MANUAL
        if not manual and (
            self._providers.get(payment.provider) is None or payment.provider_payment_id is None
        ):
            raise ProviderFailed("The payment's provider is not configured; it cannot refund now.")
        async with self._uow:
            now = self._clock.now()
            reserved = await self._uow.payments.reserve_refund(payment.id, amount, now=now)
            if reserved is None:
                raise RefundTooLarge()
            refund = Refund(
                id=new_id(),
                payment_id=payment.id,
                amount=amount,
                currency=payment.currency,
                status=RefundStatus.MANUAL if manual else RefundStatus.PENDING,
                reason=reason,
                created_at=now,
                actor_id=actor_id,
            )
            await self._uow.refunds.add(refund)
            if manual:
                self._uow.collect(_refunded_event(reserved, amount, manual=True))
            await self._uow.commit()
        if manual:
            return refund
        return await self.send(reserved, refund)

    async def send(self, payment: Payment, refund: Refund) -> Refund:
        """Ask the provider for a reserved refund (again, after a crash: same idempotency key)."""
        provider = self._providers.get(payment.provider)
        if provider is None or payment.provider_payment_id is None:
            raise ProviderFailed("The payment's provider is not configured; it cannot refund now.")
        try:
            provider_refund_id = await provider.refund(
                payment.provider_payment_id, refund.amount, refund.currency, idempotency_key=str(refund.id)
            )
        except ProviderFailed:
            async with self._uow:
                await self._uow.payments.release_refund(payment.id, refund.amount, now=self._clock.now())
                await self._uow.refunds.settle(refund.id, RefundStatus.FAILED)
                await self._uow.commit()
            raise
        async with self._uow:
            await self._uow.refunds.settle(refund.id, RefundStatus.SUCCEEDED, provider_refund_id)
            current = await self._uow.payments.get(payment.id)
            self._uow.collect(_refunded_event(current or payment, refund.amount, manual=False))
            await self._uow.commit()
        return Refund(
            id=refund.id,
            payment_id=refund.payment_id,
            amount=refund.amount,
            currency=refund.currency,
            status=RefundStatus.SUCCEEDED,
            reason=refund.reason,
            created_at=refund.created_at,
            actor_id=refund.actor_id,
            provider_refund_id=provider_refund_id,
        )


def _refunded_event(payment: Payment, amount: Decimal, *, manual: bool) -> PaymentRefunded:
    return PaymentRefunded(
        occurred_at=payment.updated_at,
        payment_id=payment.id,
        booking_id=payment.booking_id,
        user_id=payment.user_id,
        amount=amount,
        currency=payment.currency,
        manual=manual,
        fully_refunded=payment.status is PaymentStatus.REFUNDED,
    )


class RefundPayment:
    """The organizer of the event (or an admin) refunds a payment, whole or in part.

    Rules:
    - only the event's organizer or an admin (the payer gets 403, anyone else 404);
    - only a SUCCEEDED or PARTIALLY_REFUNDED payment (``PaymentStatusConflict``);
    - ``amount`` (default: all that is left) is a positive number (400) with no more fraction
      digits than the payment's currency has (``TooManyFractionDigits``: JPY none, KWD 3) and
      at most what is left to refund (``RefundTooLarge``);
    - card payments through the provider's refund API (``ProviderFailed`` when it refuses:
      nothing is refunded), QR payments recorded as MANUAL;
    - the booking itself is not cancelled: cancelling it is a separate decision.
    """

    raises: ClassVar[Raises] = (
        PaymentForbidden,
        PaymentNotFound,
        PaymentStatusConflict,
        ProviderFailed,
        RefundTooLarge,
        TooManyFractionDigits,
        UnknownCurrency,
        ValidationFailed,
    )

    def __init__(
        self,
        uow: PaymentsUnitOfWork,
        clock: Clock,
        organizers: OrganizerDirectory,
        providers: PaymentProviders,
        currencies: CurrencyCatalogue,
    ) -> None:
        self._uow = uow
        self._organizers = organizers
        self._currencies = currencies
        self._refunder = Refunder(uow, clock, providers)

    async def __call__(
        self, principal: Principal, payment_id: uuid.UUID, amount: Decimal | str | None, reason: str | None
    ) -> Refund:
        managed = await managed_organizers(self._organizers, principal)
        async with self._uow:
            payment = await load_managed_payment(self._uow, managed, principal, payment_id)
        if payment.status not in PAID_STATUSES:
            raise PaymentStatusConflict()
        if amount is None:
            value = payment.refundable
        else:
            currency = Currency.known(self._currencies, payment.currency)
            value = Money.of(amount, currency, field="amount").amount
        if value <= 0:
            raise ValidationFailed(errors=[FieldError("amount", "must be greater than 0")])
        return await self._refunder.refund(
            payment, value, reason=(reason or "").strip() or "BY_ORGANIZER", actor_id=principal.user_id
        )


class RefundBookingPayments:
    """Refund whatever was paid for a booking, or one ``share`` of it; the handler of
    booking's ``RefundRequested`` (a paid booking cancelled, its event cancelled, a late
    payment that found no seat, or one companion's seat of a group booking cancelled).

    Idempotent: a refund reserved by an earlier run that crashed before the provider answered
    is sent again with the same idempotency key; what is refunded already is not refunded
    twice. A share is refunded once per ``reason`` (booking names the seat in it): a request
    delivered again finds its refund and refunds nothing more; it is at most what is left.
    A booking paid outside the app (confirmed by hand) has no payment: nothing to do.
    Returns how many refunds were made.
    """

    def __init__(self, uow: PaymentsUnitOfWork, clock: Clock, providers: PaymentProviders) -> None:
        self._uow = uow
        self._refunder = Refunder(uow, clock, providers)

    async def __call__(self, booking_id: uuid.UUID, reason: str, share: Decimal | None = None) -> int:
        async with self._uow:
            payments = await self._uow.payments.for_booking(booking_id)
            unsent = {p.id: await self._uow.refunds.for_payment(p.id) for p in payments}
        made = 0
        share_done = share is not None and any(
            refund.reason == reason and refund.status is not RefundStatus.FAILED
            for refunds in unsent.values()
            for refund in refunds
        )
        for payment in payments:
            for refund in unsent[payment.id]:
                if refund.status is RefundStatus.PENDING:
                    await self._refunder.send(payment, refund)
                    made += 1
            if share is not None:
                if not share_done and payment.refundable > 0:
                    amount = min(share, payment.refundable)
                    await self._refunder.refund(payment, amount, reason=reason, actor_id=None)
                    share_done = True
                    made += 1
            elif payment.refundable > 0:
                await self._refunder.refund(payment, payment.refundable, reason=reason, actor_id=None)
                made += 1
        return made


class RefundDuplicatePayment:
    """Refund a payment that paid a booking twice; the handler of ``DuplicatePaymentReceived``.
    Idempotent: what is refunded already is not refunded again. Returns whether it refunded."""

    DUPLICATE = "DUPLICATE_PAYMENT"

    def __init__(self, uow: PaymentsUnitOfWork, clock: Clock, providers: PaymentProviders) -> None:
        self._uow = uow
        self._refunder = Refunder(uow, clock, providers)

    async def __call__(self, payment_id: uuid.UUID) -> bool:
        async with self._uow:
            payment = await self._uow.payments.get(payment_id)
        if payment is None or payment.refundable <= 0:
            return False
        await self._refunder.refund(payment, payment.refundable, reason=self.DUPLICATE, actor_id=None)
        return True
