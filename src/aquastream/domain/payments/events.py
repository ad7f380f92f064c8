"""Facts of the payments domain that booking and notifications subscribe to."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from aquastream.domain.shared.events import DomainEvent


class PaymentSucceeded(DomainEvent, frozen=True, kw_only=True):
    """Money for the booking was received: booking confirms it (or re-takes a seat)."""

    payment_id: uuid.UUID
    booking_id: uuid.UUID
    event_id: uuid.UUID
    user_id: uuid.UUID
    amount: Decimal
    currency: str
    method: str


class PaymentFailed(DomainEvent, frozen=True, kw_only=True):
    payment_id: uuid.UUID
    booking_id: uuid.UUID
    user_id: uuid.UUID


class PaymentProofSubmitted(DomainEvent, frozen=True, kw_only=True):
    """A QR receipt waits for the organizer's review; the booking keeps its seat until the
    organizer decides, at the latest until ``review_until``."""

    payment_id: uuid.UUID
    booking_id: uuid.UUID
    event_id: uuid.UUID
    organizer_id: uuid.UUID
    user_id: uuid.UUID
    # Optional for messages written before it existed: booking then keeps the hold it has.
    review_until: datetime | None = None


class PaymentRejected(DomainEvent, frozen=True, kw_only=True):
    """The organizer refused a QR receipt; the payer may submit another while the hold lasts."""

    payment_id: uuid.UUID
    booking_id: uuid.UUID
    user_id: uuid.UUID
    reason: str


class PaymentRefunded(DomainEvent, frozen=True, kw_only=True):
    payment_id: uuid.UUID
    booking_id: uuid.UUID
    user_id: uuid.UUID
    amount: Decimal
    currency: str
    manual: bool  # a QR payment: the organizer sends the money back by hand
    fully_refunded: bool


class DuplicatePaymentReceived(DomainEvent, frozen=True, kw_only=True):
    """A payment succeeded for a booking another payment had paid already (one cancelled here
    but paid at the provider anyway): payments refunds it, notifications may tell the payer."""

    payment_id: uuid.UUID
    booking_id: uuid.UUID
    user_id: uuid.UUID
