"""Request and response bodies of tickets, check-ins, the roster and the organizers' keys,
and the QR images of tickets."""

from __future__ import annotations

import base64
import io
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, TypedDict

from msgspec import Meta

from aquastream.adapters.http.openapi import API_PREFIX
from aquastream.adapters.http.structs import CamelStruct
from aquastream.domain.tickets.codes import PREFIX
from aquastream.domain.tickets.issuing import TicketKey
from aquastream.domain.tickets.model import SeatState, TicketView
from aquastream.domain.tickets.queries import BookingTickets

if TYPE_CHECKING:
    import segno

Code = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=400,
        description=(
            "What the scanner read: the QR image's signed code (`AQT1:…`) or the 8-character short code."
        ),
    ),
]


def ticket_path(booking_id: uuid.UUID, ticket_id: uuid.UUID) -> str:
    return f"{API_PREFIX}/bookings/{booking_id}/tickets/{ticket_id}"


class CheckInIn(CamelStruct, forbid_unknown_fields=True):
    code: Code


class _SeatFields(TypedDict):
    ticket_id: uuid.UUID
    booking_id: uuid.UUID
    event_id: uuid.UUID
    seat: int
    holder: bool
    name: str | None
    status: SeatState
    short_code: str
    checked_in_at: datetime | None
    checked_in_by: uuid.UUID | None


def _seat_fields(view: TicketView) -> _SeatFields:
    t = view.ticket
    return _SeatFields(
        ticket_id=t.id,
        booking_id=t.booking_id,
        event_id=t.event_id,
        seat=t.seat,
        holder=t.is_holder,
        name=view.name,
        status=view.state,
        short_code=t.short_code,
        checked_in_at=t.checked_in_at,
        checked_in_by=t.checked_in_by,
    )


class SeatOut(CamelStruct):
    """One seat: its ticket, whose it is and its state."""

    ticket_id: uuid.UUID
    booking_id: uuid.UUID
    event_id: uuid.UUID
    seat: int
    holder: bool
    name: str | None
    status: SeatState
    short_code: str
    checked_in_at: datetime | None
    checked_in_by: uuid.UUID | None

    @classmethod
    def of(cls, view: TicketView) -> SeatOut:
        return cls(**_seat_fields(view))


class RosterSeatOut(SeatOut):
    """A seat in the roster; a companion's phone, when given, for the organizer to call."""

    user_id: uuid.UUID
    phone: str | None

    @classmethod
    def of(cls, view: TicketView) -> RosterSeatOut:
        return cls(
            **_seat_fields(view),
            user_id=view.ticket.user_id,
            phone=view.ticket.companion_phone,
        )


class TicketOut(SeatOut):
    """A ticket: its signed code (what the QR image carries, verifiable offline with the
    organizer's public key) and links to the image."""

    code: str
    qr_png: str
    qr_svg: str

    @classmethod
    def of(cls, view: TicketView) -> TicketOut:
        path = ticket_path(view.ticket.booking_id, view.ticket.id)
        return cls(
            **_seat_fields(view),
            code=view.ticket.code,
            qr_png=f"{path}/qr.png",
            qr_svg=f"{path}/qr.svg",
        )


class BookingTicketsOut(CamelStruct):
    booking_id: uuid.UUID
    event_id: uuid.UUID
    organizer_id: uuid.UUID
    public_key_url: str
    items: list[TicketOut]

    @classmethod
    def of(cls, found: BookingTickets) -> BookingTicketsOut:
        return cls(
            booking_id=found.booking_id,
            event_id=found.event_id,
            organizer_id=found.organizer_id,
            public_key_url=f"{API_PREFIX}/organizers/{found.organizer_id}/ticket-key",
            items=[TicketOut.of(view) for view in found.tickets],
        )


class TicketKeyOut(CamelStruct):
    """The key that verifies an organizer's ticket codes offline (docs/tickets.md)."""

    organizer_id: uuid.UUID
    algorithm: str
    public_key: str  # raw 32 bytes, base64url without padding
    public_key_pem: str
    code_prefix: str

    @classmethod
    def of(cls, key: TicketKey) -> TicketKeyOut:
        return cls(
            organizer_id=key.organizer_id,
            algorithm="Ed25519",
            public_key=base64.urlsafe_b64encode(key.public_key).rstrip(b"=").decode(),
            public_key_pem=key.public_pem,
            code_prefix=PREFIX,
        )


def _qr(code: str) -> segno.QRCode:
    import segno  # when a code is first drawn: 1.7 MB a server that draws none keeps

    # Upper-case base32 after an alphanumeric prefix: segno picks the compact alphanumeric mode.
    return segno.make(code, error="m", micro=False)


def qr_png(code: str) -> bytes:
    buffer = io.BytesIO()
    _qr(code).save(buffer, kind="png", scale=5, border=4)
    return buffer.getvalue()


def qr_svg(code: str) -> bytes:
    buffer = io.BytesIO()
    _qr(code).save(buffer, kind="svg", scale=5, border=4, xmldecl=False)
    return buffer.getvalue()
