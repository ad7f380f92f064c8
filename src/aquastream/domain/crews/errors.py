"""Errors of the crews domain, each with a stable machine code."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from aquastream.domain.shared.errors import (
    Conflict,
    FieldError,
    Forbidden,
    NotFound,
    RuleViolated,
    ValidationFailed,
)


class EventNotFound(NotFound):
    code = "event.not_found"
    default_message = "Event not found."


class EventClosed(RuleViolated):
    code = "crew.event_closed"
    default_message = "The event is cancelled or completed: its crews can no longer change."


class CrewForbidden(Forbidden):
    code = "crew.forbidden"
    default_message = "Only the organizer of the event (or an admin) may do this."


class NotAParticipant(Forbidden):
    code = "crew.not_participant"
    default_message = "Only participants with a confirmed booking for this event may see its crews."


class CrewNotFound(NotFound):
    code = "crew.not_found"
    default_message = "Crew not found."


class AssignmentNotFound(NotFound):
    code = "assignment.not_found"
    default_message = "Assignment not found."


class CrewNameTaken(Conflict):
    code = "crew.name_taken"
    default_message = "The event already has a crew of this type with this name."


class DetailsMismatch(ValidationFailed):
    code = "crew.details_mismatch"
    default_message = "Boat details belong to a CREW, tent details to a TENT."

    def __init__(self, fields: Collection[str]) -> None:
        super().__init__(errors=[FieldError(name, "not allowed for this crew type") for name in fields])


class CapacityBelowSize(Conflict):
    code = "crew.capacity_below_size"
    default_message = "The capacity cannot go below the number of people assigned to the crew."


class CrewTypeLocked(Conflict):
    code = "crew.type_locked"
    default_message = "The type of a crew cannot change once someone is assigned to it."


class CrewNotEmpty(Conflict):
    code = "crew.not_empty"
    default_message = "Only an empty crew can be deleted; unassign its members first."


class CrewFull(Conflict):
    code = "crew.full"
    default_message = "The crew has no free place."


class AlreadyAssigned(Conflict):
    code = "crew.already_assigned"
    default_message = "The participant already has an active place in a crew of this type for this event."

    def __init__(self, existing: uuid.UUID | None = None) -> None:
        super().__init__(extra={"existingAssignmentId": str(existing)} if existing else {})


class SeatTaken(Conflict):
    code = "crew.seat_taken"
    default_message = "Someone already has this seat number in the crew."


class SeatOutOfRange(RuleViolated):
    code = "crew.seat_out_of_range"
    default_message = "The seat number must be between 1 and the capacity of the crew."


class ParticipantNotConfirmed(RuleViolated):
    code = "crew.participant_not_confirmed"
    default_message = "Only participants with a confirmed booking for the event can be assigned."


class AssignmentNotActive(Conflict):
    code = "assignment.not_active"
    default_message = "The assignment has already ended (removed or transferred)."


class TransferTypeMismatch(RuleViolated):
    code = "crew.transfer_type_mismatch"
    default_message = "A transfer goes to another crew of the same type in the same event."


class TransferToSameCrew(RuleViolated):
    code = "crew.transfer_same_crew"
    default_message = "The participant is already in this crew."


class TooManyPreferences(RuleViolated):
    code = "crew.preferences_too_many"
    default_message = "Too many people listed."

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"List at most {limit} people to be with and {limit} to avoid.", extra={"limit": limit}
        )


class PreferenceNotParticipant(RuleViolated):
    code = "crew.preference_not_participant"
    default_message = "Only other confirmed participants of the event can be listed."

    def __init__(self, user_ids: Collection[uuid.UUID]) -> None:
        super().__init__(extra={"userIds": sorted(str(u) for u in user_ids)})
