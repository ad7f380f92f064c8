"""Payments, refunds and accepted webhook events, and what payments knows of a booking.

Status machine (SPEC §5):

- card (``WIDGET``): PENDING → PROCESSING → SUCCEEDED | FAILED; PENDING → CANCELLED;
- QR (``QR_MANUAL``): PENDING → SUBMITTED → SUCCEEDED | REJECTED; REJECTED → SUBMITTED again
  while the booking still holds its seat;
- SUCCEEDED → PARTIALLY_REFUNDED → REFUNDED (or straight to REFUNDED).

A provider's report moves a payment only forwards (``reported_transition``): a late
PROCESSING after SUCCEEDED changes nothing. A success reported for a payment cancelled here
is still taken (the money was taken): the booking then decides whether it keeps its seat.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any


class PaymentMethod(StrEnum):
    WIDGET = "WIDGET"
    QR_MANUAL = "QR_MANUAL"


class PaymentStatus(StrEnum):
    PENDING = "PENDING"
    PROCESSING = "PROCESSING"
    SUBMITTED = "SUBMITTED"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"
    REJECTED = "REJECTED"
    PARTIALLY_REFUNDED = "PARTIALLY_REFUNDED"
    REFUNDED = "REFUNDED"


# A live payment blocks a second one for the same booking (a unique index in SQL).
LIVE_STATUSES = frozenset(
    {PaymentStatus.PENDING, PaymentStatus.PROCESSING, PaymentStatus.SUBMITTED, PaymentStatus.REJECTED}
)
# Money was received and not all of it went back.
PAID_STATUSES = frozenset({PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED})
# A card payment the provider has not settled yet.
OPEN_CARD_STATUSES = frozenset({PaymentStatus.PENDING, PaymentStatus.PROCESSING})
# The payer may give up the payment: no money has moved and no decision is pending.
CANCELLABLE_STATUSES = frozenset({PaymentStatus.PENDING, PaymentStatus.REJECTED})

QR_PROVIDER = "manual"  # the ``provider`` of a QR payment: nobody but the organizer checks it


class ProviderStatus(StrEnum):
    """A provider's state of a payment, in our words."""

    PENDING = "PENDING"
    PROCESSING = "PROCESSING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


_FORWARD: Mapping[ProviderStatus, tuple[frozenset[PaymentStatus], PaymentStatus]] = {
    ProviderStatus.PROCESSING: (frozenset({PaymentStatus.PENDING}), PaymentStatus.PROCESSING),
    ProviderStatus.SUCCEEDED: (
        frozenset({PaymentStatus.PENDING, PaymentStatus.PROCESSING, PaymentStatus.CANCELLED}),
        PaymentStatus.SUCCEEDED,
    ),
    ProviderStatus.FAILED: (
        frozenset({PaymentStatus.PENDING, PaymentStatus.PROCESSING}),
        PaymentStatus.FAILED,
    ),
}


def reported_transition(reported: ProviderStatus) -> tuple[frozenset[PaymentStatus], PaymentStatus] | None:
    """The statuses a provider's report may move a payment from, and where to; None when the
    report moves nothing (PENDING is where every payment starts)."""
    return _FORWARD.get(reported)


class RefundStatus(StrEnum):
    PENDING = "PENDING"  # reserved here, the provider not yet answered
    SUCCEEDED = "SUCCEEDED"  # the provider accepted it
    MANUAL = "MANUAL"  # a QR payment: the organizer transfers the money back themselves
    FAILED = "FAILED"  # the provider refused; the amount is refundable again


class WebhookOutcome(StrEnum):
    APPLIED = "APPLIED"  # the payment moved
    NO_CHANGE = "NO_CHANGE"  # stale or repeated news (out of order delivery)
    UNKNOWN_PAYMENT = "UNKNOWN_PAYMENT"
    AMOUNT_MISMATCH = "AMOUNT_MISMATCH"
    IGNORED = "IGNORED"  # authentic, but about nothing this service follows (another event type)


