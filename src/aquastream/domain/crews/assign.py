"""Use cases that put participants into crews and take them out: assign, unassign, transfer,
and the automatic removal when a booking stops being confirmed."""

from __future__ import annotations

import uuid
from typing import ClassVar

from aquastream.domain.crews.access import GatedUseCase
from aquastream.domain.crews.errors import (
    AlreadyAssigned,
    AssignmentNotActive,
    AssignmentNotFound,
    CrewForbidden,
    CrewFull,
    CrewNotFound,
    EventClosed,
    ParticipantNotConfirmed,
    SeatOutOfRange,
    SeatTaken,
    TransferToSameCrew,
    TransferTypeMismatch,
)
from aquastream.domain.crews.model import Assignment, AssignmentStatus, Participation, Standing, Transfer
from aquastream.domain.crews.seating import ended_event, refuse_second_place, take_place
from aquastream.domain.shared.errors import Raises
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.principal import Principal
from aquastream.ports.clock import Clock
from aquastream.ports.crews import ConfirmedParticipants, CrewsUnitOfWork


async def _require_confirmed(
    participants: ConfirmedParticipants, event_id: uuid.UUID, user_id: uuid.UUID
) -> None:
    """Crews' copy of the booking is locked shared first (the first lock of every assigning
    transaction), so filing a cancellation waits for this transaction and then removes the
    new place."""
    if await participants.participation(event_id, user_id, lock=True) is not Participation.CONFIRMED:
        raise ParticipantNotConfirmed()


class AssignParticipant(GatedUseCase):
    """The organizer gives a participant a place in a crew.

    Rules: the event's organizer or an admin; only a participant with a CONFIRMED booking
    (422 ``crew.participant_not_confirmed``); one active place per crew type in the event
    (409 ``crew.already_assigned``); never above capacity, even between concurrent requests
    (409 ``crew.full``); the optional seat number lies in 1..capacity (422) and is unique in
    the crew (409 ``crew.seat_taken``); ``CrewAssigned`` commits with the place.
    """

    raises: ClassVar[Raises] = (
        AlreadyAssigned,
        CrewForbidden,
        CrewFull,
        CrewNotFound,
        EventClosed,
        ParticipantNotConfirmed,
        SeatOutOfRange,
        SeatTaken,
    )

    async def __call__(
        self,
        principal: Principal,
        crew_id: uuid.UUID,
        user_id: uuid.UUID,
        *,
        seat_number: int | None = None,
        position: str | None = None,
    ) -> Assignment:
        access = await self._gate.crew_access(self._uow, principal, crew_id)
        async with self._uow:
            crew = await self._gate.managed_crew(self._uow, principal, crew_id, access)
            await _require_confirmed(self._gate.participants, crew.event_id, user_id)
            await refuse_second_place(self._uow, crew, user_id)
            _, assignment = await take_place(
                self._uow,
                crew.id,
                user_id,
                actor_id=principal.user_id,
                now=self._clock.now(),
                seat_number=seat_number,
                position=position,
            )
            await self._uow.commit()
        return assignment


class UnassignParticipant(GatedUseCase):
    """The organizer takes a participant out of a crew: the assignment becomes REMOVED (the
    row stays as history) and the place is free again. An ended one is 409."""

    raises: ClassVar[Raises] = (AssignmentNotActive, AssignmentNotFound, CrewForbidden, EventClosed)

    async def __call__(self, principal: Principal, assignment_id: uuid.UUID) -> Assignment:
        access = await self._gate.assignment_access(self._uow, principal, assignment_id)
        async with self._uow:
            assignment = await self._gate.managed_assignment(self._uow, principal, assignment_id, access)
            now = self._clock.now()
            ended = await self._uow.assignments.end(
                assignment.id, status=AssignmentStatus.REMOVED, now=now, actor_id=principal.user_id
            )
            if ended is None:
                raise AssignmentNotActive()
            await self._uow.crews.release_seat(ended.crew_id)
            self._uow.collect(ended_event(ended, now))
            await self._uow.commit()
        return ended


