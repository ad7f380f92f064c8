"""The payments domain's part of a user's data export (SPEC §2)."""

from __future__ import annotations

import uuid
from typing import Any

from aquastream.domain.payments.model import Payment, Refund
from aquastream.domain.shared.privacy import every_page, iso, money
from aquastream.ports.currencies import CurrencyCatalogue
from aquastream.ports.payments import PaymentsUnitOfWork


class ExportMyPaymentData:
    """Every payment of the user (newest first) with its refunds.

    Card data is never stored, so never exported. Left out as well: the checkout
    ``confirmation`` (a live redirect URL or a widget's client secret, a credential rather
    than data about the user) and the QR payload (the organizer's bank details, not the
    payer's). Payments are kept after an account deletion: accounting needs them.
    """

    def __init__(self, uow: PaymentsUnitOfWork, currencies: CurrencyCatalogue) -> None:
        self._uow = uow
        self._currencies = currencies

    async def __call__(self, user_id: uuid.UUID) -> dict[str, Any]:
        async with self._uow:
            payments = await every_page(lambda paging: self._uow.payments.list_for_user(user_id, paging))
            refunds = {p.id: await self._uow.refunds.for_payment(p.id) for p in payments}
        return {"payments": [_payment(p, refunds[p.id], self._currencies) for p in payments]}


def _payment(payment: Payment, refunds: list[Refund], currencies: CurrencyCatalogue) -> dict[str, Any]:
    return {
        "id": str(payment.id),
        "bookingId": str(payment.booking_id),
        "eventId": str(payment.event_id),
        "organizerId": str(payment.organizer_id),
        "method": str(payment.method),
        "provider": payment.provider,
        "providerPaymentId": payment.provider_payment_id,
        "status": str(payment.status),
        "amount": money(payment.amount, payment.currency, currencies),
        "refundedAmount": money(payment.refunded_amount, payment.currency, currencies),
        "currency": payment.currency,
        "proofFileId": str(payment.proof_file_id) if payment.proof_file_id else None,
        "submittedAt": iso(payment.submitted_at),
        "decidedAt": iso(payment.decided_at),
        "rejectionReason": payment.rejection_reason,
        "createdAt": iso(payment.created_at),
        "updatedAt": iso(payment.updated_at),
        "refunds": [_refund(r, currencies) for r in refunds],
    }


def _refund(refund: Refund, currencies: CurrencyCatalogue) -> dict[str, Any]:
    return {
        "id": str(refund.id),
        "amount": money(refund.amount, refund.currency, currencies),
        "currency": refund.currency,
        "status": str(refund.status),
        "reason": refund.reason,
        "createdAt": iso(refund.created_at),
    }