@dataclass(frozen=True, slots=True)
class Payment:
    id: uuid.UUID
    booking_id: uuid.UUID
    event_id: uuid.UUID
    organizer_id: uuid.UUID
    user_id: uuid.UUID
    method: PaymentMethod
    provider: str
    amount: Decimal  # frozen from the booking
    currency: str
    status: PaymentStatus
    created_at: datetime
    updated_at: datetime
    provider_payment_id: str | None = None
    confirmation: Mapping[str, str] = field(default_factory=dict)  # what the client opens to pay
    qr_payload: str | None = None
    proof_file_id: uuid.UUID | None = None
    submitted_at: datetime | None = None
    decided_at: datetime | None = None
    rejection_reason: str | None = None
    # A bare zero, so that sums keep the currency's digits of the amounts added to it.
    refunded_amount: Decimal = Decimal(0)

    @property
    def refundable(self) -> Decimal:
        return self.amount - self.refunded_amount if self.status in PAID_STATUSES else Decimal(0)


@dataclass(frozen=True, slots=True)
class Refund:
    id: uuid.UUID
    payment_id: uuid.UUID
    amount: Decimal
    currency: str
    status: RefundStatus
    reason: str
    created_at: datetime
    actor_id: uuid.UUID | None = None  # None when a booking or event cancellation asked for it
    provider_refund_id: str | None = None


@dataclass(frozen=True, slots=True)
class WebhookRecord:
    """An accepted (authentic) provider notification, stored with sensitive fields masked."""

    id: uuid.UUID
    provider: str
    provider_event_id: str
    received_at: datetime
    payload: Mapping[str, Any]
    outcome: WebhookOutcome
    payment_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class PayableBooking:
    """What payments reads of a booking (the booking domain's tables)."""

    id: uuid.UUID
    event_id: uuid.UUID
    organizer_id: uuid.UUID
    user_id: uuid.UUID
    status: str
    payment_status: str
    amount: Decimal
    currency: str
    expires_at: datetime | None
    event_title: str

    def is_payable_at(self, now: datetime) -> bool:
        """PENDING, still unpaid and holding its seat."""
        return (
            self.status == "PENDING"
            and self.payment_status == "PENDING"
            and self.expires_at is not None
            and self.expires_at > now
        )


@dataclass(frozen=True, slots=True)
class ProofFile:
    """A stored file as the media domain describes it."""

    id: uuid.UUID
    owner_type: str
    owner_id: uuid.UUID
    uploaded_by: uuid.UUID
    status: str


PROOF_OWNER_TYPE = "payment_proof"


@dataclass(frozen=True, slots=True)
class BankAccount:
    """Where QR transfers go (the payee of the Russian unified payment QR)."""

    name: str
    account: str
    bank_name: str
    bic: str
    correspondent_account: str

    def problems(self) -> list[tuple[str, str]]:
        """(field, message) for every detail a Russian bank would refuse."""
        found = []
        for field_name, value, digits in (
            ("account", self.account, 20),
            ("bic", self.bic, 9),
            ("correspondentAccount", self.correspondent_account, 20),
        ):
            if not (value.isdigit() and len(value) == digits):
                found.append((field_name, f"must be {digits} digits"))
        for field_name, value in (("name", self.name), ("bankName", self.bank_name)):
            if not value.strip() or len(value) > 160 or "|" in value:
                found.append((field_name, "must be 1 to 160 characters without '|'"))
        return found


@dataclass(frozen=True, slots=True)
class CheckoutRequest:
    """What a provider needs to open a payment."""

    payment_id: uuid.UUID
    amount: Decimal
    currency: str
    description: str
    return_url: str


@dataclass(frozen=True, slots=True)
class Checkout:
    """A provider's answer to a new payment: its id there (None until the payer pays, for a
    widget that makes the transaction itself) and what the client opens."""

    provider_payment_id: str | None
    confirmation: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class ProviderPayment:
    """A payment as the provider reports it; ``reference`` is our payment id when the provider
    echoes it (metadata, invoice id), so a report that overtakes our own bookkeeping still
    finds its payment."""

    provider_payment_id: str
    status: ProviderStatus
    amount: Decimal | None
    currency: str | None
    reference: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class WebhookDelivery:
    """A notification as it arrived: headers (lower-case names), raw body, the sender's IP."""

    headers: Mapping[str, str]
    body: bytes
    client_ip: str | None = None


@dataclass(frozen=True, slots=True)
class WebhookNotice:
    """An authentic notification: its event id (the provider's signed one, or one made only of
    verified facts), its type in the provider's words, the payment it speaks of, the raw
    payload (masked before it is stored).

    ``payment`` is None for a notification the service does not follow (a provider sends
    every type its endpoint subscribes to): it is acknowledged, recorded as IGNORED, and
    changes nothing, so the provider stops resending it."""

    event_id: str
    event_type: str
    payment: ProviderPayment | None
    payload: Mapping[str, Any]
