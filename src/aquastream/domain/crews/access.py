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
class EventAccess:
    """What the catalog said of an event and the caller, asked before crews' transaction opens."""

    event: CrewEvent
    is_manager: bool


@dataclass(frozen=True, slots=True)
class Gate:
    """The questions every crews use case asks the other domains.

    The catalog and identity serve theirs on connections of their own: they are asked before
    crews' transaction opens (or after it ends), never while it holds a pooled connection,
    which would need a second one per request. Who takes part is crews' own read model and is
    asked inside the transaction (``participants`` runs on its connection)."""

    events: CrewEvents
    participants: ConfirmedParticipants
    people: ParticipantNames

    # --- before crews' transaction: the catalog's answers ------------------------------------

    async def event(self, event_id: uuid.UUID) -> CrewEvent:
        event = await self.events.get(event_id)
        if event is None:
            raise EventNotFound()
        return event

    async def is_manager(self, principal: Principal, event: CrewEvent) -> bool:
        return principal.is_admin or await self.events.can_manage(principal, event.organizer_id)

    async def access(self, principal: Principal, event_id: uuid.UUID) -> EventAccess:
        """The event (404 ``EventNotFound`` when there is none) and whether the caller manages it."""
        event = await self.event(event_id)
        return EventAccess(event, await self.is_manager(principal, event))

    async def managed_event(self, principal: Principal, event_id: uuid.UUID) -> CrewEvent:
        """The event, for a change by its organizer: others get 403, a closed event 422."""
        event = await self.event(event_id)
        if not await self.is_manager(principal, event):
            raise CrewForbidden()
        if not event.is_open:
            raise EventClosed()
        return event

    async def crew_access(
        self, uow: CrewsUnitOfWork, principal: Principal, crew_id: uuid.UUID
    ) -> EventAccess:
        """The event of a crew and the caller's standing in it (404 when either is missing): the
        crew is read in a short transaction of its own, closed before the catalog is asked."""
        async with uow:
            crew = await uow.crews.get(crew_id)
        event = await self.events.get(crew.event_id) if crew is not None else None
        if event is None:
            raise CrewNotFound()
        return EventAccess(event, await self.is_manager(principal, event))

    async def assignment_access(
        self, uow: CrewsUnitOfWork, principal: Principal, assignment_id: uuid.UUID
    ) -> EventAccess:
        """As ``crew_access``, for the event of an assignment."""
        async with uow:
            assignment = await uow.assignments.get(assignment_id)
        event = await self.events.get(assignment.event_id) if assignment is not None else None
        if event is None:
            raise AssignmentNotFound()
        return EventAccess(event, await self.is_manager(principal, event))

    # --- inside crews' transaction: its own tables and read model -----------------------------

    async def takes_part(self, principal: Principal, event: CrewEvent) -> bool:
        participation = await self.participants.participation(event.id, principal.user_id)
        return participation is not Participation.NONE

    async def visible(self, principal: Principal, access: EventAccess) -> None:
        """For its organizer or a participant; others get 403 ``crew.not_participant``."""
        if not (access.is_manager or await self.takes_part(principal, access.event)):
            raise NotAParticipant()

    async def crew(
        self, uow: CrewsUnitOfWork, principal: Principal, crew_id: uuid.UUID, access: EventAccess
    ) -> Crew:
        """A crew its organizer or a participant may see; anyone else gets 404."""
        crew = await uow.crews.get(crew_id)
        if crew is None or crew.event_id != access.event.id:
            raise CrewNotFound()
        if not (access.is_manager or await self.takes_part(principal, access.event)):
            raise CrewNotFound()
        return crew

    async def managed_crew(
        self, uow: CrewsUnitOfWork, principal: Principal, crew_id: uuid.UUID, access: EventAccess
    ) -> Crew:
        """A crew to change: a participant who may see it gets 403, a closed event 422."""
        crew = await self.crew(uow, principal, crew_id, access)
        if not access.is_manager:
            raise CrewForbidden()
        if not access.event.is_open:
            raise EventClosed()
        return crew

    async def managed_assignment(
        self, uow: CrewsUnitOfWork, principal: Principal, assignment_id: uuid.UUID, access: EventAccess
    ) -> Assignment:
        """An assignment to end or move, by the organizer of its event: a participant gets
        403, anyone else 404, a closed event 422."""
        assignment = await uow.assignments.get(assignment_id)
        if assignment is None or assignment.event_id != access.event.id:
            raise AssignmentNotFound()
        if not access.is_manager:
            if await self.takes_part(principal, access.event):
                raise CrewForbidden()
            raise AssignmentNotFound()
        if not access.event.is_open:
            raise EventClosed()
        return assignment


class GatedUseCase:
    """Base of the use cases that change crews: a unit of work, the clock and the gate."""

    def __init__(self, uow: CrewsUnitOfWork, clock: Clock, gate: Gate) -> None:
        self._uow = uow
        self._clock = clock
        self._gate = gate
