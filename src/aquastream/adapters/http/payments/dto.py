"""Request and response bodies of payments.

Money travels as a string with the currency's fraction digits plus ``currency`` (``"1500.00"``
RUB, ``"1000"`` JPY, ``"1.234"`` KWD), never a float. A QR
payment carries its payload in the Russian unified format and a PNG of it (base64).
"""

from __future__ import annotations

import base64
import io
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Literal

from msgspec import Meta

from aquastream.adapters.currencies import written
from aquastream.adapters.http.structs import CamelStruct
from aquastream.domain.payments.model import (
    BankAccount,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Refund,
    RefundStatus,
    WebhookOutcome,
)

Money = Annotated[
    str,
    Meta(description="An amount with the currency's fraction digits.", examples=["1500.00", "1000", "1.234"]),
]
Reason = Annotated[str, Meta(max_length=1000)]


class PaymentIn(CamelStruct, forbid_unknown_fields=True):
    """Start paying a PENDING booking. ``provider`` (WIDGET only) defaults to the configured one:
    ``sandbox``, ``yookassa``, ``cloudpayments`` or ``stripe``."""

    booking_id: uuid.UUID
    method: PaymentMethod
    provider: Annotated[str, Meta(min_length=1, max_length=32)] | None = None


class ProofIn(CamelStruct, forbid_unknown_fields=True):
    """The receipt: a ``payment_proof`` media file of the booking, uploaded by the payer."""

    file_id: uuid.UUID


class ReviewIn(CamelStruct, forbid_unknown_fields=True):
    """Approve the receipt, or reject it with a reason the payer will read."""

    decision: Literal["APPROVE", "REJECT"]
    reason: Reason | None = None


class RefundIn(CamelStruct, forbid_unknown_fields=True):
    """``amount`` omitted: everything not refunded yet."""

    amount: Money | None = None
    reason: Annotated[str, Meta(max_length=200)] | None = None


class SandboxCompletionIn(CamelStruct, forbid_unknown_fields=True):
    """How the sandbox payment ends; no body at all also pays it."""

    outcome: Literal["SUCCEEDED", "FAILED"] = "SUCCEEDED"


class WebhookReceiptOut(CamelStruct):
    """A notification taken in (CloudPayments gets its own ``{"code": 0}`` instead): ``duplicate``
    for one already received (``outcome`` null then), else what it did to the payment."""

    received: bool
    duplicate: bool
    outcome: WebhookOutcome | None

    @classmethod
    def of(cls, outcome: WebhookOutcome | None) -> WebhookReceiptOut:
        return cls(received=True, duplicate=outcome is None, outcome=outcome)


class QrOut(CamelStruct):
    """``pngBase64`` is left out of lists: open the payment for the picture."""

    payload: str
    png_base64: str | None

    @classmethod
    def of(cls, payload: str, *, with_png: bool) -> QrOut:
        if not with_png:
            return cls(payload=payload, png_base64=None)
        return cls(payload=payload, png_base64=base64.b64encode(qr_png(payload)).decode())


def qr_png(payload: str) -> bytes:
    """The payload as a QR code image. ``ST00012`` declares UTF-8, so the code carries the
    payload's UTF-8 bytes: left to choose, the QR library would encode Cyrillic in Shift_JIS,
    which bank apps read as garbage."""
    import segno  # when a code is first drawn: 1.7 MB a server that draws none keeps

    buffer = io.BytesIO()
    segno.make(payload, error="m", micro=False, encoding="utf-8").save(buffer, kind="png", scale=5, border=4)
    return buffer.getvalue()


class RefundOut(CamelStruct):
    """A refund; MANUAL: a QR payment the organizer transfers back by hand."""

    id: uuid.UUID
    payment_id: uuid.UUID
    amount: Money
    currency: str
    status: RefundStatus
    reason: str
    created_at: datetime

    @classmethod
    def of(cls, refund: Refund) -> RefundOut:
        return cls(
            id=refund.id,
            payment_id=refund.payment_id,
            amount=written(refund.amount, refund.currency),
            currency=refund.currency,
            status=refund.status,
            reason=refund.reason,
            created_at=refund.created_at,
        )


class PaymentOut(CamelStruct):
    """A payment. ``confirmation`` is what a card payer opens (a redirect URL, a widget's
    parameters or a checkout session); ``qr`` is the bank-transfer QR of a QR payment."""

    id: uuid.UUID
    booking_id: uuid.UUID
    event_id: uuid.UUID
    user_id: uuid.UUID
    method: PaymentMethod
    provider: str
    status: PaymentStatus
    amount: Money
    refunded_amount: Money
    currency: str
    created_at: datetime
    updated_at: datetime
    confirmation: dict[str, str] | None
    qr: QrOut | None
    proof_file_id: uuid.UUID | None
    submitted_at: datetime | None
    decided_at: datetime | None
    rejection_reason: str | None
    refunds: list[RefundOut] | None = None

    @classmethod
    def of(
        cls, payment: Payment, refunds: Sequence[Refund] | None = None, *, with_png: bool = True
    ) -> PaymentOut:
        return cls(
            id=payment.id,
            booking_id=payment.booking_id,
            event_id=payment.event_id,
            user_id=payment.user_id,
            method=payment.method,
            provider=payment.provider,
            status=payment.status,
            amount=written(payment.amount, payment.currency),
            refunded_amount=written(payment.refunded_amount, payment.currency),
            currency=payment.currency,
            created_at=payment.created_at,
            updated_at=payment.updated_at,
            confirmation=dict(payment.confirmation) or None,
            qr=QrOut.of(payment.qr_payload, with_png=with_png) if payment.qr_payload else None,
            proof_file_id=payment.proof_file_id,
            submitted_at=payment.submitted_at,
            decided_at=payment.decided_at,
            rejection_reason=payment.rejection_reason,
            refunds=None if refunds is None else [RefundOut.of(refund) for refund in refunds],
        )

    @classmethod
    def listed(cls, payment: Payment) -> PaymentOut:
        return cls.of(payment, with_png=False)


class PayeeAccountBody(CamelStruct, forbid_unknown_fields=True):
    """Where an organizer's QR transfers go: the payee's name and settlement account (20
    digits), its bank's name, BIC (9 digits) and correspondent account (20 digits)."""

    name: Annotated[str, Meta(max_length=160)]
    account: Annotated[str, Meta(max_length=20)]
    bank_name: Annotated[str, Meta(max_length=160)]
    bic: Annotated[str, Meta(max_length=9)]
    correspondent_account: Annotated[str, Meta(max_length=20)]

    def to_domain(self) -> BankAccount:
        return BankAccount(self.name, self.account, self.bank_name, self.bic, self.correspondent_account)

    @classmethod
    def of(cls, account: BankAccount) -> PayeeAccountBody:
        return cls(
            name=account.name,
            account=account.account,
            bank_name=account.bank_name,
            bic=account.bic,
            correspondent_account=account.correspondent_account,
        )
