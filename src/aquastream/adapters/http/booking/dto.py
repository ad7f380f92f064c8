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
    PaymentStatus,
    WaitlistPlace,
    WaitlistStatus,
)
from aquastream.domain.booking.views import BookingView

AmountOut = Annotated[
    str,
    Meta(
        description="The price frozen at booking time, with the currency's fraction digits.",
        examples=["1500.00", "1000"],
    ),
]


class BookingIn(CamelStruct, forbid_unknown_fields=True):
    """Book one seat of a published event for the caller."""

    event_id: uuid.UUID


class BookingOut(CamelStruct):
    """A booking, with what the caller may do next. ``expiresAt`` is when the seat of an
    unpaid (PENDING) booking is released: the hold in force, a QR receipt under review
    included; null for free and confirmed bookings. ``actions`` lists what the caller may do
    now (``PAY``, ``CANCEL``, and for the event's organizer ``CONFIRM``, ``NO_SHOW``);
    ``paymentId`` is the open payment, if any; ``payUrl``, for the owner of a booking to pay,
    is where to pay: the open card payment's page, else the booking's pay link."""

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
        )
