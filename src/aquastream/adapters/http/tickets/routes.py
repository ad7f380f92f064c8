"""``/bookings/{id}/tickets…`` (a booking's tickets and QR images), ``/events/{id}/check-ins``
and ``/events/{id}/roster`` (the door), ``/organizers/{slug or id}/ticket-key`` (public)."""

from __future__ import annotations

import uuid

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Response, get, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED

from aquastream.adapters.http.auth import public
from aquastream.adapters.http.paging import PageNumber, PageOut, PageSize, page_request
from aquastream.adapters.http.route_options import RATE_LIMIT
from aquastream.adapters.http.tickets.dto import (
    BookingTicketsOut,
    CheckInIn,
    RosterSeatOut,
    SeatOut,
    TicketKeyOut,
    qr_png,
    qr_svg,
)
from aquastream.domain.shared.paging import DEFAULT_PAGE_SIZE
from aquastream.domain.shared.principal import Principal
from aquastream.domain.tickets.checkin import CheckInSeat
from aquastream.domain.tickets.issuing import GetTicketKey
from aquastream.domain.tickets.queries import EventRoster, GetBookingTicket, ListBookingTickets

PNG = "image/png"
SVG = "image/svg+xml"


class BookingTicketController(Controller):
    path = "/bookings"
    tags = ["tickets"]

    @get("/{booking_id:uuid}/tickets", summary="A booking's tickets, one per seat")
    @inject
    async def list_tickets(
        self,
        booking_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        list_tickets: FromDishka[ListBookingTickets],
    ) -> BookingTicketsOut:
        """Each seat's ticket (the holder's first, then companions') with its short code,
        its signed code and links to its QR image as PNG and SVG. For the holder, the event's
        organizer and admins (404 ``ticket.not_found`` for others, and until the booking is
        confirmed)."""
        return BookingTicketsOut.of(await list_tickets(caller, booking_id))

    @get(
        "/{booking_id:uuid}/tickets/{ticket_id:uuid}/qr.png",
        media_type=PNG,
        summary="A ticket's QR image (PNG)",
    )
    @inject
    async def qr_png(
        self,
        booking_id: FromPath[uuid.UUID],
        ticket_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        get_ticket: FromDishka[GetBookingTicket],
    ) -> Response[bytes]:
        """The QR image of the ticket's signed code, for whoever may see the booking's tickets."""
        view = await get_ticket(caller, booking_id, ticket_id)
        return Response(qr_png(view.ticket.code), media_type=PNG)

    @get(
        "/{booking_id:uuid}/tickets/{ticket_id:uuid}/qr.svg",
        media_type=SVG,
        summary="A ticket's QR image (SVG)",
    )
    @inject
    async def qr_svg(
        self,
        booking_id: FromPath[uuid.UUID],
        ticket_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        get_ticket: FromDishka[GetBookingTicket],
    ) -> Response[bytes]:
        """As the PNG, drawn as SVG (for print)."""
        view = await get_ticket(caller, booking_id, ticket_id)
        return Response(qr_svg(view.ticket.code), media_type=SVG)


class CheckInController(Controller):
    path = "/events"
    tags = ["tickets"]

    @post(
        "/{event_id:uuid}/check-ins",
        status_code=HTTP_201_CREATED,
        summary="Check a seat in by its ticket's code (the event's organizer)",
        # A door's scanners share the organizer's account: a budget of their own.
        opt={RATE_LIMIT: "check_in"},
    )
    @inject
    async def check_in(
        self,
        event_id: FromPath[uuid.UUID],
        data: JSONBody[CheckInIn],
        caller: FromDishka[Principal],
        check_in: FromDishka[CheckInSeat],
    ) -> SeatOut:
        """201 with the seat, now CHECKED_IN. A second scan of the same seat is 409
        ``ticket.already_checked_in`` whose body names who checked it in and when
        (``checkedInBy``, ``checkedInByName``, ``checkedInAt``)."""
        return SeatOut.of(await check_in(caller, event_id, data.code))

    @get("/{event_id:uuid}/roster", summary="Every seat of an event with its check-in state")
    @inject
    async def roster(
        self,
        event_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        roster: FromDishka[EventRoster],
        page: PageNumber = 0,
        size: PageSize = DEFAULT_PAGE_SIZE,
    ) -> PageOut[RosterSeatOut]:
        """No ``sort``: seats come in the order their bookings were confirmed, each party
        together by seat number, the one order the door list is printed in."""
        found = await roster(caller, event_id, page_request(page, size))
        return PageOut.of(found, RosterSeatOut.of)


class TicketKeyController(Controller):
    path = "/organizers"
    tags = ["tickets"]

    @public
    @get("/{slug:str}/ticket-key", summary="The public key that verifies an organizer's tickets")
    @inject
    async def ticket_key(
        self,
        slug: FromPath[str],
        get_key: FromDishka[GetTicketKey],
    ) -> TicketKeyOut:
        """By the organizer's slug or id. Public, for scanner apps that verify ticket codes
        offline: Ed25519, raw (base64url) and PEM. The key pair is made on first need."""
        return TicketKeyOut.of(await get_key(slug))