class TransferParticipant(GatedUseCase):
    """The organizer moves a participant to another crew of the same type in the same event.

    Atomic: the old assignment becomes TRANSFERRED (pointing at the new one) and the new one
    ACTIVE in one transaction, or nothing changes — the person is never in neither crew or
    in both, and the target's guarded counter never lets it overfill (409 ``crew.full``).
    Crew rows are locked in id order, so that two opposite transfers cannot deadlock. The
    position carries over unless a new one is given; a seat number does not.
    """

    raises: ClassVar[Raises] = (
        AlreadyAssigned,
        AssignmentNotActive,
        AssignmentNotFound,
        CrewForbidden,
        CrewFull,
        CrewNotFound,
        EventClosed,
        ParticipantNotConfirmed,
        SeatOutOfRange,
        SeatTaken,
        TransferToSameCrew,
        TransferTypeMismatch,
    )

    async def __call__(
        self,
        principal: Principal,
        assignment_id: uuid.UUID,
        target_crew_id: uuid.UUID,
        *,
        seat_number: int | None = None,
        position: str | None = None,
    ) -> Transfer:
        access = await self._gate.assignment_access(self._uow, principal, assignment_id)
        async with self._uow:
            assignment = await self._gate.managed_assignment(self._uow, principal, assignment_id, access)
            event = access.event
            if not assignment.is_active:
                raise AssignmentNotActive()
            target = await self._uow.crews.get(target_crew_id)
            if target is None or target.event_id != event.id:
                raise CrewNotFound()
            if target.id == assignment.crew_id:
                raise TransferToSameCrew()
            if target.type is not assignment.crew_type:
                raise TransferTypeMismatch()
            await _require_confirmed(self._gate.participants, event.id, assignment.user_id)
            now = self._clock.now()
            replacement_id = new_id()
            previous = await self._uow.assignments.end(
                assignment.id,
                status=AssignmentStatus.TRANSFERRED,
                now=now,
                actor_id=principal.user_id,
                transferred_to=replacement_id,
            )
            if previous is None:
                raise AssignmentNotActive()
            self._uow.collect(ended_event(previous, now))
            release_first = previous.crew_id < target.id
            if release_first:
                await self._uow.crews.release_seat(previous.crew_id)
            _, current = await take_place(
                self._uow,
                target.id,
                previous.user_id,
                actor_id=principal.user_id,
                now=now,
                seat_number=seat_number,
                position=position if position is not None else previous.position,
                assignment_id=replacement_id,
            )
            if not release_first:
                await self._uow.crews.release_seat(previous.crew_id)
            await self._uow.commit()
        return Transfer(previous, current)


class FileBookingStanding:
    """Booking's fact that a booking is CONFIRMED or COMPLETED, filed in crews' read model of
    who takes part. Idempotent, and a late fact never undoes a later one (``Standing``)."""

    def __init__(self, uow: CrewsUnitOfWork, participants: ConfirmedParticipants) -> None:
        self._uow = uow
        self._participants = participants

    async def __call__(
        self, booking_id: uuid.UUID, event_id: uuid.UUID, user_id: uuid.UUID, standing: Standing
    ) -> None:
        async with self._uow:
            await self._participants.record(booking_id, event_id, user_id, standing)
            await self._uow.commit()


class ReleaseEndedBooking:
    """A booking stopped being CONFIRMED (cancelled, no-show): it is filed as ENDED, and its
    owner's places in the event's crews are REMOVED and freed.

    Filing waits for an assignment that holds the booking's copy (``_require_confirmed``), so
    a place given while the booking was being cancelled is removed here. Delivered at least
    once, so idempotent: a second delivery finds nothing active. If the user has a CONFIRMED
    booking for the event again (booked anew), nothing is removed.
    """

    def __init__(self, uow: CrewsUnitOfWork, clock: Clock, participants: ConfirmedParticipants) -> None:
        self._uow = uow
        self._clock = clock
        self._participants = participants

    async def __call__(self, booking_id: uuid.UUID, event_id: uuid.UUID, user_id: uuid.UUID) -> int:
        async with self._uow:
            await self._participants.record(booking_id, event_id, user_id, Standing.ENDED)
            removed = []
            if await self._participants.participation(event_id, user_id) is not Participation.CONFIRMED:
                now = self._clock.now()
                for assignment in await self._uow.assignments.active_for_user(event_id, user_id):
                    ended = await self._uow.assignments.end(
                        assignment.id, status=AssignmentStatus.REMOVED, now=now, actor_id=None
                    )
                    if ended is not None:
                        removed.append(ended)
                for ended in sorted(removed, key=lambda a: a.crew_id):
                    await self._uow.crews.release_seat(ended.crew_id)
                    self._uow.collect(ended_event(ended, now))
            await self._uow.commit()
        return len(removed)
