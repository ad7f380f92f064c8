"""Request and response bodies of crews, assignments, preferences and auto-assignment."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Annotated

import msgspec
from msgspec import UNSET, Meta, UnsetType

from aquastream.adapters.http.structs import CamelStruct
from aquastream.domain.crews.auto import AutoAssignReport
from aquastream.domain.crews.crews import CrewChanges
from aquastream.domain.crews.model import (
    Assignment,
    AssignmentStatus,
    Crew,
    CrewDetails,
    CrewType,
    CrewView,
    Preferences,
    Transfer,
    name_of,
)
from aquastream.domain.crews.planning import UnplacedReason
from aquastream.domain.crews.queries import MyCrews

Name = Annotated[str, Meta(min_length=1, max_length=100, description="Unique within the event and type.")]
Capacity = Annotated[int, Meta(ge=1, le=1000, description="Places in the crew, at least 1.")]
Description = Annotated[str, Meta(max_length=2000)]
BoatType = Annotated[str, Meta(max_length=100, description="CREW only, e.g. raft, kayak, catamaran.")]
BoatNumber = Annotated[str, Meta(max_length=50, description="CREW only.")]
BoatCondition = Annotated[str, Meta(max_length=200, description="CREW only.")]
TentDetails = Annotated[str, Meta(max_length=500, description="TENT only: model, places, who brings it.")]
SeatNumber = Annotated[int, Meta(ge=1, description="1..capacity, unique within the crew.")]
PartySeatNumber = Annotated[
    int, Meta(ge=0, le=1000, description="The booking's seat: 0 the holder, 1, 2, … a companion.")
]
Position = Annotated[str, Meta(min_length=1, max_length=50, examples=["paddler", "helmsman"])]


class CrewIn(CamelStruct, forbid_unknown_fields=True):
    """A new crew of the event. Boat details are for CREW, tent details for TENT."""

    type: CrewType
    name: Name
    capacity: Capacity
    description: Description | None = None
    boat_type: BoatType | None = None
    boat_number: BoatNumber | None = None
    boat_condition: BoatCondition | None = None
    tent_details: TentDetails | None = None

    def to_details(self) -> CrewDetails:
        return CrewDetails(
            name=self.name,
            capacity=self.capacity,
            description=self.description,
            boat_type=self.boat_type,
            boat_number=self.boat_number,
            boat_condition=self.boat_condition,
            tent_details=self.tent_details,
        )


class CrewChangesIn(CamelStruct, forbid_unknown_fields=True):
    """Absent fields stay as they are; null clears an optional one. The capacity cannot go
    below the people assigned; the type changes only while nobody is assigned."""

    type: CrewType | UnsetType = UNSET
    name: Name | UnsetType = UNSET
    capacity: Capacity | UnsetType = UNSET
    description: Description | UnsetType | None = UNSET
    boat_type: BoatType | UnsetType | None = UNSET
    boat_number: BoatNumber | UnsetType | None = UNSET
    boat_condition: BoatCondition | UnsetType | None = UNSET
    tent_details: TentDetails | UnsetType | None = UNSET

    def to_changes(self) -> CrewChanges:
        return CrewChanges(
            type=self.type,
            name=self.name,
            capacity=self.capacity,
            description=self.description,
            boat_type=self.boat_type,
            boat_number=self.boat_number,
            boat_condition=self.boat_condition,
            tent_details=self.tent_details,
        )


class AssignmentOut(CamelStruct):
    """A place in a crew. ACTIVE now, or history: REMOVED, or TRANSFERRED to ``transferredTo``.
    It is for one seat of a booking: ``userId`` is the booking's holder, ``partySeat`` 0 the
    holder themself, 1, 2, … one of their companions."""

    id: uuid.UUID
    crew_id: uuid.UUID
    event_id: uuid.UUID
    crew_type: CrewType
    user_id: uuid.UUID
    party_seat: int
    status: AssignmentStatus
    seat_number: int | None
    position: str | None
    assigned_at: datetime
    assigned_by: uuid.UUID | None
    ended_at: datetime | None
    ended_by: uuid.UUID | None
    transferred_to: uuid.UUID | None

    @classmethod
    def of(cls, a: Assignment) -> AssignmentOut:
        return cls(
            id=a.id,
            crew_id=a.crew_id,
            event_id=a.event_id,
            crew_type=a.crew_type,
            user_id=a.user_id,
            party_seat=a.party_seat,
            status=a.status,
            seat_number=a.seat_number,
            position=a.position,
            assigned_at=a.assigned_at,
            assigned_by=a.assigned_by,
            ended_at=a.ended_at,
            ended_by=a.ended_by,
            transferred_to=a.transferred_to,
        )


class MemberOut(AssignmentOut):
    """An assignment with the person's name: the holder's as their profile gives it (``null``
    when it gives none), a companion's as their booking gave it."""

    name: str | None

    @classmethod
    def all_of(
        cls,
        assignments: Iterable[Assignment],
        names: Mapping[uuid.UUID, str],
        companions: Mapping[tuple[uuid.UUID, int], str],
    ) -> list[MemberOut]:
        return [
            cls(**msgspec.structs.asdict(AssignmentOut.of(a)), name=name_of(a, names, companions))
            for a in assignments
        ]


