"""The booking domain's part of a user's rights over their data (SPEC §2): export it; a
deleted account leaves every queue and its companions' names and phones are erased (its
bookings stay, accounting needs them)."""

from __future__ import annotations

import uuid
from typing import Any

from aquastream.domain.booking.errors import WaitlistEntryNotFound
from aquastream.domain.booking.model import Booking, BookingLogEntry, WaitlistEntry
from aquastream.domain.booking.policy import BookingPolicy
from aquastream.domain.booking.waitlist import LeaveWaitlist
from aquastream.domain.shared.principal import Principal, Role
from aquastream.domain.shared.privacy import every_page, iso, money
from aquastream.ports.booking import BookingUnitOfWork
from aquastream.ports.clock import Clock
from aquastream.ports.currencies import CurrencyCatalogue


class ExportMyBookingData:
    """Every booking of the user (any status, newest first) with its status log, and the
    user's live waitlist entries.

    Bookings are kept after an account deletion (accounting needs them), so they are the
    user's data for as long as the account exists. Finished waitlist entries (left, expired,
    converted) are not listed: the port answers live ones only, and a converted entry lives
    on as its booking.
    """

    def __init__(self, uow: BookingUnitOfWork, currencies: CurrencyCatalogue) -> None:
        self._uow = uow
        self._currencies = currencies

    async def __call__(self, user_id: uuid.UUID) -> dict[str, Any]:
        async with self._uow:
            bookings = await every_page(lambda paging: self._uow.bookings.list_for_user(user_id, paging))
            logs = {b.id: await self._uow.log.list_for_booking(b.id) for b in bookings}
            waitlist = await every_page(lambda paging: self._uow.waitlist.live_for_user(user_id, paging))
        return {
            "bookings": [_booking(b, logs[b.id], self._currencies) for b in bookings],
            "waitlist": [_waitlist_entry(e) for e in waitlist],
        }


class LeaveQueuesOfDeletedUser:
    """A deleted account leaves every waitlist it is in, as if it had left each one itself
    (a NOTIFIED entry passes its held seat on): nobody can book for it any more, so keeping
    its place would only hold seats back from the people behind it. Its bookings stay.

    Each queue is left in its own transaction (one inventory lock at a time, the order every
    other writer uses). Idempotent: an entry already gone (left, lapsed, or a redelivered
    event) is skipped. Returns how many queues were left.
    """

    def __init__(self, uow: BookingUnitOfWork, clock: Clock, policy: BookingPolicy) -> None:
        self._uow = uow
        self._leave = LeaveWaitlist(uow, clock, policy)

    async def __call__(self, user_id: uuid.UUID) -> int:
        async with self._uow:
            entries = await every_page(lambda paging: self._uow.waitlist.live_for_user(user_id, paging))
        deleted_user = Principal(user_id, Role.USER)
        left = 0
        for entry in entries:
            try:
                await self._leave(deleted_user, entry.event_id)
            except WaitlistEntryNotFound:
                continue
            left += 1
        return left


class EraseCompanionsOfDeletedUser:
    """A deleted account's companions are forgotten with it: on every booking it holds, each
    companion's name becomes ``ERASED_NAME`` and the phone goes. The companions gave neither
    to us themselves (the holder named them) and nobody can ask for them any more. The seats
    stay as they were (numbers, cancellations, party size, amount), so counts, refunds,
    rosters and crews still add up, as the bookings themselves stay for accounting.

    Each booking is rewritten in its own short transaction under its row lock (the lock a
    companion's cancellation takes, so neither undoes the other). Idempotent: a booking with
    nothing left to erase is not touched. Returns how many bookings were changed.
    """

    def __init__(self, uow: BookingUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, user_id: uuid.UUID) -> int:
        async with self._uow:
            bookings = await every_page(lambda paging: self._uow.bookings.list_for_user(user_id, paging))
        erased = 0
        for booking in bookings:
            if _names_companions(booking):
                erased += await self._erase(booking.id)
        return erased

    async def _erase(self, booking_id: uuid.UUID) -> int:
        async with self._uow:
            booking = await self._uow.bookings.lock(booking_id)
            if booking is None or not _names_companions(booking):
                return 0
            erased = tuple(companion.erased() for companion in booking.companions)
            await self._uow.bookings.set_companions(booking_id, erased, now=self._clock.now())
            await self._uow.commit()
        return 1


def _names_companions(booking: Booking) -> bool:
    """Whether the booking still holds a companion's name or phone."""
    return any(companion != companion.erased() for companion in booking.companions)


def _booking(booking: Booking, log: list[BookingLogEntry], currencies: CurrencyCatalogue) -> dict[str, Any]:
    return {
        "id": str(booking.id),
        "eventId": str(booking.event_id),
        "status": str(booking.status),
        "paymentStatus": str(booking.payment_status),
        "amount": money(booking.amount, booking.currency, currencies),
        "currency": booking.currency,
        "createdAt": iso(booking.created_at),
        "updatedAt": iso(booking.updated_at),
        "expiresAt": iso(booking.expires_at),
        "partySize": booking.party_size,
        "companions": [
            {"seat": c.number, "name": c.name, "phone": c.phone, "cancelledAt": iso(c.cancelled_at)}
            for c in booking.companions
        ],
        "log": [_log_entry(entry) for entry in log],
    }


def _log_entry(entry: BookingLogEntry) -> dict[str, Any]:
    return {
        "oldStatus": str(entry.old_status) if entry.old_status else None,
        "newStatus": str(entry.new_status),
        "reason": str(entry.reason),
        "actorId": str(entry.actor_id) if entry.actor_id else None,
        "createdAt": iso(entry.created_at),
    }


def _waitlist_entry(entry: WaitlistEntry) -> dict[str, Any]:
    return {
        "id": str(entry.id),
        "eventId": str(entry.event_id),
        "position": entry.position,
        "status": str(entry.status),
        "joinedAt": iso(entry.joined_at),
        "notifiedAt": iso(entry.notified_at),
        "windowExpiresAt": iso(entry.window_expires_at),
        "partySize": entry.party_size,
    }
