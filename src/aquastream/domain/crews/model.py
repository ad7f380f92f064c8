"""Crew entities: crews of an event, the assignments of participants to them, preferences."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class CrewType(StrEnum):
    CREW = "CREW"  # a boat
    TENT = "TENT"
    TABLE = "TABLE"
    BUS = "BUS"


class AssignmentStatus(StrEnum):
    ACTIVE = "ACTIVE"
    REMOVED = "REMOVED"
    TRANSFERRED = "TRANSFERRED"


class Participation(StrEnum):
    """What a user is to an event, as far as crews care (from its bookings' standings)."""

    CONFIRMED = "CONFIRMED"  # may be assigned, sees the crews
    COMPLETED = "COMPLETED"  # the event is over: still sees the crews, is not assigned any more
    NONE = "NONE"


class Standing(StrEnum):
    """Where a booking stands, as crews files it from booking's facts: CONFIRMED, then
    COMPLETED or ENDED (cancelled, no-show). A booking never goes back, so a late or repeated
    fact never undoes a later one."""

    CONFIRMED = "CONFIRMED"
    COMPLETED = "COMPLETED"
    ENDED = "ENDED"

    @property
    def rank(self) -> int:
        return _STANDING_RANK[self]


_STANDING_RANK = {Standing.CONFIRMED: 1, Standing.COMPLETED: 2, Standing.ENDED: 3}


class PreferenceKind(StrEnum):
    PREFER = "PREFER"
    AVOID = "AVOID"


HOLDER_SEAT = 0  # a booking's own seat, its holder's; 1, 2, … are named companions'


@dataclass(frozen=True, slots=True)
class ParticipantSeat:
    """One seat of a booking as crews files it: number 0 is the holder (named by identity),
    1, 2, … a companion named only by the booking (``name``)."""

    number: int
    name: str | None = None


@dataclass(frozen=True, slots=True)
class CrewEvent:
    """The event a crew belongs to, as the catalog knows it. ``is_open`` is False once the
    event is cancelled or completed: its crews are then read-only."""

    id: uuid.UUID
    organizer_id: uuid.UUID
    is_open: bool


@dataclass(frozen=True, slots=True)
class CrewDetails:
    """What the organizer says about a crew: boat details only for CREW, tent details only for TENT."""

    name: str
    capacity: int
    description: str | None = None
    boat_type: str | None = None
    boat_number: str | None = None
    boat_condition: str | None = None
    tent_details: str | None = None


@dataclass(frozen=True, slots=True)
class Crew:
    """A group inside one event. ``size`` counts the ACTIVE assignments; every change of it is
    one guarded statement in the adapters, so that ``0 <= size <= capacity`` always holds."""

    id: uuid.UUID
    event_id: uuid.UUID
    type: CrewType
    details: CrewDetails
    size: int
    created_at: datetime
    updated_at: datetime

    @property
    def name(self) -> str:
        return self.details.name

    @property
    def capacity(self) -> int:
        return self.details.capacity

    @property
    def free_seats(self) -> int:
        return self.details.capacity - self.size


@dataclass(frozen=True, slots=True)
class Assignment:
    """One participant's place in a crew. Ending it (REMOVED, TRANSFERRED) keeps the row:
    the history of who sat where stays. ``crew_type`` copies the crew's type, which cannot
    change while anyone is assigned; ``transferred_to`` is the assignment that replaced it.
    A participant is one seat of a booking: ``user_id`` is the booking's holder and
    ``party_seat`` the seat (0 the holder themself, 1, 2, … their companions)."""

    id: uuid.UUID
    crew_id: uuid.UUID
    event_id: uuid.UUID
    crew_type: CrewType
    user_id: uuid.UUID
    status: AssignmentStatus
    assigned_at: datetime
    assigned_by: uuid.UUID | None
    seat_number: int | None = None
    position: str | None = None
    ended_at: datetime | None = None
    ended_by: uuid.UUID | None = None  # None when the system ended it (the booking stopped)
    transferred_to: uuid.UUID | None = None
    party_seat: int = HOLDER_SEAT

    @property
    def participant(self) -> tuple[uuid.UUID, int]:
        """The holder and the seat: who this place is for."""
        return self.user_id, self.party_seat

    @property
    def is_active(self) -> bool:
        return self.status is AssignmentStatus.ACTIVE


@dataclass(frozen=True, slots=True)
class Preferences:
    """Whom a participant wants to be with (``prefer``) and not to be with (``avoid``) in
    every crew type of one event."""

    event_id: uuid.UUID
    user_id: uuid.UUID
    prefer: tuple[uuid.UUID, ...] = ()
    avoid: tuple[uuid.UUID, ...] = ()


@dataclass(frozen=True, slots=True)
class CrewView:
    """A crew with its active members, ordered by seat number then assignment time, and the
    names of the people in it (``names`` of holders by user id, ``companions`` by holder and
    seat). ``history`` (its ended assignments, oldest first) is looked up for the organizer
    only, None otherwise."""

    crew: Crew
    members: tuple[Assignment, ...]
    names: Mapping[uuid.UUID, str] = field(default_factory=dict)
    history: tuple[Assignment, ...] | None = None
    companions: Mapping[tuple[uuid.UUID, int], str] = field(default_factory=dict)

    def name_of(self, assignment: Assignment) -> str | None:
        return name_of(assignment, self.names, self.companions)


def name_of(
    assignment: Assignment, names: Mapping[uuid.UUID, str], companions: Mapping[tuple[uuid.UUID, int], str]
) -> str | None:
    """The holder's name from identity, a companion's as their booking gave it."""
    if assignment.party_seat == HOLDER_SEAT:
        return names.get(assignment.user_id)
    return companions.get(assignment.participant)


@dataclass(frozen=True, slots=True)
class MyCrew:
    """The caller's place in one crew type of an event and the people with them."""

    crew: Crew
    assignment: Assignment
    teammates: tuple[Assignment, ...]


@dataclass(frozen=True, slots=True)
class Transfer:
    """The ended assignment and the one that replaced it in the target crew."""

    previous: Assignment
    current: Assignment
