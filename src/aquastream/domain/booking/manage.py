"""Use cases that move one booking along its life: cancel, confirm by hand, mark a no-show."""

from __future__ import annotations

import uuid
from typing import ClassVar

from aquastream.domain.booking.access import load_visible_booking
from aquastream.domain.booking.errors import (
    BookingForbidden,
    BookingNotFound,
    BookingStatusConflict,
    EventAlreadyStarted,
    EventNotStarted,
)
from aquastream.domain.booking.handover import return_seat
from aquastream.domain.booking.lifecycle import BookingLifecycle
from aquastream.domain.booking.model import ACTIVE_STATUSES, Booking, BookingStatus, LogReason, PaymentStatus
from aquastream.domain.booking.policy import BookingPolicy
from aquastream.domain.shared.errors import Raises
from aquastream.domain.shared.principal import Principal
from aquastream.ports.booking import BookingUnitOfWork, OrganizerAccess
from aquastream.ports.clock import Clock


class CancelBooking:
    """Cancel an active booking.

    Rules:
    - the owner, the organizer of the event or an admin may cancel; others get 404;
    - only PENDING or CONFIRMED bookings (``BookingStatusConflict``);
    - the owner may cancel until the event starts (``EventAlreadyStarted``), the organizer
      and admins at any time;
    - every seat of the booking returns (the holder's and the active companions') and, if
      anyone waits, goes to the queue;
    - money held for it (PAID, PARTIALLY_REFUNDED) goes back: the payment becomes
      REFUND_PENDING and ``RefundRequested`` is raised (the lifecycle's rule);
    - the log row and ``BookingCancelled`` commit with the change.
    """

    raises: ClassVar[Raises] = (BookingNotFound, BookingStatusConflict, EventAlreadyStarted)

    def __init__(
        self, uow: BookingUnitOfWork, clock: Clock, access: OrganizerAccess, policy: BookingPolicy
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._access = access
        self._policy = policy

    async def __call__(self, principal: Principal, booking_id: uuid.UUID) -> Booking:
        async with self._uow:
            now = self._clock.now()
            found = await load_visible_booking(self._uow, self._access, principal, booking_id)
            booking = found.booking
            if booking.status not in ACTIVE_STATUSES:
                raise BookingStatusConflict()
            if not found.is_manager and found.inventory.has_started(now):
                raise EventAlreadyStarted()
            cancelled = await BookingLifecycle(self._uow).move(
                booking.id,
                old=booking.status,
                new=BookingStatus.CANCELLED,
                reason=LogReason.CANCELLED_BY_USER if found.is_owner else LogReason.CANCELLED_BY_ORGANIZER,
                actor_id=principal.user_id,
                at=now,
            )
            if cancelled is None:
                raise BookingStatusConflict()
            await return_seat(
                self._uow, booking.event_id, now=now, policy=self._policy, seats=cancelled.party_size
            )
            await self._uow.commit()
        return cancelled


class ConfirmBooking:
    """The organizer confirms a PENDING booking by hand (paid in cash, for instance).

    Rules:
    - only the organizer of the event or an admin (the owner gets ``BookingForbidden``,
      anyone else 404);
    - only PENDING bookings (``BookingStatusConflict``); the payment becomes PAID;
    - the log row and ``BookingConfirmed`` commit with the change.
    """

    raises: ClassVar[Raises] = (BookingForbidden, BookingNotFound, BookingStatusConflict)

    def __init__(self, uow: BookingUnitOfWork, clock: Clock, access: OrganizerAccess) -> None:
        self._uow = uow
        self._clock = clock
        self._access = access

    async def __call__(self, principal: Principal, booking_id: uuid.UUID) -> Booking:
        async with self._uow:
            now = self._clock.now()
            found = await load_visible_booking(self._uow, self._access, principal, booking_id)
            if not found.is_manager:
                raise BookingForbidden()
            if found.booking.status is not BookingStatus.PENDING:
                raise BookingStatusConflict()
            confirmed = await BookingLifecycle(self._uow).move(
                booking_id,
                old=BookingStatus.PENDING,
                new=BookingStatus.CONFIRMED,
                reason=LogReason.CONFIRMED_BY_ORGANIZER,
                actor_id=principal.user_id,
                at=now,
                payment_status=PaymentStatus.PAID,
            )
            if confirmed is None:
                raise BookingStatusConflict()
            await self._uow.commit()
        return confirmed


class MarkNoShow:
    """The organizer records that a confirmed participant did not come.

    Rules:
    - only the organizer of the event or an admin (the owner gets ``BookingForbidden``);
    - only CONFIRMED bookings (``BookingStatusConflict``), and only once the event has
      started (``EventNotStarted``);
    - the seat is not returned: the event is under way;
    - the log row and ``BookingMarkedNoShow`` commit with the change.
    """

    raises: ClassVar[Raises] = (BookingForbidden, BookingNotFound, BookingStatusConflict, EventNotStarted)

    def __init__(self, uow: BookingUnitOfWork, clock: Clock, access: OrganizerAccess) -> None:
        self._uow = uow
        self._clock = clock
        self._access = access

    async def __call__(self, principal: Principal, booking_id: uuid.UUID) -> Booking:
        async with self._uow:
            now = self._clock.now()
            found = await load_visible_booking(self._uow, self._access, principal, booking_id)
            if not found.is_manager:
                raise BookingForbidden()
            if found.booking.status is not BookingStatus.CONFIRMED:
                raise BookingStatusConflict()
            if not found.inventory.has_started(now):
                raise EventNotStarted()
            marked = await BookingLifecycle(self._uow).move(
                booking_id,
                old=BookingStatus.CONFIRMED,
                new=BookingStatus.NO_SHOW,
                reason=LogReason.NO_SHOW,
                actor_id=principal.user_id,
                at=now,
            )
            if marked is None:
                raise BookingStatusConflict()
            await self._uow.commit()
        return marked
