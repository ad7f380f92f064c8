"""Use cases that read bookings: one booking, my bookings, an event's bookings and participants."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import replace
from typing import ClassVar

from aquastream.domain.booking.access import load_managed_event, load_visible_booking
from aquastream.domain.booking.errors import BookingForbidden, BookingNotFound, EventNotFound
from aquastream.domain.booking.model import (
    SEAT_HOLDING_STATUSES,
    Booking,
    BookingStatus,
    ParticipantContact,
    ParticipantRow,
)
from aquastream.domain.booking.sorting import BookingSort
from aquastream.domain.shared.errors import Raises
from aquastream.domain.shared.paging import Page, PageRequest
from aquastream.domain.shared.principal import Principal
from aquastream.ports.booking import BookingUnitOfWork, OrganizerAccess, ParticipantDirectory


class GetBooking:
    """One booking, for its owner, the organizer of its event or an admin; 404 for anyone else."""

    raises: ClassVar[Raises] = (BookingNotFound,)

    def __init__(self, uow: BookingUnitOfWork, access: OrganizerAccess) -> None:
        self._uow = uow
        self._access = access

    async def __call__(self, principal: Principal, booking_id: uuid.UUID) -> Booking:
        async with self._uow:
            found = await load_visible_booking(self._uow, self._access, principal, booking_id)
        return found.booking


class ListMyBookings:
    """The caller's bookings in ``sort`` then newest first (``sorting``), optionally only
    those in ``statuses``."""

    raises: ClassVar[Raises] = ()

    def __init__(self, uow: BookingUnitOfWork) -> None:
        self._uow = uow

    async def __call__(
        self,
        principal: Principal,
        paging: PageRequest,
        statuses: Collection[BookingStatus] = (),
        sort: BookingSort = (),
    ) -> Page[Booking]:
        async with self._uow:
            return await self._uow.bookings.list_for_user(
                principal.user_id, paging, statuses=statuses, sort=sort
            )


class ListEventBookings:
    """Bookings of one event in ``sort`` then in booking order (``sorting``), for its
    organizer or an admin (``BookingForbidden`` for others; ``EventNotFound`` for an
    unpublished event)."""

    raises: ClassVar[Raises] = (BookingForbidden, EventNotFound)

    def __init__(self, uow: BookingUnitOfWork, access: OrganizerAccess) -> None:
        self._uow = uow
        self._access = access

    async def __call__(
        self,
        principal: Principal,
        event_id: uuid.UUID,
        paging: PageRequest,
        statuses: Collection[BookingStatus] = (),
        sort: BookingSort = (),
    ) -> Page[Booking]:
        async with self._uow:
            await load_managed_event(self._uow, self._access, principal, event_id)
            return await self._uow.bookings.list_for_event(event_id, paging, statuses=statuses, sort=sort)


class ExportParticipants:
    """The participant list of an event as rows for a CSV file, for its organizer or an admin.

    Rules:
    - bookings that hold a seat (PENDING, CONFIRMED, COMPLETED, NO_SHOW) unless ``statuses``
      narrows them, in booking order; one row per seat held (group bookings: the holder's,
      then each active companion's, with the seat's share of the amount);
    - name, email, phone and Telegram come from the identity domain; a participant it no
      longer knows (a deleted account) keeps a row with empty contacts.
    """

    raises: ClassVar[Raises] = (BookingForbidden, EventNotFound)

    def __init__(
        self, uow: BookingUnitOfWork, access: OrganizerAccess, participants: ParticipantDirectory
    ) -> None:
        self._uow = uow
        self._access = access
        self._participants = participants

    async def __call__(
        self, principal: Principal, event_id: uuid.UUID, statuses: Collection[BookingStatus] = ()
    ) -> list[ParticipantRow]:
        async with self._uow:
            await load_managed_event(self._uow, self._access, principal, event_id)
            bookings = await self._uow.bookings.all_for_event(
                event_id, statuses=statuses or SEAT_HOLDING_STATUSES
            )
        # Asked once booking's transaction is over: identity answers on a connection of its own.
        contacts = await self._participants.contacts({b.user_id for b in bookings})
        return [
            row
            for b in bookings
            for row in _rows(b, contacts.get(b.user_id) or ParticipantContact(b.user_id))
        ]


def _rows(booking: Booking, contact: ParticipantContact) -> list[ParticipantRow]:
    holder = _row(booking, contact)
    if booking.party_size == 1:
        return [holder]
    share = booking.seat_price
    rows = [replace(holder, amount=share)]
    for seat in booking.seats[1:]:
        rows.append(
            replace(
                holder,
                seat=seat.number,
                first_name=seat.name,
                last_name=None,
                email=None,
                phone=seat.phone,
                telegram=None,
                amount=share,
            )
        )
    return rows


def _row(booking: Booking, contact: ParticipantContact) -> ParticipantRow:
    return ParticipantRow(
        booking_id=booking.id,
        status=booking.status,
        payment_status=booking.payment_status,
        user_id=booking.user_id,
        first_name=contact.first_name,
        last_name=contact.last_name,
        email=contact.email,
        phone=contact.phone,
        telegram=contact.telegram,
        amount=booking.amount,
        currency=booking.currency,
        booked_at=booking.created_at,
    )
