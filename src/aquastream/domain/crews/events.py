"""Facts of the crews domain that notifications subscribe to (CREW_ASSIGNMENT)."""

from __future__ import annotations

import uuid

from aquastream.domain.shared.events import DomainEvent


class CrewAssigned(DomainEvent, frozen=True, kw_only=True):
    """A participant got a place in a crew (by hand, by transfer or by auto-assignment)."""

    assignment_id: uuid.UUID
    user_id: uuid.UUID
    event_id: uuid.UUID
    crew_id: uuid.UUID
    crew_name: str
    crew_type: str
    seat_number: int | None
    position: str | None
    # The booking's seat placed: 0 the holder (``user_id``), 1, 2, … one of their companions.
    party_seat: int = 0


class CrewAssignmentEnded(DomainEvent, frozen=True, kw_only=True):
    """A participant lost their place: ``status`` is REMOVED or TRANSFERRED (then a
    ``CrewAssigned`` for the new crew follows); ``actor_id`` None when their booking ended."""

    assignment_id: uuid.UUID
    user_id: uuid.UUID
    event_id: uuid.UUID
    crew_id: uuid.UUID
    status: str
    actor_id: uuid.UUID | None
    party_seat: int = 0
