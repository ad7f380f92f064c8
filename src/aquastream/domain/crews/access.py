"""Who may see and change crews: the event's organizer (or an admin) changes them; participants
with a confirmed booking see them. Anyone else does not see a crew at all (404)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from aquastream.domain.crews.errors import (
    AssignmentNotFound,
    CrewForbidden,
    CrewNotFound,
    EventClosed,
    EventNotFound,
    NotAParticipant,
)
from aquastream.domain.crews.model import Assignment, Crew, CrewEvent, Participation
from aquastream.domain.shared.principal import Principal
from aquastream.ports.clock import Clock
from aquastream.ports.crews import ConfirmedParticipants, CrewEvents, CrewsUnitOfWork, ParticipantNames


@dataclass(frozen=True, slots=True)
class Gate:
    """The questions every crews use case asks the other domains."""

    events: CrewEvents
    participants: ConfirmedParticipants
    people: ParticipantNames

    async def event(self, event_id: uuid.UUID) -> CrewEvent:
        event = await self.events.get(event_id)
        if event is None:
            raise EventNotFound()
        return event

    async def is_manager(self, principal: Principal, event: CrewEvent) -> bool:
        return principal.is_admin or await self.events.can_manage(principal, event.organizer_id)

    async def takes_part(self, principal: Principal, event: CrewEvent) -> bool:
        participation = await self.participants.participation(event.id, principal.user_id)
        return participation is not Participation.NONE

    async def managed_event(self, principal: Principal, event_id: uuid.UUID) -> CrewEvent:
        """The event, for a change by its organizer: others get 403, a closed event 422."""
        event = await self.event(event_id)
        if not await self.is_manager(principal, event):
            raise CrewForbidden()
        if not event.is_open:
            raise EventClosed()
        return event

    async def visible_event(self, principal: Principal, event_id: uuid.UUID) -> CrewEvent:
        """The event, for its organizer or a participant; others get 403 ``crew.not_participant``."""
        event = await self.event(event_id)
        if not (await self.is_manager(principal, event) or await self.takes_part(principal, event)):
            raise NotAParticipant()
        return event

    async def crew(
        self, uow: CrewsUnitOfWork, principal: Principal, crew_id: uuid.UUID
    ) -> tuple[Crew, CrewEvent]:
        """A crew its organizer or a participant may see; anyone else gets 404."""
        crew = await uow.crews.get(crew_id)
        event = await self.events.get(crew.event_id) if crew is not None else None
        if crew is None or event is None:
            raise CrewNotFound()
        if not (await self.is_manager(principal, event) or await self.takes_part(principal, event)):
            raise CrewNotFound()
        return crew, event

    async def managed_crew(
        self, uow: CrewsUnitOfWork, principal: Principal, crew_id: uuid.UUID
    ) -> tuple[Crew, CrewEvent]:
        """A crew to change: a participant who may see it gets 403, a closed event 422."""
        crew, event = await self.crew(uow, principal, crew_id)
        if not await self.is_manager(principal, event):
            raise CrewForbidden()
        if not event.is_open:
            raise EventClosed()
        return crew, event

    async def managed_assignment(
        self, uow: CrewsUnitOfWork, principal: Principal, assignment_id: uuid.UUID
    ) -> tuple[Assignment, CrewEvent]:
        """An assignment to end or move, by the organizer of its event: a participant gets
        403, anyone else 404, a closed event 422."""
        assignment = await uow.assignments.get(assignment_id)
        event = await self.events.get(assignment.event_id) if assignment is not None else None
        if assignment is None or event is None:
            raise AssignmentNotFound()
        if not await self.is_manager(principal, event):
            if await self.takes_part(principal, event):
                raise CrewForbidden()
            raise AssignmentNotFound()
        if not event.is_open:
            raise EventClosed()
        return assignment, event


class GatedUseCase:
    """Base of the use cases that change crews: a unit of work, the clock and the gate."""

    def __init__(self, uow: CrewsUnitOfWork, clock: Clock, gate: Gate) -> None:
        self._uow = uow
        self._clock = clock
        self._gate = gate
