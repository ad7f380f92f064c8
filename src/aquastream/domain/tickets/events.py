"""Facts of the tickets domain (organizer webhooks will deliver ``SeatCheckedIn``)."""

from __future__ import annotations

import uuid
from datetime import datetime

from aquastream.domain.shared.events import DomainEvent


class SeatCheckedIn(DomainEvent, frozen=True, kw_only=True):
    """A seat was checked in at the door, once (a second scan raises nothing)."""

    event_id: uuid.UUID
    booking_id: uuid.UUID
    seat: int
    ticket_id: uuid.UUID
    checked_in_by: uuid.UUID
    checked_in_at: datetime
