"""What organizers and participants read: an event's crews, one crew, the caller's own places."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from aquastream.domain.crews.access import Gate
from aquastream.domain.crews.errors import NotAParticipant
from aquastream.domain.crews.model import Assignment, Crew, CrewType, CrewView, MyCrew, Preferences
from aquastream.domain.shared.principal import Principal
from aquastream.ports.crews import CrewsUnitOfWork


async def _views(gate: Gate, crews: Iterable[Crew], active: Iterable[Assignment]) -> list[CrewView]:
    members: dict[uuid.UUID, list[Assignment]] = {}
    for assignment in active:
        members.setdefault(assignment.crew_id, []).append(assignment)
    names = await gate.people.names({a.user_id for group in members.values() for a in group})
    return [CrewView(crew, tuple(members.get(crew.id, ())), names) for crew in crews]


class ListEventCrews:
    """The crews of an event with their members, by type then name, optionally of one type.
    For the organizer and for participants (confirmed, or completed once the event is over);
    others get 403 ``crew.not_participant``."""

    def __init__(self, uow: CrewsUnitOfWork, gate: Gate) -> None:
        self._uow = uow
        self._gate = gate

    async def __call__(
        self, principal: Principal, event_id: uuid.UUID, crew_type: CrewType | None = None
    ) -> list[CrewView]:
        async with self._uow:
            await self._gate.visible_event(principal, event_id)
            crews = await self._uow.crews.list_for_event(event_id, crew_type)
            active = await self._uow.assignments.active_for_event(event_id, crew_type)
            return await _views(self._gate, crews, active)


class GetCrew:
    """One crew with its members, for the organizer and participants (404 for anyone else);
    the organizer also sees its history: who was removed or transferred out, and when."""

    def __init__(self, uow: CrewsUnitOfWork, gate: Gate) -> None:
        self._uow = uow
        self._gate = gate

    async def __call__(self, principal: Principal, crew_id: uuid.UUID) -> CrewView:
        async with self._uow:
            crew, event = await self._gate.crew(self._uow, principal, crew_id)
            active = await self._uow.assignments.active_for_event(crew.event_id, crew.type)
            (view,) = await _views(self._gate, [crew], [a for a in active if a.crew_id == crew.id])
            if not await self._gate.is_manager(principal, event):
                return view
            history = tuple(
                a for a in await self._uow.assignments.history_of_crew(crew.id) if not a.is_active
            )
            names = await self._gate.people.names({a.user_id for a in (*view.members, *history)})
        return dataclasses.replace(view, names=names, history=history)


@dataclass(frozen=True, slots=True)
class MyCrews:
    event_id: uuid.UUID
    places: tuple[MyCrew, ...]
    preferences: Preferences
    names: Mapping[uuid.UUID, str]  # of the caller's teammates


class GetMyCrews:
    """The caller's place in each crew type of the event, with their teammates, and the
    preferences they gave. Only for participants of the event (403 otherwise)."""

    def __init__(self, uow: CrewsUnitOfWork, gate: Gate) -> None:
        self._uow = uow
        self._gate = gate

    async def __call__(self, principal: Principal, event_id: uuid.UUID) -> MyCrews:
        async with self._uow:
            event = await self._gate.event(event_id)
            if not await self._gate.takes_part(principal, event):
                raise NotAParticipant()
            mine = await self._uow.assignments.active_for_user(event_id, principal.user_id)
            crews = {crew.id: crew for crew in await self._uow.crews.list_for_event(event_id)}
            active = await self._uow.assignments.active_for_event(event_id)
            preferences = await self._uow.preferences.get(event_id, principal.user_id)
            mine_crews = {a.crew_id for a in mine}
            names = await self._gate.people.names({a.user_id for a in active if a.crew_id in mine_crews})
        places = tuple(
            MyCrew(
                crews[own.crew_id],
                own,
                tuple(a for a in active if a.crew_id == own.crew_id and a.id != own.id),
            )
            for own in sorted(mine, key=lambda a: (crews[a.crew_id].type, crews[a.crew_id].name))
        )
        return MyCrews(event_id, places, preferences, names)
