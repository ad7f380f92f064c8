"""Facts of the booking domain that notifications, payments and crews subscribe to."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from aquastream.domain.shared.events import DomainEvent


class BookingCreated(DomainEvent, frozen=True, kw_only=True):
    booking_id: uuid.UUID
    event_id: uuid.UUID
    user_id: uuid.UUID
    status: str
    payment_status: str
    amount: Decimal
    currency: str
    expires_at: datetime | None
    pay_url: str | None = None  # the link to pay a PENDING booking (absent in older messages)


class BookingConfirmed(DomainEvent, frozen=True, kw_only=True):
    booking_id: uuid.UUID
    event_id: uuid.UUID
    user_id: uuid.UUID


class BookingCancelled(DomainEvent, frozen=True, kw_only=True):
    booking_id: uuid.UUID
    event_id: uuid.UUID
    user_id: uuid.UUID
    reason: str
    actor_id: uuid.UUID | None


class BookingExpired(DomainEvent, frozen=True, kw_only=True):
    booking_id: uuid.UUID
    event_id: uuid.UUID
    user_id: uuid.UUID


class BookingCompleted(DomainEvent, frozen=True, kw_only=True):
    """The event is over and the confirmed booking took part in it (crews keeps showing its
    owner the crews)."""

    booking_id: uuid.UUID
    event_id: uuid.UUID
    user_id: uuid.UUID


class BookingMarkedNoShow(DomainEvent, frozen=True, kw_only=True):
    booking_id: uuid.UUID
    event_id: uuid.UUID
    user_id: uuid.UUID


class RefundRequested(DomainEvent, frozen=True, kw_only=True):
    """A paid booking was cancelled: the payments domain refunds it."""

    booking_id: uuid.UUID
    event_id: uuid.UUID
    user_id: uuid.UUID
    amount: Decimal
    currency: str
    reason: str


class WaitlistSeatOffered(DomainEvent, frozen=True, kw_only=True):
    """A seat is held for this waitlisted user until ``window_expires_at`` (WAITLIST_AVAILABLE)."""

    user_id: uuid.UUID
    event_id: uuid.UUID
    entry_id: uuid.UUID
    window_expires_at: datetime


class WaitlistClosed(DomainEvent, frozen=True, kw_only=True):
    """The event was cancelled while this user was in its queue: the entry is closed."""

    user_id: uuid.UUID
    event_id: uuid.UUID
    entry_id: uuid.UUID
