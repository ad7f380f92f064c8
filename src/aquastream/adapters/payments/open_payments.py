"""Booking's ``OpenPayments``, served from payments' own tables in payments' own transaction:
the live payment of each booking, and the provider's page of an open card payment."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping

from aquastream.domain.payments.model import Payment, PaymentMethod, PaymentStatus
from aquastream.ports.booking import OpenPayment
from aquastream.ports.payments import PaymentsUnitOfWork


class PaymentsOfBookings:
    def __init__(self, uow: PaymentsUnitOfWork) -> None:
        self._uow = uow

    async def open_for(self, booking_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, OpenPayment]:
        async with self._uow:
            live = await self._uow.payments.live_for_bookings(booking_ids)
        return {payment.booking_id: _described(payment) for payment in live}


def _described(payment: Payment) -> OpenPayment:
    waiting_for_payer = payment.method is PaymentMethod.WIDGET and payment.status is PaymentStatus.PENDING
    return OpenPayment(
        payment_id=payment.id,
        method=payment.method.value,
        status=payment.status.value,
        page_url=payment.confirmation.get("url") if waiting_for_payer else None,
    )
