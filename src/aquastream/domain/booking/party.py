"""Group bookings (SPEC §12): the companions a participant books with, and cancelling one
companion's seat alone.

A booking of N seats holds its holder's seat (number 0) and N - 1 named companions' (1, 2, …
in booking order). Companions are not users: a name and maybe a phone. The seats are taken
together or not at all (``seats.take_seat`` takes N by one conditional statement), cost N
times the price, and are paid, refunded and cancelled with the booking; one companion's seat
can be cancelled alone, which frees that seat and refunds its share.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from aquastream.domain.booking.access import load_visible_booking
from aquastream.domain.booking.errors import (
    BookingNotFound,
    BookingStatusConflict,
    CompanionNotFound,
    EventAlreadyStarted,
    PartyTooLarge,
)
from aquastream.domain.booking.events import COMPANION_SEAT, CompanionSeatCancelled, RefundRequested
from aquastream.domain.booking.handover import return_seat
from aquastream.domain.booking.model import ACTIVE_STATUSES, MONEY_HELD, Booking, Companion
from aquastream.domain.booking.policy import BookingPolicy
from aquastream.domain.shared.errors import FieldError, Raises, ValidationFailed
from aquastream.domain.shared.principal import Principal
from aquastream.ports.booking import BookingUnitOfWork, OrganizerAccess
from aquastream.ports.clock import Clock

MAX_COMPANION_NAME = 200
_PHONE = re.compile(r"\+[1-9]\d{6,14}")
_PHONE_SEPARATORS = re.compile(r"[\s\-().]")


@dataclass(frozen=True, slots=True)
class CompanionRequest:
    """A companion as the participant names them, before the checks."""

    name: str
    phone: str | None = None


def party_of(requests: Sequence[CompanionRequest], policy: BookingPolicy) -> tuple[Companion, ...]:
    """The companions of a new booking, numbered from 1, after the checks:

    - the party (the holder and the companions) is at most ``policy.max_party`` seats
      (``PartyTooLarge``);
    - a name is trimmed, not empty, at most ``MAX_COMPANION_NAME`` characters and without
      control characters; a phone, when given, is in E.164 form once spaces, dashes, dots and
      brackets are dropped (``ValidationFailed`` naming ``companions[i].name``/``.phone``).
    """
    if 1 + len(requests) > policy.max_party:
        raise PartyTooLarge(policy.max_party)
    problems: list[FieldError] = []
    companions: list[Companion] = []
    for index, request in enumerate(requests):
        name = request.name.strip()
        if not name:
            problems.append(FieldError(f"companions[{index}].name", "must not be empty"))
        elif len(name) > MAX_COMPANION_NAME:
            problems.append(
                FieldError(
                    f"companions[{index}].name", f"must be at most {MAX_COMPANION_NAME} characters long"
                )
            )
        elif any(unicodedata.category(char).startswith("C") for char in name):
            problems.append(FieldError(f"companions[{index}].name", "must not contain control characters"))
        phone = None
        if request.phone is not None and request.phone.strip():
            phone = _PHONE_SEPARATORS.sub("", request.phone)
            if not _PHONE.fullmatch(phone):
                problems.append(
                    FieldError(
                        f"companions[{index}].phone",
                        "must be in international E.164 format, e.g. +79991234567",
                    )
                )
        companions.append(Companion(number=index + 1, name=name, phone=phone))
    if problems:
        raise ValidationFailed(errors=problems)
    return tuple(companions)


class CancelCompanionSeat:
    """Cancel one companion's seat of an active booking; the booking and its other seats stay.

    Rules:
    - who may cancel, and until when, as for the whole booking (``CancelBooking``): the owner
      until the event starts, the event's organizer or an admin at any time; others get 404;
    - only an active (PENDING or CONFIRMED) booking (``BookingStatusConflict``), and only a
      companion's seat that is still held (``CompanionNotFound``; the holder's seat 0 is
      cancelled with the booking);
    - the booking holds one seat fewer and costs its share less (``Booking.seat_price``), in
      one conditional statement on the locked booking row; the seat number is not reused;
    - the seat returns and, if anyone waits, goes to the queue as any freed seat does;
    - ``CompanionSeatCancelled`` is raised and, when money is held for the booking (PAID or
      PARTIALLY_REFUNDED), ``RefundRequested`` for the share (reason
      ``COMPANION_SEAT:<number>``, which payments refunds once per seat).
    """

    raises: ClassVar[Raises] = (
        BookingNotFound,
        BookingStatusConflict,
        CompanionNotFound,
        EventAlreadyStarted,
    )

    def __init__(
        self, uow: BookingUnitOfWork, clock: Clock, access: OrganizerAccess, policy: BookingPolicy
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._access = access
        self._policy = policy

    async def __call__(self, principal: Principal, booking_id: uuid.UUID, seat: int) -> Booking:
        async with self._uow:
            now = self._clock.now()
            found = await load_visible_booking(self._uow, self._access, principal, booking_id)
            # Locked before it is judged: a concurrent cancel of the booking or of another
            # companion waits here, then sees what the first one left.
            booking = await self._uow.bookings.lock(found.booking.id)
            if booking is None or booking.status not in ACTIVE_STATUSES:
                raise BookingStatusConflict()
            if not found.is_manager and found.inventory.has_started(now):
                raise EventAlreadyStarted()
            companion = booking.companion(seat)
            if companion is None or not companion.is_active:
                raise CompanionNotFound()
            share = booking.seat_price
            shrunk = await self._uow.bookings.cancel_companion(
                booking.id, seat, expected_party_size=booking.party_size, share=share, now=now
            )
            if shrunk is None:
                raise BookingStatusConflict()
            self._uow.collect(
                CompanionSeatCancelled(
                    occurred_at=now,
                    booking_id=booking.id,
                    event_id=booking.event_id,
                    user_id=booking.user_id,
                    seat=seat,
                    actor_id=principal.user_id,
                )
            )
            if shrunk.payment_status in MONEY_HELD:
                self._uow.collect(
                    RefundRequested(
                        occurred_at=now,
                        booking_id=booking.id,
                        event_id=booking.event_id,
                        user_id=booking.user_id,
                        amount=share,
                        currency=booking.currency,
                        reason=f"{COMPANION_SEAT}:{seat}",
                    )
                )
            await return_seat(self._uow, booking.event_id, now=now, policy=self._policy)
            await self._uow.commit()
        return shrunk