class CrewOut(CamelStruct):
    """A crew; ``size`` is how many are assigned, ``members`` who (by seat number).
    ``history`` (its ended assignments, oldest first) is shown to the organizer on
    ``GET /crews/{id}`` and is null elsewhere."""

    id: uuid.UUID
    event_id: uuid.UUID
    type: CrewType
    name: str
    capacity: int
    size: int
    free_seats: int
    description: str | None
    boat_type: str | None
    boat_number: str | None
    boat_condition: str | None
    tent_details: str | None
    created_at: datetime
    updated_at: datetime
    members: list[MemberOut]
    history: list[MemberOut] | None = None

    @classmethod
    def of(
        cls, crew: Crew, members: list[MemberOut] | None = None, history: list[MemberOut] | None = None
    ) -> CrewOut:
        details = crew.details
        return cls(
            id=crew.id,
            event_id=crew.event_id,
            type=crew.type,
            name=details.name,
            capacity=details.capacity,
            size=crew.size,
            free_seats=crew.free_seats,
            description=details.description,
            boat_type=details.boat_type,
            boat_number=details.boat_number,
            boat_condition=details.boat_condition,
            tent_details=details.tent_details,
            created_at=crew.created_at,
            updated_at=crew.updated_at,
            members=members or [],
            history=history,
        )

    @classmethod
    def of_view(cls, view: CrewView) -> CrewOut:
        history = (
            None if view.history is None else MemberOut.all_of(view.history, view.names, view.companions)
        )
        return cls.of(view.crew, MemberOut.all_of(view.members, view.names, view.companions), history)


class AssignIn(CamelStruct, forbid_unknown_fields=True):
    """Give a participant — one seat of a confirmed booking — a place in the crew. The booking
    is named by its holder (``userId``) or by itself (``bookingId``), or both; ``seat`` is 0
    for the holder (the default: a request naming only the user or the booking places the
    holder) and 1, 2, … for their companions, as the booking numbers them."""

    user_id: uuid.UUID | None = None
    booking_id: uuid.UUID | None = None
    seat: PartySeatNumber = 0
    seat_number: SeatNumber | None = None
    position: Position | None = None

    def __post_init__(self) -> None:
        if self.user_id is None and self.booking_id is None:
            raise ValueError("name the participant: userId or bookingId")


class TransferIn(CamelStruct, forbid_unknown_fields=True):
    """Move the participant to another crew of the same type; the position carries over
    unless given, the seat number does not."""

    crew_id: uuid.UUID
    seat_number: SeatNumber | None = None
    position: Position | None = None


class TransferOut(CamelStruct):
    previous: AssignmentOut
    current: AssignmentOut

    @classmethod
    def of(cls, transfer: Transfer) -> TransferOut:
        return cls(AssignmentOut.of(transfer.previous), AssignmentOut.of(transfer.current))


class PreferencesIn(CamelStruct, forbid_unknown_fields=True):
    """Whole lists (they replace the previous ones): other confirmed participants of the event."""

    prefer: list[uuid.UUID] = []
    avoid: list[uuid.UUID] = []


class PreferencesOut(CamelStruct):
    event_id: uuid.UUID
    user_id: uuid.UUID
    prefer: list[uuid.UUID]
    avoid: list[uuid.UUID]

    @classmethod
    def of(cls, preferences: Preferences) -> PreferencesOut:
        return cls(
            preferences.event_id, preferences.user_id, list(preferences.prefer), list(preferences.avoid)
        )


class MyPlaceOut(CamelStruct):
    """One place of the caller's party: theirs (``assignment.partySeat`` 0) or a companion's
    (``name`` then the companion's)."""

    crew: CrewOut
    assignment: AssignmentOut
    teammates: list[MemberOut]
    name: str | None = None


class MyCrewsOut(CamelStruct):
    """The caller's place in each crew type of the event (none yet: an empty list)."""

    event_id: uuid.UUID
    places: list[MyPlaceOut]
    preferences: PreferencesOut

    @classmethod
    def of(cls, mine: MyCrews) -> MyCrewsOut:
        return cls(
            event_id=mine.event_id,
            places=[
                MyPlaceOut(
                    crew=CrewOut.of(place.crew),
                    assignment=AssignmentOut.of(place.assignment),
                    teammates=MemberOut.all_of(place.teammates, mine.names, mine.companions),
                    name=mine.companions.get(place.assignment.participant),
                )
                for place in mine.places
            ],
            preferences=PreferencesOut.of(mine.preferences),
        )


class AutoAssignIn(CamelStruct, forbid_unknown_fields=True):
    """Place every unassigned confirmed participant into the crews of ``type``;
    ``dryRun`` only previews the result."""

    type: CrewType
    dry_run: bool = False


class PlacedOut(CamelStruct):
    """A seat placed: the booking's holder (``userId``) and the seat (0 the holder, 1, 2, …
    a companion)."""

    user_id: uuid.UUID
    party_seat: int
    crew_id: uuid.UUID
    crew_name: str
    assignment_id: uuid.UUID | None  # null in a dry run


class UnplacedOut(CamelStruct):
    """``NO_FREE_SEAT``: every crew is full; ``AVOIDED``: the crews with room hold someone
    this person avoids or who avoids them."""

    user_id: uuid.UUID
    party_seat: int
    reason: UnplacedReason


class AutoAssignOut(CamelStruct):
    type: CrewType
    dry_run: bool
    placed: list[PlacedOut]
    unplaced: list[UnplacedOut]
    preferences_satisfied: int
    preferences_considered: int

    @classmethod
    def of(cls, report: AutoAssignReport) -> AutoAssignOut:
        plan = report.plan
        return cls(
            type=report.crew_type,
            dry_run=not report.applied,
            placed=[
                PlacedOut(
                    user_id=report.participant(p.user_id)[0],
                    party_seat=report.participant(p.user_id)[1],
                    crew_id=p.crew_id,
                    crew_name=report.crews[p.crew_id].name,
                    assignment_id=report.assignment_ids.get(p.user_id),
                )
                for p in plan.placements
            ],
            unplaced=[UnplacedOut(*report.participant(u.user_id), u.reason) for u in plan.unplaced],
            preferences_satisfied=plan.preferences_satisfied,
            preferences_considered=plan.preferences_considered,
        )
