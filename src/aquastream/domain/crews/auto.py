"""Auto-assignment: the organizer places every unassigned confirmed participant of one crew type."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
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
from aquastream.domain.crews.model import HOLDER_SEAT, Crew, CrewType, Preferences
from aquastream.domain.crews.planning import Plan, PlanCrew, plan_crews
from aquastream.domain.crews.seating import take_places
from aquastream.domain.shared.errors import Raises
from aquastream.domain.shared.principal import Principal


@dataclass(frozen=True, slots=True)
class AutoAssignReport:
    """The plan, the crews it refers to, and whether it was written (``applied``).
    The plan names participants by key: a holder by their user id, a companion's seat by
    ``seat_key``; ``seats`` maps every key back to (holder, party seat). ``assignment_ids``
    maps each placed key to its new assignment when applied."""

    crew_type: CrewType
    plan: Plan
    crews: dict[uuid.UUID, Crew]
    applied: bool
    assignment_ids: dict[uuid.UUID, uuid.UUID]
    seats: dict[uuid.UUID, tuple[uuid.UUID, int]] = field(default_factory=dict)

    def participant(self, key: uuid.UUID) -> tuple[uuid.UUID, int]:
        return self.seats.get(key, (key, HOLDER_SEAT))


def seat_key(user_id: uuid.UUID, party_seat: int) -> uuid.UUID:
    """The plan's name of a booking's seat: the holder's own user id, a stable derived id for
    each companion."""
    return user_id if party_seat == HOLDER_SEAT else uuid.uuid5(user_id, f"party-seat:{party_seat}")


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


def _by_crew(
    plan: Plan, seats: dict[uuid.UUID, tuple[uuid.UUID, int]]
) -> dict[uuid.UUID, list[tuple[uuid.UUID, int]]]:
    """The placements crew by crew, in the plan's order: each crew's places are taken at once."""
    people: dict[uuid.UUID, list[tuple[uuid.UUID, int]]] = {}
    for placement in plan.placements:
        people.setdefault(placement.crew_id, []).append(seats[placement.user_id])
    return people


class AutoAssign(GatedUseCase):
    """Place all unassigned confirmed participants — every confirmed seat of a booking, the
    holder's and their companions' — into the event's crews of one type.

    The plan (``planning.plan_crews``) never exceeds capacity, never puts an avoid pair
    together, keeps prefer pairs together where possible, balances sizes and is
    deterministic. A party (the seats of one booking) is kept together: its unassigned seats
    go whole into one crew when one has room — the crew its already placed members are in
    first — and otherwise one by one, each to the crew holding most of its party. Preferences
    are the holders' (companions have none of their own); each seat takes one place.

    A dry run only reports it. Applying locks the participants' bookings (shared) and then
    the type's crews in id order before it reads who is where, so a concurrent manual
    assignment waits and the plan is made on what is really there; each
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
            confirmed_seats = await self._gate.participants.confirmed_seats(event_id, lock=not dry_run)
            if dry_run:
                crews = await self._uow.crews.list_for_event(event_id, crew_type)
            else:
                crews = await self._uow.crews.lock_for_event(event_id, crew_type)
            active = await self._uow.assignments.active_for_event(event_id, crew_type)
            seats = {seat_key(*seat): seat for seat in confirmed_seats}
            parties: dict[uuid.UUID, list[uuid.UUID]] = {}
            for user_id, party_seat in confirmed_seats:
                parties.setdefault(user_id, []).append(seat_key(user_id, party_seat))
            members: dict[uuid.UUID, list[uuid.UUID]] = {}
            for assignment in active:
                members.setdefault(assignment.crew_id, []).append(seat_key(*assignment.participant))
            assigned = {seat_key(*assignment.participant) for assignment in active}
            holders = {user_id for user_id, party_seat in confirmed_seats if party_seat == HOLDER_SEAT}
            plan = plan_crews(
                [PlanCrew(c.id, c.name, c.capacity, tuple(sorted(members.get(c.id, ())))) for c in crews],
                [key for key in seats if key not in assigned],
                _among(holders, await self._uow.preferences.for_event(event_id)),
                parties=[party for party in parties.values() if len(party) > 1],
            )
            assignment_ids: dict[uuid.UUID, uuid.UUID] = {}
            if not dry_run and plan.placements:
                now = self._clock.now()
                for crew_id, participants in _by_crew(plan, seats).items():
                    for assignment in await take_places(
                        self._uow, crew_id, participants, actor_id=principal.user_id, now=now
                    ):
                        assignment_ids[seat_key(*assignment.participant)] = assignment.id
                await self._uow.commit()
        return AutoAssignReport(
            crew_type,
            plan,
            {c.id: c for c in crews},
            applied=not dry_run,
            assignment_ids=assignment_ids,
            seats=seats,
        )
