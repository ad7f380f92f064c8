"""Booking's ``PaymentStatusProbe``, answered from the payments table (on payments' own
connection, while booking's expiry transaction waits), and from the provider for a card
payment still open here.

- a SUCCEEDED (or refunded-in-part) payment keeps the seat a short grace: its confirmation is
  on its way through the outbox;
- a SUBMITTED QR receipt keeps it until ``submitted_at + proof_hold``;
- an open card payment is looked up at its provider, bounded by ``timeout_seconds``; a
  provider that does not answer in time (or at all) does not keep the seat: should the payment
  succeed later, booking re-takes a seat or the money is refunded.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from aquastream.domain.payments.errors import ProviderFailed
from aquastream.domain.payments.model import (
    OPEN_CARD_STATUSES,
    PAID_STATUSES,
    Payment,
    PaymentMethod,
    PaymentStatus,
    ProviderStatus,
)
from aquastream.domain.payments.policy import PaymentsPolicy
from aquastream.ports.payments import PaymentProviders

logger = logging.getLogger("aquastream.payments.probe")

# Open card payments of one expiry batch asked of their providers at the same time, at most.
PROVIDER_CALLS_AT_ONCE = 8


class BookingPayments(Protocol):
    async def for_booking(self, booking_id: uuid.UUID) -> Sequence[Payment]: ...

    async def for_bookings(self, booking_ids: Collection[uuid.UUID]) -> Sequence[Payment]:
        """The payments of all these bookings, in one read."""
        ...


class PaymentHoldProbe:
    def __init__(
        self,
        payments: BookingPayments,
        providers: PaymentProviders,
        policy: PaymentsPolicy,
        *,
        timeout_seconds: float,
    ) -> None:
        self._payments = payments
        self._providers = providers
        self._policy = policy
        self._timeout = timeout_seconds

    async def hold_until(self, booking_id: uuid.UUID, *, now: datetime) -> datetime | None:
        holds = [
            await self._hold_of(payment, now) for payment in await self._payments.for_booking(booking_id)
        ]
        kept = [until for until in holds if until is not None and until > now]
        return max(kept, default=None)

    async def hold_until_many(
        self, booking_ids: Collection[uuid.UUID], *, now: datetime
    ) -> Mapping[uuid.UUID, datetime]:
        if not booking_ids:
            return {}
        payments = await self._payments.for_bookings(booking_ids)
        # The providers are asked at once (a few at a time), each call bounded by the timeout.
        asking = asyncio.Semaphore(PROVIDER_CALLS_AT_ONCE)

        async def hold_of(payment: Payment) -> datetime | None:
            async with asking:
                return await self._hold_of(payment, now)

        holds = await asyncio.gather(*(hold_of(payment) for payment in payments))
        kept: dict[uuid.UUID, datetime] = {}
        for payment, until in zip(payments, holds, strict=True):
            if until is not None and until > now:
                kept[payment.booking_id] = max(until, kept.get(payment.booking_id, until))
        return kept

    async def _hold_of(self, payment: Payment, now: datetime) -> datetime | None:
        if payment.status in PAID_STATUSES:
            return now + self._policy.confirmation_grace
        if payment.status is PaymentStatus.SUBMITTED and payment.submitted_at is not None:
            return payment.submitted_at + self._policy.proof_hold
        if (
            payment.method is PaymentMethod.WIDGET
            and payment.status in OPEN_CARD_STATUSES
            and payment.provider_payment_id is not None
            and await self._paid_at_provider(payment, payment.provider_payment_id)
        ):
            return now + self._policy.confirmation_grace
        return None

    async def _paid_at_provider(self, payment: Payment, provider_payment_id: str) -> bool:
        provider = self._providers.get(payment.provider)
        if provider is None:
            return False
        try:
            async with asyncio.timeout(self._timeout):
                reported = await provider.fetch(provider_payment_id)
        except (TimeoutError, ProviderFailed):
            logger.warning(
                "provider did not say whether a payment succeeded; the hold ends",
                extra={"payment_id": str(payment.id), "provider": payment.provider},
            )
            return False
        return reported.status is ProviderStatus.SUCCEEDED
