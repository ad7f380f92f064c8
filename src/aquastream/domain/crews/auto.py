"""Auto-assignment: the organizer places every unassigned confirmed participant of one crew type."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import ClassVar

from aquastream.domain.crews.access import GatedUseCase
from aquastream.domain.crews.errors import (
    AlreadyAssigned,
    CrewForbidden,
    CrewFull,
    EventClosed,
    EventNotFound,
    SeatTaken,
)
from aquastream.domain.crews.model import Crew, CrewType, Preferences
from aquastream.domain.crews.planning import Plan, PlanCrew, plan_crews
from aquastream.domain.crews.seating import take_places
from aquastream.domain.shared.errors import Raises
from aquastream.domain.shared.principal import Principal


@dataclass(frozen=True, slots=True)
class AutoAssignReport:
    """The plan, the crews it refers to, and whether it was written (``applied``).
    ``assignment_ids`` maps each placed user to their new assignment when applied."""

    crew_type: CrewType
    plan: Plan
    crews: dict[uuid.UUID, Crew]
    applied: bool
    assignment_ids: dict[uuid.UUID, uuid.UUID]


def _among(people: set[uuid.UUID], preferences: list[Preferences]) -> list[Preferences]:
    """The wishes between people still confirmed: someone whose booking ended since is neither
    placed nor counted as a wish that could not be met."""
    return [
        Preferences(
            p.event_id,
            p.user_id,
            tuple(u for u in p.prefer if u in people),
            tuple(u for u in p.avoid if u in people),
        )
        for p in preferences
        if p.user_id in people
    ]


def _by_crew(plan: Plan) -> dict[uuid.UUID, list[uuid.UUID]]:
    """The placements crew by crew, in the plan's order: each crew's places are taken at once."""
    people: dict[uuid.UUID, list[uuid.UUID]] = {}
    for placement in plan.placements:
        people.setdefault(placement.crew_id, []).append(placement.user_id)
    return people


class AutoAssign(GatedUseCase):
    """Place all unassigned confirmed participants into the event's crews of one type.

    The plan (``planning.plan_crews``) never exceeds capacity, never puts an avoid pair
    together, keeps prefer pairs together where possible, balances sizes and is
    deterministic. A dry run only reports it. Applying locks the participants' bookings
    (shared) and then the type's crews in id order before it reads who is where, so a
    concurrent manual assignment waits and the plan is made on what is really there; each
    crew's placements still go through its guarded counter (moved once by their number), so
    capacity holds regardless. Placements raise ``CrewAssigned`` each.
    """

    raises: ClassVar[Raises] = (
        AlreadyAssigned,
        CrewForbidden,
        CrewFull,
        EventClosed,
        EventNotFound,
        SeatTaken,
    )

    async def __call__(
        self, principal: Principal, event_id: uuid.UUID, crew_type: CrewType, *, dry_run: bool
    ) -> AutoAssignReport:
        await self._gate.managed_event(principal, event_id)
        async with self._uow:
            confirmed = await self._gate.participants.confirmed(event_id, lock=not dry_run)
            if dry_run:
                crews = await self._uow.crews.list_for_event(event_id, crew_type)
            else:
                crews = await self._uow.crews.lock_for_event(event_id, crew_type)
            active = await self._uow.assignments.active_for_event(event_id, crew_type)
            members: dict[uuid.UUID, list[uuid.UUID]] = {}
            for assignment in active:
                members.setdefault(assignment.crew_id, []).append(assignment.user_id)
            assigned = {assignment.user_id for assignment in active}
            plan = plan_crews(
                [PlanCrew(c.id, c.name, c.capacity, tuple(sorted(members.get(c.id, ())))) for c in crews],
                [user_id for user_id in confirmed if user_id not in assigned],
                _among(set(confirmed), await self._uow.preferences.for_event(event_id)),
            )
            assignment_ids: dict[uuid.UUID, uuid.UUID] = {}
            if not dry_run and plan.placements:
                now = self._clock.now()
                for crew_id, user_ids in _by_crew(plan).items():
                    for assignment in await take_places(
                        self._uow, crew_id, user_ids, actor_id=principal.user_id, now=now
                    ):
                        assignment_ids[assignment.user_id] = assignment.id
                await self._uow.commit()
        return AutoAssignReport(
            crew_type, plan, {c.id: c for c in crews}, applied=not dry_run, assignment_ids=assignment_ids
        )
