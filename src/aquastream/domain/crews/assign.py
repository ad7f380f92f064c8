"""Use cases that put participants into crews and take them out: assign, unassign, transfer,
and the automatic removal when a booking stops being confirmed."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
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
from aquastream.domain.crews.model import (
    HOLDER_SEAT,
    Assignment,
    AssignmentStatus,
    ParticipantSeat,
    Participation,
    Standing,
    Transfer,
)
from aquastream.domain.crews.seating import ended_event, refuse_second_place, take_place
from aquastream.domain.shared.errors import Raises
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.principal import Principal
from aquastream.ports.clock import Clock
from aquastream.ports.crews import ConfirmedParticipants, CrewsUnitOfWork


async def _require_confirmed(
    participants: ConfirmedParticipants, event_id: uuid.UUID, user_id: uuid.UUID, party_seat: int
) -> None:
    """Crews' copy of the booking's seat is locked shared first (the first lock of every
    assigning transaction), so filing a cancellation waits for this transaction and then
    removes the new place."""
    participation = await participants.participation(event_id, user_id, seat=party_seat, lock=True)
    if participation is not Participation.CONFIRMED:
        raise ParticipantNotConfirmed()


class AssignParticipant(GatedUseCase):
    """The organizer gives a participant — one seat of a booking: the holder (``party_seat``
    0, the default) or one of their companions (1, 2, …) — a place in a crew. The booking may
    be named instead of its holder (``booking_id``).

    Rules: the event's organizer or an admin; only a CONFIRMED seat of a CONFIRMED booking
    (422 ``crew.participant_not_confirmed``, also for a booking crews does not know or whose
    holder is not ``user_id``); one active place per seat and crew type in the event
    (409 ``crew.already_assigned``); never above capacity — every seat is one place, so a crew
    of 4 holds a holder and three companions — even between concurrent requests (409
    ``crew.full``); the optional seat number lies in 1..capacity (422) and is unique in
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
        user_id: uuid.UUID | None,
        *,
        seat_number: int | None = None,
        position: str | None = None,
        party_seat: int = HOLDER_SEAT,
        booking_id: uuid.UUID | None = None,
    ) -> Assignment:
        access = await self._gate.crew_access(self._uow, principal, crew_id)
        async with self._uow:
            crew = await self._gate.managed_crew(self._uow, principal, crew_id, access)
            if booking_id is not None:
                holder = await self._gate.participants.holder(crew.event_id, booking_id)
                if holder is None or user_id not in (None, holder):
                    raise ParticipantNotConfirmed()
                user_id = holder
            if user_id is None:
                raise ParticipantNotConfirmed()
            await _require_confirmed(self._gate.participants, crew.event_id, user_id, party_seat)
            await refuse_second_place(self._uow, crew, user_id, party_seat)
            _, assignment = await take_place(
                self._uow,
                crew.id,
                user_id,
                actor_id=principal.user_id,
                now=self._clock.now(),
                seat_number=seat_number,
                position=position,
                party_seat=party_seat,
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
            await _require_confirmed(
                self._gate.participants, event.id, assignment.user_id, assignment.party_seat
            )
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
                party_seat=previous.party_seat,
            )
            if not release_first:
                await self._uow.crews.release_seat(previous.crew_id)
            await self._uow.commit()
        return Transfer(previous, current)


class FileBookingStanding:
    """Booking's fact that a booking is CONFIRMED or COMPLETED, filed in crews' read model of
    who takes part: every seat of it (``seats``: the holder's 0 and each companion's, with
    their names; None for the whole booking as filed — a fact from before group bookings is the
    holder's seat alone). Idempotent, and a late fact never undoes a later one (``Standing``)."""

    def __init__(self, uow: CrewsUnitOfWork, participants: ConfirmedParticipants) -> None:
        self._uow = uow
        self._participants = participants

    async def __call__(
        self,
        booking_id: uuid.UUID,
        event_id: uuid.UUID,
        user_id: uuid.UUID,
        standing: Standing,
        seats: Sequence[ParticipantSeat] | None = None,
    ) -> None:
        async with self._uow:
            await self._participants.record(booking_id, event_id, user_id, standing, seats)
            await self._uow.commit()


class ReleaseEndedBooking:
    """A booking stopped being CONFIRMED (cancelled, no-show), or only one companion's seat of
    it was cancelled (``seat``): it (or that seat) is filed as ENDED, and the places in the
    event's crews of every seat no longer confirmed are REMOVED and freed — all the booking's
    seats for a whole booking, that one seat for a companion's.

    Filing waits for an assignment that holds the seat's copy (``_require_confirmed``), so
    a place given while the booking was being cancelled is removed here. Delivered at least
    once, so idempotent: a second delivery finds nothing active. If the user has a CONFIRMED
    booking for the event again (booked anew) with that seat, its place is not removed.
    """

    def __init__(self, uow: CrewsUnitOfWork, clock: Clock, participants: ConfirmedParticipants) -> None:
        self._uow = uow
        self._clock = clock
        self._participants = participants

    async def __call__(
        self, booking_id: uuid.UUID, event_id: uuid.UUID, user_id: uuid.UUID, seat: int | None = None
    ) -> int:
        async with self._uow:
            seats = None if seat is None else [ParticipantSeat(seat)]
            await self._participants.record(booking_id, event_id, user_id, Standing.ENDED, seats)
            removed = []
            now = self._clock.now()
            for assignment in await self._uow.assignments.active_for_user(event_id, user_id):
                if seat is not None and assignment.party_seat != seat:
                    continue
                participation = await self._participants.participation(
                    event_id, user_id, seat=assignment.party_seat
                )
                if participation is Participation.CONFIRMED:
                    continue
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
