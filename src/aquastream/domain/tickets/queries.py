"""What holders and organizers read: a booking's tickets (and each one's QR image), and an
event's roster of every seat with its check-in state."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from aquastream.domain.shared.errors import Raises
from aquastream.domain.shared.paging import Page, PageRequest
from aquastream.domain.shared.principal import Principal
from aquastream.domain.tickets.errors import CheckInForbidden, EventNotFound, TicketsNotFound
from aquastream.domain.tickets.model import Ticket, TicketEvent, TicketView
from aquastream.ports.clock import Clock
from aquastream.ports.tickets import HolderNames, TicketEvents, TicketsUnitOfWork


def _views(
    tickets: Sequence[Ticket], names: Mapping[uuid.UUID, str], *, over_with_check_in: bool
) -> list[TicketView]:
    return [
        TicketView(
            ticket,
            names.get(ticket.user_id, ticket.holder_name) if ticket.is_holder else ticket.companion_name,
            ticket.state(event_over_with_check_in=over_with_check_in),
        )
        for ticket in tickets
    ]


def _holders(tickets: Collection[Ticket]) -> set[uuid.UUID]:
    return {ticket.user_id for ticket in tickets if ticket.is_holder}


class _Reader:
    def __init__(
        self, uow: TicketsUnitOfWork, clock: Clock, events: TicketEvents, names: HolderNames
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._events = events
        self._names = names

    def _over(self, event: TicketEvent | None) -> bool:
        return event is not None and self._clock.now() >= event.ends_at


@dataclass(frozen=True, slots=True)
class BookingTickets:
    booking_id: uuid.UUID
    event_id: uuid.UUID
    organizer_id: uuid.UUID
    tickets: list[TicketView]


class ListBookingTickets(_Reader):
    """A booking's tickets, one per seat (voided ones too, marked VOID), by seat number.

    For the booking's holder, the event's organizer and admins; anyone else, and a booking
    with no ticket yet (not confirmed, or confirmed a moment ago), get 404
    ``ticket.not_found``. After an event that used check-in, an unchecked seat reads NO_SHOW.
    """

    raises: ClassVar[Raises] = (TicketsNotFound,)

    async def __call__(self, principal: Principal, booking_id: uuid.UUID) -> BookingTickets:
        async with self._uow.reading():
            tickets = await self._uow.tickets.for_booking(booking_id)
            checked_in = bool(tickets) and await self._uow.tickets.any_checked_in(tickets[0].event_id)
        if not tickets:
            raise TicketsNotFound()
        first = tickets[0]
        event = await self._events.event(first.event_id, principal)
        if principal.user_id != first.user_id and not (event is not None and event.caller_manages):
            raise TicketsNotFound()
        names = await self._names.names(_holders(tickets))
        views = _views(tickets, names, over_with_check_in=checked_in and self._over(event))
        return BookingTickets(booking_id, first.event_id, first.organizer_id, views)


class GetBookingTicket:
    """One ticket of a booking, for its QR image; for whoever may list the booking's tickets
    (404 ``ticket.not_found`` otherwise)."""

    raises: ClassVar[Raises] = (TicketsNotFound,)

    def __init__(self, list_tickets: ListBookingTickets) -> None:
        self._list_tickets = list_tickets

    async def __call__(self, principal: Principal, booking_id: uuid.UUID, ticket_id: uuid.UUID) -> TicketView:
        for view in (await self._list_tickets(principal, booking_id)).tickets:
            if view.ticket.id == ticket_id:
                return view
        raise TicketsNotFound()


class EventRoster(_Reader):
    """Every seat of the event with its state (CONFIRMED, CHECKED_IN, NO_SHOW, VOID) and who
    checked it in when; for whoever checks seats in at the event (its organizer's owner, its
    linked team members, admins; 403 ``ticket.forbidden``; 404 for no event). In issue order,
    then seat number: the order bookings were confirmed, each party together. Once the event
    is over, an unchecked seat reads NO_SHOW if the event used check-in at all (an event that
    never did keeps its seats CONFIRMED: nobody scanned)."""

    raises: ClassVar[Raises] = (CheckInForbidden, EventNotFound)

    async def __call__(
        self, principal: Principal, event_id: uuid.UUID, paging: PageRequest
    ) -> Page[TicketView]:
        event = await self._events.event(event_id, principal)
        if event is None:
            raise EventNotFound()
        if not event.caller_checks_in:
            raise CheckInForbidden()
        async with self._uow.reading():
            page = await self._uow.tickets.roster(event_id, paging)
            checked_in = await self._uow.tickets.any_checked_in(event_id)
        names = await self._names.names(_holders(page.items))
        views = _views(page.items, names, over_with_check_in=checked_in and self._over(event))
        return Page(views, page.total, page.page, page.size)
