"""Use case: the owner of a PENDING booking starts paying it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar

from aquastream.domain.payments.errors import (
    BookingNotFound,
    BookingNotPayable,
    NoPaymentPage,
    PaymentAlreadyOpen,
    PaymentNotFound,
    ProviderFailed,
    ProviderNotConfigured,
    ProviderUnknown,
    QrNotConfigured,
    QrOnlyInRoubles,
)
from aquastream.domain.payments.model import (
    QR_PROVIDER,
    BankAccount,
    CheckoutRequest,
    PayableBooking,
    Payment,
    PaymentMethod,
    PaymentStatus,
)
from aquastream.domain.payments.policy import PaymentsPolicy
from aquastream.domain.payments.qr import QR_CURRENCY, unified_payload
from aquastream.domain.shared.errors import Raises
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.principal import Principal, Role
from aquastream.domain.shared.requests import KeyedRequest, claim_key, record_answer
from aquastream.ports.clock import Clock
from aquastream.ports.payments import BookingDirectory, PaymentProvider, PaymentProviders, PaymentsUnitOfWork


class InitPayment:
    """Start paying a booking.

    Rules:
    - only the booking's owner (anyone else: 404 ``booking.not_found``), for a PENDING,
      unpaid booking whose hold has not ended (``BookingNotPayable``);
    - amount and currency are frozen from the booking;
    - one live payment (PENDING, PROCESSING, SUBMITTED, REJECTED) per booking: a second init
      is refused with ``PaymentAlreadyOpen`` carrying the open payment's id; the client goes on
      with that one or cancels it first (a silent replacement could leave two payments that
      both take the payer's money);
    - WIDGET: the provider named (or the default one) must be configured; the payment is
      stored first, then opened at the provider with the payment id as idempotency key, then
      its confirmation data is stored. A provider failure marks the payment FAILED
      (``ProviderFailed``, the client may init again);
    - QR_MANUAL: only for a booking in roubles (``QrOnlyInRoubles``: the format's sum is in
      kopecks); the payload of the Russian unified QR format for the organizer's own bank
      account, else the service-wide one from settings (``QrNotConfigured`` without either);
    - a keyed request (``Idempotency-Key``) claims its key in the transaction that stores the
      payment, and its answer is written down with the payment's final state (the QR payment
      at once, a card payment with its confirmation data); a provider failure forgets the key.
    """

    raises: ClassVar[Raises] = (
        BookingNotFound,
        BookingNotPayable,
        PaymentAlreadyOpen,
        PaymentNotFound,
        ProviderFailed,
        ProviderNotConfigured,
        ProviderUnknown,
        QrNotConfigured,
        QrOnlyInRoubles,
    )

    def __init__(
        self,
        uow: PaymentsUnitOfWork,
        clock: Clock,
        bookings: BookingDirectory,
        providers: PaymentProviders,
        policy: PaymentsPolicy,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._bookings = bookings
        self._providers = providers
        self._policy = policy

    async def __call__(
        self,
        principal: Principal,
        booking_id: uuid.UUID,
        method: PaymentMethod,
        provider: str | None = None,
        request: KeyedRequest[Payment] | None = None,
    ) -> Payment:
        card_provider = self._card_provider(provider) if method is PaymentMethod.WIDGET else None
        # Booking serves it on its own connections: asked before payments' transaction opens.
        booking = await self._bookings.booking(booking_id)
        async with self._uow:
            now = self._clock.now()
            payment_id = new_id()
            # First: a repeat of a request that opened a payment already is answered as it was.
            await claim_key(self._uow, request, payment_id, now=now)
            if booking is None or booking.user_id != principal.user_id:
                raise BookingNotFound()
            if not booking.is_payable_at(now):
                raise BookingNotPayable()
            payee = None
            if method is PaymentMethod.QR_MANUAL:
                if booking.currency != QR_CURRENCY:
                    raise QrOnlyInRoubles()
                payee = await self._uow.payees.get(booking.organizer_id) or self._policy.bank_account
                if payee is None:
                    raise QrNotConfigured()
            payment = self._new_payment(payment_id, booking, method, card_provider, payee, now)
            await self._uow.payments.add(payment)
            if card_provider is None:
                await record_answer(self._uow, request, payment)
            await self._uow.commit()
        if card_provider is None:
            return payment
        return await self._open_at_provider(card_provider, payment, booking, request)

    async def resume(self, principal: Principal, payment_id: uuid.UUID) -> Payment:
        """The caller's payment as it is now; a card payment whose opening at the provider was
        cut off (the service stopped between storing it and hearing the provider) is opened
        again, with the same idempotency key there. How a repeated keyed request is answered
        when its first answer was never written down."""
        async with self._uow:
            payment = await self._uow.payments.get(payment_id)
            if payment is None or payment.user_id != principal.user_id:
                raise PaymentNotFound()
        booking = await self._bookings.booking(payment.booking_id)
        provider = self._providers.get(payment.provider)
        cut_off = payment.status is PaymentStatus.PENDING and not payment.confirmation
        if not cut_off or provider is None or booking is None:
            return payment
        return await self._open_at_provider(provider, payment, booking, None)

    def _card_provider(self, name: str | None) -> PaymentProvider:
        chosen = name or self._providers.default
        if not self._providers.known(chosen):
            raise ProviderUnknown()
        found = self._providers.get(chosen)
        if found is None:
            raise ProviderNotConfigured()
        return found

    def _new_payment(
        self,
        payment_id: uuid.UUID,
        booking: PayableBooking,
        method: PaymentMethod,
        provider: PaymentProvider | None,
        payee: BankAccount | None,
        now: datetime,
    ) -> Payment:
        qr_payload = unified_payload(payee, booking.amount, _purpose(booking)) if payee else None
        return Payment(
            id=payment_id,
            booking_id=booking.id,
            event_id=booking.event_id,
            organizer_id=booking.organizer_id,
            user_id=booking.user_id,
            method=method,
            provider=provider.name if provider else QR_PROVIDER,
            amount=booking.amount,
            currency=booking.currency,
            status=PaymentStatus.PENDING,
            created_at=now,
            updated_at=now,
            qr_payload=qr_payload,
        )

    async def _open_at_provider(
        self,
        provider: PaymentProvider,
        payment: Payment,
        booking: PayableBooking,
        request: KeyedRequest[Payment] | None,
    ) -> Payment:
        checkout_request = CheckoutRequest(
            payment_id=payment.id,
            amount=payment.amount,
            currency=payment.currency,
            description=_purpose(booking),
            return_url=self._policy.return_url,
        )
        try:
            checkout = await provider.create(checkout_request)
        except ProviderFailed:
            async with self._uow:
                await self._uow.payments.transition(
                    payment.id,
                    expected={PaymentStatus.PENDING},
                    new=PaymentStatus.FAILED,
                    now=self._clock.now(),
                )
                # The request failed: a retry with its key tries afresh.
                if request is not None:
                    await self._uow.request_keys.release(request.user_id, request.key)
                await self._uow.commit()
            raise
        async with self._uow:
            opened = await self._uow.payments.attach_checkout(payment.id, checkout, now=self._clock.now())
            if opened is None:
                raise PaymentNotFound()
            await record_answer(self._uow, request, opened)
            await self._uow.commit()
        return opened


def _purpose(booking: PayableBooking) -> str:
    return f"Оплата бронирования {booking.id} ({booking.event_title[:60]})"


class PayByLink:
    """The owner of a booking opened its pay link (from a message or the app): the card
    payment to go on with.

    Rules:
    - the link's signature was checked by the caller; the booking must exist
      (``BookingNotFound``);
    - a card payment of the booking still waiting for the payer is continued (no second
      payment);
    - otherwise a new card payment with the default provider is started, by the rules of
      ``InitPayment`` (the booking payable, one live payment per booking: a QR payment under
      way answers ``PaymentAlreadyOpen``);
    - the payment must have a page at its provider to go to (``NoPaymentPage`` for a widget
      that only the app can open, CloudPayments').
    Returns the payment and the address of its page.
    """

    raises: ClassVar[Raises] = (
        BookingNotFound,
        BookingNotPayable,
        NoPaymentPage,
        PaymentAlreadyOpen,
        PaymentNotFound,
        ProviderFailed,
        ProviderNotConfigured,
        ProviderUnknown,
        QrNotConfigured,
        QrOnlyInRoubles,
    )

    def __init__(self, uow: PaymentsUnitOfWork, bookings: BookingDirectory, init: InitPayment) -> None:
        self._uow = uow
        self._bookings = bookings
        self._init = init

    async def __call__(self, booking_id: uuid.UUID) -> tuple[Payment, str]:
        booking = await self._bookings.booking(booking_id)
        async with self._uow:
            live = await self._uow.payments.live_for_booking(booking_id)
        if booking is None:
            raise BookingNotFound()
        waiting = (
            live is not None and live.method is PaymentMethod.WIDGET and live.status is PaymentStatus.PENDING
        )
        payment = (
            live
            if live is not None and waiting
            else await self._init(Principal(booking.user_id, Role.USER), booking_id, PaymentMethod.WIDGET)
        )
        page = payment.confirmation.get("url")
        if not page:
            raise NoPaymentPage()
        return payment, page
