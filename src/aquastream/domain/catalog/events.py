"""Facts of the catalog domain that booking, payments and notifications subscribe to."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from aquastream.domain.shared.events import DomainEvent


class EventPublished(DomainEvent, frozen=True, kw_only=True):
    event_id: uuid.UUID
    organizer_id: uuid.UUID
    title: str
    date_start: datetime
    date_end: datetime
    capacity: int
    price: Decimal | None
    currency: str


class EventCapacityChanged(DomainEvent, frozen=True, kw_only=True):
    """A published event's capacity moved; the inventory already moved with it. Booking
    hands new seats to the waitlist."""

    event_id: uuid.UUID
    old_capacity: int
    new_capacity: int


class EventCancelled(DomainEvent, frozen=True, kw_only=True):
    """Booking cancels every active booking (refunding paid ones); notifications tell the
    participants. ``was_published`` is False for a draft, which had no bookings."""

    event_id: uuid.UUID
    organizer_id: uuid.UUID
    title: str
    date_start: datetime
    reason: str | None
    was_published: bool
    cancelled_by: uuid.UUID


class EventCompleted(DomainEvent, frozen=True, kw_only=True):
    """The event ended; booking completes its CONFIRMED bookings."""

    event_id: uuid.UUID
    organizer_id: uuid.UUID
    date_end: datetime
