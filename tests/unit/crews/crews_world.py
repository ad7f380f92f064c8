"""A crews world on the memory adapters: an organizer, events, confirmed participants and every use case."""

from __future__ import annotations

import uuid
from typing import Any

from aquastream.adapters.memory.clock import FrozenClock
from aquastream.adapters.memory.crews import (
    ASSIGNMENTS,
    CREWS,
    MemoryConfirmedParticipants,
    MemoryCrewEvents,
    MemoryCrewsUnitOfWork,
    MemoryParticipantNames,
)
from aquastream.adapters.memory.database import MemoryDatabase
from aquastream.domain.crews.access import Gate
from aquastream.domain.crews.assign import (
    AssignParticipant,
    FileBookingStanding,
    ReleaseEndedBooking,
    TransferParticipant,
    UnassignParticipant,
)
from aquastream.domain.crews.auto import AutoAssign
from aquastream.domain.crews.crews import CreateCrew, DeleteCrew, UpdateCrew
from aquastream.domain.crews.model import (
    Assignment,
    Crew,
    CrewDetails,
    CrewEvent,
    CrewType,
    Participation,
)
from aquastream.domain.crews.policy import CrewPolicy
from aquastream.domain.crews.preferences import SetPreferences
from aquastream.domain.crews.queries import GetCrew, GetMyCrews, ListEventCrews
from aquastream.domain.shared.events import decode_event
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.principal import Principal, Role


class CrewsWorld:
    def __init__(self, policy: CrewPolicy | None = None) -> None:
        self.db = MemoryDatabase()
        self.clock = FrozenClock()
        self.organizer = Principal(new_id(), Role.ORGANIZER)
        self.rival = Principal(new_id(), Role.ORGANIZER)  # organizes other events
        self.admin = Principal(new_id(), Role.ADMIN)
        self.organizer_id = new_id()
        self.events = MemoryCrewEvents(owners={self.organizer_id: {self.organizer.user_id}})
        self.participants = MemoryConfirmedParticipants()
        self.names = MemoryParticipantNames()
        gate = Gate(self.events, self.participants, self.names)
        clock, people, uow = self.clock, self.participants, self.new_uow
        self.create_crew = CreateCrew(uow(), clock, gate)
        self.update_crew = UpdateCrew(uow(), clock, gate)
        self.delete_crew = DeleteCrew(uow(), gate)
        self.list_crews = ListEventCrews(uow(), gate)
        self.get_crew = GetCrew(uow(), gate)
        self.my_crews = GetMyCrews(uow(), gate)
        self.assign = AssignParticipant(uow(), clock, gate)
        self.unassign = UnassignParticipant(uow(), clock, gate)
        self.transfer = TransferParticipant(uow(), clock, gate)
        self.release = ReleaseEndedBooking(uow(), clock, people)
        self.file = FileBookingStanding(uow(), people)
        self.set_preferences = SetPreferences(uow(), clock, gate, policy or CrewPolicy())
        self.auto_assign = AutoAssign(uow(), clock, gate)

    def new_uow(self) -> MemoryCrewsUnitOfWork:
        return MemoryCrewsUnitOfWork(self.db)

    def new_event(self, *, is_open: bool = True) -> uuid.UUID:
        event = CrewEvent(new_id(), self.organizer_id, is_open)
        self.events.events[event.id] = event
        return event.id

    def close(self, event_id: uuid.UUID) -> None:
        self.events.events[event_id] = CrewEvent(event_id, self.organizer_id, is_open=False)

    def participant(self, event_id: uuid.UUID, status: Participation = Participation.CONFIRMED) -> Principal:
        user = Principal(new_id(), Role.USER)
        self.participants.set(event_id, user.user_id, status)
        return user

    async def crew(
        self,
        event_id: uuid.UUID,
        name: str = "Boat 1",
        crew_type: CrewType = CrewType.CREW,
        capacity: int = 4,
        **details: Any,
    ) -> Crew:
        return await self.create_crew(
            self.organizer, event_id, crew_type, CrewDetails(name=name, capacity=capacity, **details)
        )

    async def seat(self, crew: Crew, user: Principal, **options: Any) -> Assignment:
        return await self.assign(self.organizer, crew.id, user.user_id, **options)

    def stored_crew(self, crew_id: uuid.UUID) -> Crew:
        crew: Crew = self.db.table(CREWS)[crew_id]
        return crew

    def stored_assignment(self, assignment_id: uuid.UUID) -> Assignment:
        assignment: Assignment = self.db.table(ASSIGNMENTS)[assignment_id]
        return assignment

    def active_in(self, crew_id: uuid.UUID) -> list[Assignment]:
        return [a for a in self.db.table(ASSIGNMENTS).values() if a.crew_id == crew_id and a.is_active]

    def outbox(self) -> list[Any]:
        rows = sorted(self.db.table("outbox").values(), key=lambda row: row.created_at)
        return [decode_event(row.event_name, row.payload) for row in rows]

    def outbox_names(self) -> list[str]:
        return [type(event).__name__ for event in self.outbox()]

    def check_sizes(self) -> None:
        """Every crew's counter equals its active assignments and stays within capacity."""
        for crew in self.db.table(CREWS).values():
            assert crew.size == len(self.active_in(crew.id)) <= crew.capacity, crew
