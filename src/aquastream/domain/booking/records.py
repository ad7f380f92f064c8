"""Factories of the rows every transition writes: booking-log and waitlist-audit entries."""

from __future__ import annotations

import uuid
from datetime import datetime

from aquastream.domain.booking.model import (
    Booking,
    BookingLogEntry,
    BookingStatus,
    LogReason,
    WaitlistAction,
    WaitlistAuditEntry,
    WaitlistEntry,
)
from aquastream.domain.shared.ids import new_id


def log_entry(
    booking: Booking,
    *,
    old_status: BookingStatus | None,
    reason: LogReason,
    actor_id: uuid.UUID | None,
    at: datetime,
) -> BookingLogEntry:
    """The log row of a booking that has just reached its current status."""
    return BookingLogEntry(
        id=new_id(),
        booking_id=booking.id,
        old_status=old_status,
        new_status=booking.status,
        reason=reason,
        actor_id=actor_id,
        created_at=at,
    )


def audit_entry(
    entry: WaitlistEntry, action: WaitlistAction, *, actor_id: uuid.UUID | None, at: datetime
) -> WaitlistAuditEntry:
    return WaitlistAuditEntry(
        id=new_id(),
        entry_id=entry.id,
        event_id=entry.event_id,
        user_id=entry.user_id,
        action=action,
        created_at=at,
        actor_id=actor_id,
    )
