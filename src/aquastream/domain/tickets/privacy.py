"""The tickets domain's part of a user's rights over their data (SPEC §2): export the tickets
of the bookings they hold; a deleted account's names and phones are erased from them (the
tickets stay, as their bookings do)."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from aquastream.domain.shared.errors import Raises
from aquastream.domain.shared.privacy import ERASED_NAME, iso
from aquastream.domain.tickets.model import SeatState, Ticket
from aquastream.ports.clock import Clock
from aquastream.ports.tickets import TicketEvents, TicketsUnitOfWork


class ExportMyTicketData:
    """Every ticket of the bookings the user holds, one per seat (their companions' seats and
    voided tickets included), in issue order: its short code, its state as the holder's list
    of tickets shows it (``ListBookingTickets``: an unchecked seat of an event that is over
    and used check-in reads NO_SHOW), when it was checked in, and the name and phone it keeps.

    The signed code of the QR image is left out: it is a credential made from the ticket (the
    holder gets it from ``/bookings/{id}/tickets``), not data about anyone.
    """

    raises: ClassVar[Raises] = ()

    def __init__(self, uow: TicketsUnitOfWork, clock: Clock, events: TicketEvents) -> None:
        self._uow = uow
        self._clock = clock
        self._events = events

    async def __call__(self, user_id: uuid.UUID) -> dict[str, Any]:
        async with self._uow.reading():
            tickets = await self._uow.tickets.for_holder(user_id)
            with_check_in = {
                event_id
                for event_id in {ticket.event_id for ticket in tickets}
                if await self._uow.tickets.any_checked_in(event_id)
            }
        over = set()
        now = self._clock.now()
        for event_id in with_check_in:
            event = await self._events.event(event_id)
            if event is not None and now >= event.ends_at:
                over.add(event_id)
        return {
            "tickets": [_ticket(t, t.state(event_over_with_check_in=t.event_id in over)) for t in tickets]
        }


class EraseTicketHolder:
    """A deleted account's tickets keep no name or phone: the holder's name copied at issue
    goes, companions' names become ``ERASED_NAME`` and their phones go, as booking erases
    them on its bookings. The tickets stay valid (their bookings stay) and their codes with
    them. Idempotent. Returns how many tickets changed."""

    raises: ClassVar[Raises] = ()

    def __init__(self, uow: TicketsUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, user_id: uuid.UUID) -> int:
        async with self._uow:
            erased = await self._uow.tickets.erase_holder(user_id, erased_name=ERASED_NAME)
            await self._uow.commit()
        return erased


def _ticket(ticket: Ticket, state: SeatState) -> dict[str, Any]:
    return {
        "id": str(ticket.id),
        "bookingId": str(ticket.booking_id),
        "eventId": str(ticket.event_id),
        "seat": ticket.seat,
        "holder": ticket.is_holder,
        "name": ticket.holder_name if ticket.is_holder else ticket.companion_name,
        "phone": ticket.companion_phone,
        "shortCode": ticket.short_code,
        "state": str(state),
        "issuedAt": iso(ticket.issued_at),
        "checkedInAt": iso(ticket.checked_in_at),
        "voidedAt": iso(ticket.voided_at),
        "noShowAt": iso(ticket.no_show_at),
    }
