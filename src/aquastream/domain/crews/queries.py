"""What organizers and participants read: an event's crews, one crew, the caller's own places."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import ClassVar

from aquastream.domain.crews.access import Gate
from aquastream.domain.crews.errors import CrewNotFound, EventNotFound, NotAParticipant
from aquastream.domain.crews.model import Assignment, Crew, CrewType, CrewView, MyCrew, Preferences
from aquastream.domain.shared.errors import Raises
from aquastream.domain.shared.principal import Principal
from aquastream.ports.crews import CrewsUnitOfWork


def _views(
    crews: Iterable[Crew],
    active: Iterable[Assignment],
    names: Mapping[uuid.UUID, str],
    companions: Mapping[tuple[uuid.UUID, int], str],
) -> list[CrewView]:
    members: dict[uuid.UUID, list[Assignment]] = {}
    for assignment in active:
        members.setdefault(assignment.crew_id, []).append(assignment)
    return [CrewView(crew, tuple(members.get(crew.id, ())), names, companions=companions) for crew in crews]


class ListEventCrews:
    """The crews of an event with their members, by type then name, optionally of one type.
    Members are seats of bookings: a holder is named by identity, a companion by the name
    their booking gave. For the organizer and for participants (confirmed, or completed once
    the event is over); others get 403 ``crew.not_participant``. The catalog is asked before
    crews' transaction, identity (the names) after it."""

    raises: ClassVar[Raises] = (EventNotFound, NotAParticipant)

    def __init__(self, uow: CrewsUnitOfWork, gate: Gate) -> None:
        self._uow = uow
        self._gate = gate

    async def __call__(
        self, principal: Principal, event_id: uuid.UUID, crew_type: CrewType | None = None
    ) -> list[CrewView]:
        access = await self._gate.access(principal, event_id)
        async with self._uow:
            await self._gate.visible(principal, access)
            crews = await self._uow.crews.list_for_event(event_id, crew_type)
            active = await self._uow.assignments.active_for_event(event_id, crew_type)
            companions = await self._gate.participants.companions(event_id)
        names = await self._gate.people.names({a.user_id for a in active})
        return _views(crews, active, names, companions)


class GetCrew:
    """One crew with its members, for the organizer and participants (404 for anyone else);
    the organizer also sees its history: who was removed or transferred out, and when."""

    raises: ClassVar[Raises] = (CrewNotFound,)

    def __init__(self, uow: CrewsUnitOfWork, gate: Gate) -> None:
        self._uow = uow
        self._gate = gate

    async def __call__(self, principal: Principal, crew_id: uuid.UUID) -> CrewView:
        access = await self._gate.crew_access(self._uow, principal, crew_id)
        history: tuple[Assignment, ...] = ()
        async with self._uow:
            crew = await self._gate.crew(self._uow, principal, crew_id, access)
            active = await self._uow.assignments.active_for_event(crew.event_id, crew.type)
            members = [a for a in active if a.crew_id == crew.id]
            if access.is_manager:
                history = tuple(
                    a for a in await self._uow.assignments.history_of_crew(crew.id) if not a.is_active
                )
            companions = await self._gate.participants.companions(crew.event_id)
        names = await self._gate.people.names({a.user_id for a in (*members, *history)})
        (view,) = _views([crew], members, names, companions)
        return dataclasses.replace(view, history=history) if access.is_manager else view


@dataclass(frozen=True, slots=True)
class MyCrews:
    event_id: uuid.UUID
    places: tuple[MyCrew, ...]
    preferences: Preferences
    names: Mapping[uuid.UUID, str]  # of the caller's teammates
    companions: Mapping[tuple[uuid.UUID, int], str] = dataclasses.field(default_factory=dict)


class GetMyCrews:
    """The caller's place in each crew type of the event, with their teammates, and the
    preferences they gave; the places of their companions (the seats of their booking) too,
    each a place of its own (``party_seat``), named as the booking named them. Only for
    participants of the event (403 otherwise)."""

    raises: ClassVar[Raises] = (EventNotFound, NotAParticipant)

    def __init__(self, uow: CrewsUnitOfWork, gate: Gate) -> None:
        self._uow = uow
        self._gate = gate

    async def __call__(self, principal: Principal, event_id: uuid.UUID) -> MyCrews:
        event = await self._gate.event(event_id)
        async with self._uow:
            if not await self._gate.takes_part(principal, event):
                raise NotAParticipant()
            mine = await self._uow.assignments.active_for_user(event_id, principal.user_id)
            crews = {crew.id: crew for crew in await self._uow.crews.list_for_event(event_id)}
            active = await self._uow.assignments.active_for_event(event_id)
            preferences = await self._uow.preferences.get(event_id, principal.user_id)
            companions = await self._gate.participants.companions(event_id)
        mine_crews = {a.crew_id for a in mine}
        names = await self._gate.people.names({a.user_id for a in active if a.crew_id in mine_crews})
        places = tuple(
            MyCrew(
                crews[own.crew_id],
                own,
                tuple(a for a in active if a.crew_id == own.crew_id and a.id != own.id),
            )
            for own in sorted(
                mine, key=lambda a: (a.party_seat, crews[a.crew_id].type, crews[a.crew_id].name)
            )
        )
        return MyCrews(event_id, places, preferences, names, companions)
