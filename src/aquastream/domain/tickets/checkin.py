"""Check-in at the door: the organizer scans a ticket's QR image or types its short code."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar

from aquastream.domain.shared.errors import Raises
from aquastream.domain.shared.principal import Principal
from aquastream.domain.tickets.codes import read_short_code, read_signed_code
from aquastream.domain.tickets.errors import (
    AlreadyCheckedIn,
    CheckInForbidden,
    EventNotFound,
    ForgedTicket,
    NoShowTicket,
    TicketsNotFound,
    VoidTicket,
    WrongEventTicket,
)
from aquastream.domain.tickets.events import SeatCheckedIn
from aquastream.domain.tickets.model import SeatRef, SeatState, Ticket, TicketEvent, TicketView
from aquastream.ports.clock import Clock
from aquastream.ports.tickets import HolderNames, TicketEvents, TicketSigner, TicketsUnitOfWork


class CheckInSeat:
    """The event's organizer and its team (or an admin) check a seat in by its code, once.

    Rules:
    - only who checks seats in at the event's organizer (403 ``ticket.forbidden``; 404 for no
      event): its owner, admins, and the team members its owner linked to an account of the
      service (``caller_checks_in``). Unlinking or removing the member ends the right;
    - a signed code (``AQT1:…``) must carry a valid Ed25519 signature of the key of the
      organizer whose ticket it names (else 422 ``ticket.forged``) and be for this event
      (else 422 ``ticket.wrong_event``); a short code is looked up (404 ``ticket.not_found``,
      or 422 ``ticket.wrong_event`` when it is another event's);
    - a voided ticket is 422 ``ticket.void``, a seat recorded as a no-show 422 ``ticket.no_show``;
    - the seat is checked in by one conditional statement: of two scanners racing on one
      code, one checks it in; every later scan is 409 ``ticket.already_checked_in`` naming
      who checked it in and when. ``SeatCheckedIn`` commits with the check-in, in one
      statement where the database allows it (``at_once``).
    """

    raises: ClassVar[Raises] = (
        AlreadyCheckedIn,
        CheckInForbidden,
        EventNotFound,
        ForgedTicket,
        NoShowTicket,
        TicketsNotFound,
        VoidTicket,
        WrongEventTicket,
    )

    def __init__(
        self,
        uow: TicketsUnitOfWork,
        clock: Clock,
        events: TicketEvents,
        signer: TicketSigner,
        names: HolderNames,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._events = events
        self._signer = signer
        self._names = names

    async def __call__(self, principal: Principal, event_id: uuid.UUID, code: str) -> TicketView:
        event = await self._events.event(event_id, principal)
        if event is None:
            raise EventNotFound()
        if not event.caller_checks_in:
            raise CheckInForbidden()
        now = self._clock.now()
        # At once: the conditional check-in and its fact are the whole transaction (one
        # statement on PostgreSQL); the reads before and after it see what is committed.
        async with self._uow.at_once():
            seat = await self._signed_for_this_event(event, code)
            if seat is None:  # a short code, or a code to explain: read the ticket first
                ticket = await self._find(event, code)
                if ticket.checked_in_at is None:
                    _refuse_invalid(ticket)
                seat = ticket.seat_ref
            self._uow.collect(_checked_in(event.id, seat, by=principal.user_id, at=now))
            done = await self._uow.tickets.check_in(seat.ticket_id, by=principal.user_id, now=now)
            if done is not None:
                await self._uow.commit()
            else:
                # Checked in before (maybe by another scanner a moment ago), or not valid.
                found = await self._uow.tickets.get(seat.ticket_id)
                if found is None:
                    raise ForgedTicket()
                ticket = found
                if ticket.checked_in_at is None:
                    _refuse_invalid(ticket)
        if done is not None:
            return self._view(done)
        # Identity is asked after tickets' transaction, never while it holds a connection.
        assert ticket.checked_in_at is not None
        assert ticket.checked_in_by is not None
        names = await self._names.names({ticket.checked_in_by})
        raise AlreadyCheckedIn(
            ticket.id,
            ticket.seat,
            ticket.checked_in_by,
            ticket.checked_in_at,
            names.get(ticket.checked_in_by),
        )

    async def _signed_for_this_event(self, event: TicketEvent, code: str) -> SeatRef | None:
        """The hot path: a signed code for this event that this event's organizer's key
        verifies names its seat (the key signed the ticket's own event, booking and seat),
        with nothing read but the (cached) key. None for anything else, which ``_find``
        explains."""
        claim = read_signed_code(code)
        if claim is None or claim.event_id != event.id:
            return None
        key = await self._uow.keys.get(event.organizer_id)
        if key is None or not self._signer.verify(key.public_key, claim.message, claim.signature):
            return None
        return SeatRef(claim.ticket_id, claim.booking_id, claim.seat)

    async def _find(self, event: TicketEvent, code: str) -> Ticket:
        claim = read_signed_code(code)
        if claim is not None:
            ticket = await self._uow.tickets.get(claim.ticket_id)
            key = await self._uow.keys.get(ticket.organizer_id) if ticket is not None else None
            if (
                ticket is None
                or key is None
                or (ticket.event_id, ticket.booking_id, ticket.seat)
                != (claim.event_id, claim.booking_id, claim.seat)
                or not self._signer.verify(key.public_key, claim.message, claim.signature)
            ):
                raise ForgedTicket()
            if ticket.event_id != event.id:
                raise WrongEventTicket()
            return ticket
        short_code = read_short_code(code)
        if short_code is None:
            raise ForgedTicket()
        found = await self._uow.tickets.by_short_code(short_code)
        for ticket in found:
            if ticket.event_id == event.id:
                return ticket
        if found:
            raise WrongEventTicket()
        raise TicketsNotFound()

    @staticmethod
    def _view(ticket: Ticket) -> TicketView:
        # The name as the ticket keeps it: the door asks identity nothing.
        name = ticket.holder_name if ticket.is_holder else ticket.companion_name
        return TicketView(ticket, name, SeatState.CHECKED_IN)


def _refuse_invalid(ticket: Ticket) -> None:
    if ticket.voided_at is not None:
        raise VoidTicket()
    if ticket.no_show_at is not None:
        raise NoShowTicket()


def _checked_in(event_id: uuid.UUID, seat: SeatRef, *, by: uuid.UUID, at: datetime) -> SeatCheckedIn:
    return SeatCheckedIn(
        occurred_at=at,
        event_id=event_id,
        booking_id=seat.booking_id,
        seat=seat.seat,
        ticket_id=seat.ticket_id,
        checked_in_by=by,
        checked_in_at=at,
    )
