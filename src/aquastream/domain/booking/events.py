"""Facts of the booking domain that notifications, payments and crews subscribe to, with the
words they carry (statuses and reasons), which subscribers may compare against."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

import msgspec

from aquastream.domain.shared.events import DomainEvent


class BookingStatus(StrEnum):
    PENDING = "PENDING"
    CONFIRMED = "CONFIRMED"
    EXPIRED = "EXPIRED"
    CANCELLED = "CANCELLED"
    COMPLETED = "COMPLETED"
    NO_SHOW = "NO_SHOW"


class LogReason(StrEnum):
    """Why a booking changed status, as the booking log records it."""

    BOOKED = "BOOKED"
    BOOKED_FROM_WAITLIST = "BOOKED_FROM_WAITLIST"
    CANCELLED_BY_USER = "CANCELLED_BY_USER"
    CANCELLED_BY_ORGANIZER = "CANCELLED_BY_ORGANIZER"
    CONFIRMED_BY_ORGANIZER = "CONFIRMED_BY_ORGANIZER"
    HOLD_EXPIRED = "HOLD_EXPIRED"
    NO_SHOW = "NO_SHOW"
    EVENT_COMPLETED = "EVENT_COMPLETED"
    EVENT_CANCELLED = "EVENT_CANCELLED"
    PAID = "PAID"  # the payments domain reported the payment succeeded
    PAID_AFTER_EXPIRY = "PAID_AFTER_EXPIRY"  # a late payment re-took a free seat


SEAT_LOST = "SEAT_LOST"  # the reason of the refund of a late payment that found no seat
# The reason of the refund of one companion's share is ``COMPANION_SEAT:<seat number>``: one
# refund per seat, so payments can tell a redelivered request from the next seat's.
COMPANION_SEAT = "COMPANION_SEAT"


class BookingCreated(DomainEvent, frozen=True, kw_only=True):
    booking_id: uuid.UUID
    event_id: uuid.UUID
    user_id: uuid.UUID
    status: BookingStatus
    payment_status: str
    amount: Decimal
    currency: str
    expires_at: datetime | None
    pay_url: str | None = None  # the link to pay a PENDING booking (absent in older messages)


class PartySeat(msgspec.Struct, frozen=True, kw_only=True):
    """One seat of a booking (SPEC §12, group bookings): number 0 is the holder's, 1, 2, … a
    named companion's, in the order booked. A companion is not a user: the name and the
    optional phone are all there is of them. The holder's name is identity's to tell."""

    number: int
    name: str | None = None  # a companion's; None for the holder's seat
    phone: str | None = None


class BookingConfirmed(DomainEvent, frozen=True, kw_only=True):
    booking_id: uuid.UUID
    event_id: uuid.UUID
    user_id: uuid.UUID
    # Every seat the booking holds at confirmation, the holder's first. Empty in messages from
    # before group bookings: one seat, the holder's.
    seats: tuple[PartySeat, ...] = ()


class BookingCancelled(DomainEvent, frozen=True, kw_only=True):
    booking_id: uuid.UUID
    event_id: uuid.UUID
    user_id: uuid.UUID
    reason: LogReason
    actor_id: uuid.UUID | None


class CompanionSeatCancelled(DomainEvent, frozen=True, kw_only=True):
    """One companion's seat of a booking was cancelled alone (the booking and its other seats
    stay): the seat is free again and its share is refunded (``RefundRequested``)."""

    booking_id: uuid.UUID
    event_id: uuid.UUID
    user_id: uuid.UUID  # the booking's holder
    seat: int  # ``PartySeat.number``, never 0
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
    reason: str  # the LogReason of the cancellation, or SEAT_LOST


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
