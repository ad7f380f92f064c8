"""In-memory crews repositories and unit of work, and the ports crews asks of other domains
(events and their organizers, confirmed participants, names), known by hand.

Counters change in place under the database lock that the unit of work holds, which makes
each method as atomic as the single SQL statement it stands for.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from aquastream.adapters.memory.database import MemoryDatabase, MemoryUnitOfWork
from aquastream.domain.crews.errors import AlreadyAssigned, CrewNameTaken, SeatTaken
from aquastream.domain.crews.model import (
    HOLDER_SEAT,
    Assignment,
    AssignmentStatus,
    Crew,
    CrewDetails,
    CrewEvent,
    CrewType,
    ParticipantSeat,
    Participation,
    Preferences,
    Standing,
)
from aquastream.domain.shared.principal import Principal

CREWS = "crews.crews"
ASSIGNMENTS = "crews.assignments"
PREFERENCES = "crews.preferences"


class _Table:
    table_name: str

    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    @property
    def _rows(self) -> dict[Any, Any]:
        # Looked up on every use: a rollback replaces the database's tables.
        return self._db.table(self.table_name)


def _crew_order(crew: Crew) -> tuple[str, str, uuid.UUID]:
    return crew.type.value, crew.name, crew.id


class MemoryCrewRepository(_Table):
    table_name = CREWS

    def _check_name(self, crew_id: uuid.UUID, event_id: uuid.UUID, crew_type: CrewType, name: str) -> None:
        if any(
            c.id != crew_id and c.event_id == event_id and c.type is crew_type and c.name == name
            for c in self._rows.values()
        ):
            raise CrewNameTaken()

    async def add(self, crew: Crew) -> None:
        self._check_name(crew.id, crew.event_id, crew.type, crew.name)
        self._rows[crew.id] = crew

    async def get(self, crew_id: uuid.UUID) -> Crew | None:
        return self._rows.get(crew_id)

    async def list_for_event(self, event_id: uuid.UUID, crew_type: CrewType | None = None) -> list[Crew]:
        found = [c for c in self._rows.values() if c.event_id == event_id and crew_type in (None, c.type)]
        return sorted(found, key=_crew_order)

    async def lock_for_event(self, event_id: uuid.UUID, crew_type: CrewType) -> list[Crew]:
        return sorted(await self.list_for_event(event_id, crew_type), key=lambda c: c.id)

    async def update(
        self, crew_id: uuid.UUID, crew_type: CrewType, details: CrewDetails, *, now: datetime
    ) -> Crew | None:
        crew: Crew | None = self._rows.get(crew_id)
        if crew is None or crew.size > details.capacity or (crew_type is not crew.type and crew.size > 0):
            return None
        self._check_name(crew.id, crew.event_id, crew_type, details.name)
        updated = dataclasses.replace(crew, type=crew_type, details=details, updated_at=now)
        self._rows[crew_id] = updated
        return updated

    async def take_seat(self, crew_id: uuid.UUID, count: int = 1) -> Crew | None:
        crew: Crew | None = self._rows.get(crew_id)
        if crew is None or crew.size + count > crew.capacity:
            return None
        taken = dataclasses.replace(crew, size=crew.size + count)
        self._rows[crew_id] = taken
        return taken

    async def release_seat(self, crew_id: uuid.UUID) -> None:
        crew: Crew | None = self._rows.get(crew_id)
        if crew is not None and crew.size > 0:
            self._rows[crew_id] = dataclasses.replace(crew, size=crew.size - 1)

    async def delete_if_empty(self, crew_id: uuid.UUID) -> bool:
        crew: Crew | None = self._rows.get(crew_id)
        if crew is None or crew.size > 0:
            return False
        del self._rows[crew_id]
        history = self._db.table(ASSIGNMENTS)
        for assignment_id in [a.id for a in history.values() if a.crew_id == crew_id]:
            del history[assignment_id]
        return True


def _assignment_order(assignment: Assignment) -> tuple[uuid.UUID, bool, int, datetime, uuid.UUID]:
    seat = assignment.seat_number
    return assignment.crew_id, seat is None, seat or 0, assignment.assigned_at, assignment.id


class MemoryAssignmentRepository(_Table):
    table_name = ASSIGNMENTS

    def _active(self) -> list[Assignment]:
        return [a for a in self._rows.values() if a.is_active]

    async def add(self, assignment: Assignment) -> None:
        for other in self._active():
            same_place = (other.event_id, other.crew_type, other.participant)
            if same_place == (assignment.event_id, assignment.crew_type, assignment.participant):
                raise AlreadyAssigned(other.id)
            if (
                assignment.seat_number is not None
                and other.crew_id == assignment.crew_id
                and other.seat_number == assignment.seat_number
            ):
                raise SeatTaken()
        self._rows[assignment.id] = assignment

    async def add_many(self, new: Sequence[Assignment]) -> None:
        for assignment in new:
            await self.add(assignment)

    async def get(self, assignment_id: uuid.UUID) -> Assignment | None:
        return self._rows.get(assignment_id)

    async def end(
        self,
        assignment_id: uuid.UUID,
        *,
        status: AssignmentStatus,
        now: datetime,
        actor_id: uuid.UUID | None,
        transferred_to: uuid.UUID | None = None,
    ) -> Assignment | None:
        assignment: Assignment | None = self._rows.get(assignment_id)
        if assignment is None or not assignment.is_active:
            return None
        ended = dataclasses.replace(
            assignment, status=status, ended_at=now, ended_by=actor_id, transferred_to=transferred_to
        )
        self._rows[assignment_id] = ended
        return ended

    async def active_for_event(
        self, event_id: uuid.UUID, crew_type: CrewType | None = None
    ) -> list[Assignment]:
        found = [a for a in self._active() if a.event_id == event_id and crew_type in (None, a.crew_type)]
        return sorted(found, key=_assignment_order)

    async def active_for_user(self, event_id: uuid.UUID, user_id: uuid.UUID) -> list[Assignment]:
        found = [a for a in self._active() if a.event_id == event_id and a.user_id == user_id]
        return sorted(found, key=_assignment_order)

    async def list_for_user(self, user_id: uuid.UUID) -> list[Assignment]:
        found = [a for a in self._rows.values() if a.user_id == user_id]
        return sorted(found, key=lambda a: (a.assigned_at, a.id))

    async def history_of_crew(self, crew_id: uuid.UUID) -> list[Assignment]:
        found = [a for a in self._rows.values() if a.crew_id == crew_id]
        return sorted(found, key=lambda a: (a.assigned_at, a.id))


class MemoryPreferenceRepository(_Table):
    table_name = PREFERENCES

    async def put(self, preferences: Preferences, *, now: datetime) -> None:
        self._rows[(preferences.event_id, preferences.user_id)] = preferences

    async def get(self, event_id: uuid.UUID, user_id: uuid.UUID) -> Preferences:
        found: Preferences | None = self._rows.get((event_id, user_id))
        return found or Preferences(event_id, user_id)

    async def for_event(self, event_id: uuid.UUID) -> list[Preferences]:
        found = [p for p in self._rows.values() if p.event_id == event_id and (p.prefer or p.avoid)]
        return sorted(found, key=lambda p: p.user_id)

    async def for_user(self, user_id: uuid.UUID) -> list[Preferences]:
        found = [p for p in self._rows.values() if p.user_id == user_id and (p.prefer or p.avoid)]
        return sorted(found, key=lambda p: p.event_id)

    async def delete_for_user(self, user_id: uuid.UUID) -> None:
        for key in [key for key, p in self._rows.items() if p.user_id == user_id]:
            del self._rows[key]


class MemoryCrewsUnitOfWork(MemoryUnitOfWork):
    domain = "crews"

    def __init__(self, db: MemoryDatabase) -> None:
        super().__init__(db)
        self.crews = MemoryCrewRepository(db)
        self.assignments = MemoryAssignmentRepository(db)
        self.preferences = MemoryPreferenceRepository(db)


class MemoryCrewEvents:
    """Events and the owners of each organizer, set by hand; admins manage every organizer."""

    def __init__(
        self,
        events: Iterable[CrewEvent] = (),
        owners: Mapping[uuid.UUID, Iterable[uuid.UUID]] | None = None,
    ) -> None:
        self.events: dict[uuid.UUID, CrewEvent] = {event.id: event for event in events}
        self.owners: dict[uuid.UUID, set[uuid.UUID]] = {
            organizer_id: set(users) for organizer_id, users in (owners or {}).items()
        }

    async def get(self, event_id: uuid.UUID) -> CrewEvent | None:
        return self.events.get(event_id)

    async def can_manage(self, principal: Principal, organizer_id: uuid.UUID) -> bool:
        return principal.is_admin or principal.user_id in self.owners.get(organizer_id, set())


class MemoryConfirmedParticipants:
    """Crews' read model of bookings, one entry per seat
    (``bookings[(booking_id, seat)] = (event_id, user_id, standing)``, ``names`` of companions),
    filed by ``record`` or set by hand per user with ``set``."""

    def __init__(self) -> None:
        self.bookings: dict[tuple[uuid.UUID, int], tuple[uuid.UUID, uuid.UUID, Standing]] = {}
        self.names: dict[tuple[uuid.UUID, int], str] = {}

    def set(
        self, event_id: uuid.UUID, user_id: uuid.UUID, participation: Participation, companions: int = 0
    ) -> None:
        """The user's one booking for the event stands so, with ``companions`` companions
        (named "Companion 1", …) (NONE: the user has none)."""
        for key in self._bookings_of(event_id, user_id):
            del self.bookings[key]
        if participation is not Participation.NONE:
            booking_id = self.booking_of(event_id, user_id)
            for seat in range(companions + 1):
                self.bookings[(booking_id, seat)] = (event_id, user_id, Standing(participation.value))
                if seat:
                    self.names[(booking_id, seat)] = f"Companion {seat}"

    @staticmethod
    def booking_of(event_id: uuid.UUID, user_id: uuid.UUID) -> uuid.UUID:
        """The id of the booking that ``set`` files for the user."""
        return uuid.uuid5(event_id, str(user_id))

    def _bookings_of(self, event_id: uuid.UUID, user_id: uuid.UUID) -> list[tuple[uuid.UUID, int]]:
        return [
            key for key, (event, user, _) in self.bookings.items() if (event, user) == (event_id, user_id)
        ]

    def _file(
        self, booking_id: uuid.UUID, event_id: uuid.UUID, user_id: uuid.UUID, standing: Standing, seat: int
    ) -> None:
        filed = self.bookings.get((booking_id, seat))
        if filed is None or filed[2].rank < standing.rank:
            self.bookings[(booking_id, seat)] = (event_id, user_id, standing)

    def _raise_to(self, booking_id: uuid.UUID, standing: Standing) -> None:
        for (booking, seat), (event, user, filed) in list(self.bookings.items()):
            if booking == booking_id and seat != HOLDER_SEAT and filed.rank < standing.rank:
                self.bookings[(booking, seat)] = (event, user, standing)

    async def record(
        self,
        booking_id: uuid.UUID,
        event_id: uuid.UUID,
        user_id: uuid.UUID,
        standing: Standing,
        seats: Sequence[ParticipantSeat] | None = None,
    ) -> None:
        if seats is None:
            self._file(booking_id, event_id, user_id, standing, HOLDER_SEAT)
            self._raise_to(booking_id, standing)
            return
        for seat in seats:
            self._file(booking_id, event_id, user_id, standing, seat.number)
            if seat.name is not None:
                self.names[(booking_id, seat.number)] = seat.name
        holder = self.bookings.get((booking_id, HOLDER_SEAT))
        if holder is not None and holder[2].rank > standing.rank:
            self._raise_to(booking_id, holder[2])

    def _standings(self, event_id: uuid.UUID, user_id: uuid.UUID, seat: int | None) -> frozenset[Standing]:
        return frozenset(
            standing
            for (_, number), (event, user, standing) in self.bookings.items()
            if (event, user) == (event_id, user_id) and seat in (None, number)
        )

    async def participation(
        self, event_id: uuid.UUID, user_id: uuid.UUID, *, seat: int | None = 0, lock: bool = False
    ) -> Participation:
        standings = self._standings(event_id, user_id, seat)
        if Standing.CONFIRMED in standings:
            return Participation.CONFIRMED
        return Participation.COMPLETED if Standing.COMPLETED in standings else Participation.NONE

    async def confirmed(
        self, event_id: uuid.UUID, user_ids: Collection[uuid.UUID] | None = None, *, lock: bool = False
    ) -> Sequence[uuid.UUID]:
        return sorted(
            {
                user
                for (_, seat), (event, user, standing) in self.bookings.items()
                if event == event_id
                and seat == HOLDER_SEAT
                and standing is Standing.CONFIRMED
                and (user_ids is None or user in user_ids)
            }
        )

    async def confirmed_seats(
        self, event_id: uuid.UUID, *, lock: bool = False
    ) -> Sequence[tuple[uuid.UUID, int]]:
        return sorted(
            {
                (user, seat)
                for (_, seat), (event, user, standing) in self.bookings.items()
                if event == event_id and standing is Standing.CONFIRMED
            }
        )

    async def holder(self, event_id: uuid.UUID, booking_id: uuid.UUID) -> uuid.UUID | None:
        for (booking, _), (event, user, _) in self.bookings.items():
            if (booking, event) == (booking_id, event_id):
                return user
        return None

    async def companions(self, event_id: uuid.UUID) -> Mapping[tuple[uuid.UUID, int], str]:
        found: dict[tuple[uuid.UUID, int], str] = {}
        for (booking, seat), name in sorted(self.names.items()):
            filed = self.bookings.get((booking, seat))
            if filed is not None and filed[0] == event_id:
                found[(filed[1], seat)] = name
        return found

    async def erase_companions(self, user_id: uuid.UUID, *, erased_name: str) -> int:
        named = [
            key
            for key, name in self.names.items()
            if name != erased_name and key in self.bookings and self.bookings[key][1] == user_id
        ]
        for key in named:
            self.names[key] = erased_name
        return len(named)


class MemoryParticipantNames:
    """Names of people, set by hand (``known[user_id] = "First Last"``)."""

    def __init__(self) -> None:
        self.known: dict[uuid.UUID, str] = {}

    async def names(self, user_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, str]:
        return {user_id: self.known[user_id] for user_id in user_ids if user_id in self.known}
