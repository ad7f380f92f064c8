"""Request and response bodies of bookings and waitlist entries.

Money travels as ``amount`` plus ``currency``: a string with the currency's fraction digits
(``"1500.00"`` RUB, ``"0.00"`` for a free event, ``"1000"`` JPY), never a float.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from msgspec import Meta

from aquastream.adapters.currencies import written
from aquastream.adapters.http.structs import CamelStruct
from aquastream.domain.booking.model import (
    BookingAction,
    BookingStatus,
    ParticipantContact,
    PaymentStatus,
    WaitlistPlace,
    WaitlistStatus,
)
from aquastream.domain.booking.party import CompanionRequest
from aquastream.domain.booking.views import BookedEvent, BookingView

AmountOut = Annotated[
    str,
    Meta(
        description="The price frozen at booking time, with the currency's fraction digits.",
        examples=["1500.00", "1000"],
    ),
]


class CompanionIn(CamelStruct, forbid_unknown_fields=True):
    """A companion the caller books a seat for: not a user, a name and maybe a phone."""

    name: Annotated[
        str, Meta(description="Trimmed; not empty, at most 200 characters, no control characters.")
    ]
    phone: Annotated[str | None, Meta(description="E.164, e.g. +79991234567.")] = None


class BookingIn(CamelStruct, forbid_unknown_fields=True):
    """Book a seat of a published event for the caller, and one for each companion (a group
    booking of 1 + len(companions) seats, at most ``AQUASTREAM_BOOKING_MAX_PARTY``)."""

    event_id: uuid.UUID
    companions: list[CompanionIn] = []

    def companion_requests(self) -> list[CompanionRequest]:
        return [CompanionRequest(name=c.name, phone=c.phone) for c in self.companions]


class SeatOut(CamelStruct):
    """One seat of a booking: number 0 is the holder's (no name: the profile's), 1, 2, … a
    companion's, in booking order; a cancelled companion's number is not reused."""

    number: int
    name: str | None
    phone: str | None


class WaitlistIn(CamelStruct, forbid_unknown_fields=True):
    """Queue for ``partySize`` seats: the caller's and their companions' (default 1)."""

    party_size: Annotated[int, Meta(ge=1, description="Seats asked for, the caller's included.")] = 1


class BookedOrganizerOut(CamelStruct):
    """The event's organizer; ``slug`` (its public page) and ``name`` are null only if the
    catalog no longer knows it."""

    id: uuid.UUID
    slug: str | None
    name: str | None


class BookedEventOut(CamelStruct):
    """The event a booking is for."""

    id: uuid.UUID
    title: str
    starts_at: datetime
    ends_at: datetime
    organizer: BookedOrganizerOut

    @classmethod
    def of(cls, event: BookedEvent) -> BookedEventOut:
        named = event.organizer
        return cls(
            id=event.event_id,
            title=event.title,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            organizer=BookedOrganizerOut(
                id=event.organizer_id,
                slug=named.slug if named else None,
                name=named.name if named else None,
            ),
        )


class ParticipantOut(CamelStruct):
    """Who booked, as their profile says (shown to the event's organizer and admins only);
    what the profile leaves empty is null, and a deleted account has no email."""

    first_name: str | None
    last_name: str | None
    email: str | None
    phone: str | None
    telegram: str | None

    @classmethod
    def of(cls, contact: ParticipantContact) -> ParticipantOut:
        return cls(
            first_name=contact.first_name,
            last_name=contact.last_name,
            email=contact.email,
            phone=contact.phone,
            telegram=contact.telegram,
        )


class BookingOut(CamelStruct):
    """A booking, with what the caller may do next. ``expiresAt`` is when the seat of an
    unpaid (PENDING) booking is released: the hold in force, a QR receipt under review
    included; null for free and confirmed bookings. ``actions`` lists what the caller may do
    now (``PAY``, ``CANCEL``, and for the event's organizer ``CONFIRM``, ``NO_SHOW``);
    ``paymentId`` is the open payment, if any; ``payUrl``, for the owner of a booking to pay,
    is where to pay: the open card payment's page, else the booking's pay link.
    ``partySize`` is the seats held now and ``seats`` lists them (the holder's first, then
    the active companions'); ``amount`` is what they cost.

    ``event`` is the event booked (title, start, end, organizer): in every answer but the
    one to booking a seat, which carries only the ``eventId`` asked for. ``participant`` is
    who booked, for the event's organizer and admins; null for the participant."""

    id: uuid.UUID
    event_id: uuid.UUID
    user_id: uuid.UUID
    status: BookingStatus
    payment_status: PaymentStatus
    amount: AmountOut
    currency: str
    created_at: datetime
    updated_at: datetime
    expires_at: datetime | None
    waitlist_entry_id: uuid.UUID | None
    actions: list[BookingAction]
    payment_id: uuid.UUID | None
    pay_url: str | None
    event: BookedEventOut | None
    participant: ParticipantOut | None
    party_size: int
    seats: list[SeatOut]

    @classmethod
    def of(cls, view: BookingView) -> BookingOut:
        booking = view.booking
        return cls(
            id=booking.id,
            event_id=booking.event_id,
            user_id=booking.user_id,
            status=booking.status,
            payment_status=booking.payment_status,
            amount=written(booking.amount, booking.currency),
            currency=booking.currency,
            created_at=booking.created_at,
            updated_at=booking.updated_at,
            # A hold means nothing once the booking left PENDING.
            expires_at=booking.expires_at if booking.status is BookingStatus.PENDING else None,
            waitlist_entry_id=booking.waitlist_entry_id,
            actions=list(view.actions),
            payment_id=view.payment_id,
            pay_url=view.pay_url,
            event=BookedEventOut.of(view.event) if view.event else None,
            participant=ParticipantOut.of(view.participant) if view.participant else None,
            party_size=booking.party_size,
            seats=[SeatOut(number=seat.number, name=seat.name, phone=seat.phone) for seat in booking.seats],
        )


class WaitlistPlaceOut(CamelStruct):
    """The caller's place in an event's queue. ``position`` is 1-based among the people still
    queued; ``windowExpiresAt`` is set once a seat is held for them (status NOTIFIED): until
    then only they can book it."""

    entry_id: uuid.UUID
    event_id: uuid.UUID
    status: WaitlistStatus
    position: int
    joined_at: datetime
    notified_at: datetime | None
    window_expires_at: datetime | None
    party_size: int

    @classmethod
    def of(cls, place: WaitlistPlace) -> WaitlistPlaceOut:
        entry = place.entry
        return cls(
            entry_id=entry.id,
            event_id=entry.event_id,
            status=entry.status,
            position=place.position,
            joined_at=entry.joined_at,
            notified_at=entry.notified_at,
            window_expires_at=entry.window_expires_at,
            party_size=entry.party_size,
        )
