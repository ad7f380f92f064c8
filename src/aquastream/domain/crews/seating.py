"""The two writes every placement and every removal makes, shared by the use cases: the crew's
guarded counter and the assignment row, with the events they raise."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from aquastream.domain.crews.errors import AlreadyAssigned, CrewFull, SeatOutOfRange
from aquastream.domain.crews.events import CrewAssigned, CrewAssignmentEnded
from aquastream.domain.crews.model import HOLDER_SEAT, Assignment, AssignmentStatus, Crew
from aquastream.domain.shared.ids import new_id
from aquastream.ports.crews import CrewsUnitOfWork


async def refuse_second_place(
    uow: CrewsUnitOfWork, crew: Crew, user_id: uuid.UUID, party_seat: int = HOLDER_SEAT
) -> None:
    """``AlreadyAssigned`` (naming the place) when the participant (the user's seat) has a crew
    of this type already. A read for a clear answer: the unique index still decides between
    racing inserts."""
    for assignment in await uow.assignments.active_for_user(crew.event_id, user_id):
        if assignment.crew_type is crew.type and assignment.party_seat == party_seat:
            raise AlreadyAssigned(assignment.id)


async def take_place(
    uow: CrewsUnitOfWork,
    crew_id: uuid.UUID,
    user_id: uuid.UUID,
    *,
    actor_id: uuid.UUID | None,
    now: datetime,
    seat_number: int | None = None,
    position: str | None = None,
    assignment_id: uuid.UUID | None = None,
    party_seat: int = HOLDER_SEAT,
) -> tuple[Crew, Assignment]:
    """Take a free place of the crew (``CrewFull`` when there is none) and record the ACTIVE
    assignment; ``CrewAssigned`` commits with it."""
    crew = await uow.crews.take_seat(crew_id)
    if crew is None:
        raise CrewFull()
    if seat_number is not None and not 1 <= seat_number <= crew.capacity:
        raise SeatOutOfRange(extra={"capacity": crew.capacity})
    assignment = _placed(crew, user_id, actor_id, now, seat_number, position, assignment_id, party_seat)
    await uow.assignments.add(assignment)
    uow.collect(_assigned(crew, assignment))
    return crew, assignment


async def take_places(
    uow: CrewsUnitOfWork,
    crew_id: uuid.UUID,
    participants: Sequence[tuple[uuid.UUID, int]],
    *,
    actor_id: uuid.UUID | None,
    now: datetime,
) -> list[Assignment]:
    """``take_place`` for several participants (holder, party seat) at once (auto-assignment):
    the crew's counter moves by their number in one guarded step (``CrewFull`` when it has
    fewer free places) and the assignments go in together, each with its ``CrewAssigned``."""
    crew = await uow.crews.take_seat(crew_id, len(participants))
    if crew is None:
        raise CrewFull()
    placed = [
        _placed(crew, user_id, actor_id, now, party_seat=party_seat) for user_id, party_seat in participants
    ]
    await uow.assignments.add_many(placed)
    for assignment in placed:
        uow.collect(_assigned(crew, assignment))
    return placed


def _placed(
    crew: Crew,
    user_id: uuid.UUID,
    actor_id: uuid.UUID | None,
    now: datetime,
    seat_number: int | None = None,
    position: str | None = None,
    assignment_id: uuid.UUID | None = None,
    party_seat: int = HOLDER_SEAT,
) -> Assignment:
    return Assignment(
        id=assignment_id or new_id(),
        crew_id=crew.id,
        event_id=crew.event_id,
        crew_type=crew.type,
        user_id=user_id,
        status=AssignmentStatus.ACTIVE,
        assigned_at=now,
        assigned_by=actor_id,
        seat_number=seat_number,
        position=position,
        party_seat=party_seat,
    )


def _assigned(crew: Crew, assignment: Assignment) -> CrewAssigned:
    return CrewAssigned(
        occurred_at=assignment.assigned_at,
        assignment_id=assignment.id,
        user_id=assignment.user_id,
        event_id=crew.event_id,
        crew_id=crew.id,
        crew_name=crew.name,
        crew_type=crew.type.value,
        seat_number=assignment.seat_number,
        position=assignment.position,
        party_seat=assignment.party_seat,
    )


def ended_event(assignment: Assignment, now: datetime) -> CrewAssignmentEnded:
    return CrewAssignmentEnded(
        occurred_at=now,
        assignment_id=assignment.id,
        user_id=assignment.user_id,
        event_id=assignment.event_id,
        crew_id=assignment.crew_id,
        status=assignment.status.value,
        actor_id=assignment.ended_by,
        party_seat=assignment.party_seat,
    )
