"""The booking state machine (SPEC §4): every status change of a booking goes through here.

``TRANSITIONS`` is the whole machine: which status may follow which, and for what reasons.
``BookingLifecycle`` applies one transition as a conditional statement and writes what every
transition writes with it: the booking-log row and the domain events. Use cases decide
*whether* a booking moves; how a move is recorded and announced is decided once, here.

Rules that follow from a transition rather than from the use case that asked for it:

- a booking that reaches CONFIRMED raises ``BookingConfirmed`` naming every seat it holds
  (the holder's first, then the active companions'); CANCELLED raises
  ``BookingCancelled``; EXPIRED ``BookingExpired``; NO_SHOW ``BookingMarkedNoShow``;
  COMPLETED ``BookingCompleted`` (crews keeps who took part);
- a booking cancelled while money is held for it (payment PAID or PARTIALLY_REFUNDED) has its
  payment set to REFUND_PENDING, and ``RefundRequested`` asks payments to return the rest;
- EXPIRED → CONFIRMED exists for one reason only: a payment that arrived after the hold ended
  and re-took a seat (``PAID_AFTER_EXPIRY``). It is the one way back from a final status.

Payment statuses of a booking follow ``PAYMENT_TRANSITIONS`` (a separate axis: a refund does
not change the booking's status).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from datetime import datetime

from aquastream.domain.booking.events import (
    BookingCancelled,
    BookingCompleted,
    BookingConfirmed,
    BookingCreated,
    BookingExpired,
    BookingMarkedNoShow,
    RefundRequested,
)
from aquastream.domain.booking.model import Booking, BookingStatus, LogReason, PaymentStatus
from aquastream.domain.booking.records import log_entry
from aquastream.domain.shared.events import DomainEvent
from aquastream.ports.booking import BookingUnitOfWork

_CANCEL_REASONS = frozenset(
    {LogReason.CANCELLED_BY_USER, LogReason.CANCELLED_BY_ORGANIZER, LogReason.EVENT_CANCELLED}
)
_BOOKED = frozenset({LogReason.BOOKED, LogReason.BOOKED_FROM_WAITLIST})

# (from, to) → the reasons for which the move is allowed. ``None`` is "not yet created".
TRANSITIONS: Mapping[tuple[BookingStatus | None, BookingStatus], frozenset[LogReason]] = {
    (None, BookingStatus.PENDING): _BOOKED,
    (None, BookingStatus.CONFIRMED): _BOOKED,
    (BookingStatus.PENDING, BookingStatus.CONFIRMED): frozenset(
        {LogReason.PAID, LogReason.CONFIRMED_BY_ORGANIZER}
    ),
    (BookingStatus.PENDING, BookingStatus.EXPIRED): frozenset({LogReason.HOLD_EXPIRED}),
    (BookingStatus.PENDING, BookingStatus.CANCELLED): _CANCEL_REASONS,
    (BookingStatus.CONFIRMED, BookingStatus.CANCELLED): _CANCEL_REASONS,
    (BookingStatus.CONFIRMED, BookingStatus.COMPLETED): frozenset({LogReason.EVENT_COMPLETED}),
    (BookingStatus.CONFIRMED, BookingStatus.NO_SHOW): frozenset({LogReason.NO_SHOW}),
    (BookingStatus.EXPIRED, BookingStatus.CONFIRMED): frozenset({LogReason.PAID_AFTER_EXPIRY}),
}

PAYMENT_TRANSITIONS: frozenset[tuple[PaymentStatus, PaymentStatus]] = frozenset(
    {
        (PaymentStatus.PENDING, PaymentStatus.PAID),  # paid in time, or confirmed by hand
        (PaymentStatus.PENDING, PaymentStatus.REFUND_PENDING),  # paid too late, no seat left
        (PaymentStatus.PAID, PaymentStatus.REFUND_PENDING),  # cancelled after paying
        (PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUND_PENDING),
        (PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED),  # the organizer refunded a part
        (PaymentStatus.PAID, PaymentStatus.REFUNDED),  # … or all of it
        (PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED),
        (PaymentStatus.REFUND_PENDING, PaymentStatus.REFUNDED),
    }
)


class IllegalTransition(RuntimeError):
    """A use case asked for a move the machine does not have: a bug, never a user error."""


def check_transition(old: BookingStatus | None, new: BookingStatus, reason: LogReason) -> None:
    if reason not in TRANSITIONS.get((old, new), frozenset()):
        raise IllegalTransition(f"{old} → {new} ({reason}) is not a booking transition")


def check_payment_transition(old: PaymentStatus, new: PaymentStatus) -> None:
    if (old, new) not in PAYMENT_TRANSITIONS:
        raise IllegalTransition(f"payment {old} → {new} is not a booking payment transition")


def _events(
    old: BookingStatus | None,
    booking: Booking,
    reason: LogReason,
    actor_id: uuid.UUID | None,
    at: datetime,
    pay_url: str | None = None,
) -> list[DomainEvent]:
    """What a booking that has just reached its status announces."""
    ids = {"booking_id": booking.id, "event_id": booking.event_id, "user_id": booking.user_id}
    found: list[DomainEvent] = []
    if old is None:
        found.append(
            BookingCreated(
                occurred_at=at,
                status=booking.status,
                payment_status=booking.payment_status,
                amount=booking.amount,
                currency=booking.currency,
                expires_at=booking.expires_at,
                pay_url=pay_url,
                **ids,
            )
        )
    if booking.status is BookingStatus.CONFIRMED:
        found.append(BookingConfirmed(occurred_at=at, seats=booking.seats, **ids))
    elif booking.status is BookingStatus.CANCELLED:
        found.append(BookingCancelled(occurred_at=at, reason=reason, actor_id=actor_id, **ids))
        if booking.payment_status is PaymentStatus.REFUND_PENDING:
            found.append(refund_requested(booking, reason=reason, at=at))
    elif booking.status is BookingStatus.EXPIRED:
        found.append(BookingExpired(occurred_at=at, **ids))
    elif booking.status is BookingStatus.NO_SHOW:
        found.append(BookingMarkedNoShow(occurred_at=at, **ids))
    elif booking.status is BookingStatus.COMPLETED:
        found.append(BookingCompleted(occurred_at=at, **ids))
    return found


def refund_requested(booking: Booking, *, reason: str, at: datetime) -> RefundRequested:
    return RefundRequested(
        occurred_at=at,
        booking_id=booking.id,
        event_id=booking.event_id,
        user_id=booking.user_id,
        amount=booking.amount,
        currency=booking.currency,
        reason=reason,
    )


class BookingLifecycle:
    """Applies transitions of ``TRANSITIONS`` inside the caller's unit of work.

    Each move is one conditional statement (``UPDATE … WHERE status = <from>``) that also
    locks the row; a move whose booking is no longer in the expected status changes nothing
    and returns None, so racing use cases never both apply.
    """

    def __init__(self, uow: BookingUnitOfWork) -> None:
        self._uow = uow

    async def create(
        self,
        booking: Booking,
        *,
        reason: LogReason,
        actor_id: uuid.UUID | None,
        at: datetime,
        pay_url: str | None = None,
    ) -> None:
        """Insert a new booking (``BookingDuplicate`` when the user has an active one) with its
        log row and events; ``BookingCreated`` carries ``pay_url``, the link to pay it."""
        check_transition(None, booking.status, reason)
        await self._uow.bookings.add(booking)
        await self._uow.log.add(log_entry(booking, old_status=None, reason=reason, actor_id=actor_id, at=at))
        self._uow.collect(*_events(None, booking, reason, actor_id, at, pay_url))

    async def move(
        self,
        booking_id: uuid.UUID,
        *,
        old: BookingStatus,
        new: BookingStatus,
        reason: LogReason,
        actor_id: uuid.UUID | None,
        at: datetime,
        payment_status: PaymentStatus | None = None,
    ) -> Booking | None:
        """``old`` → ``new``; the moved booking, or None when it was no longer ``old``.
        ``payment_status`` sets the payment axis in the same statement (PENDING → PAID on a
        confirmation); a cancellation decides the refund itself."""
        check_transition(old, new, reason)
        moved = await self._uow.bookings.transition(
            booking_id,
            expected=old,
            new=new,
            now=at,
            payment_status=payment_status,
            refund_held_money=new is BookingStatus.CANCELLED,
        )
        if moved is not None:
            await self._record(old, moved, reason, actor_id, at)
        return moved

    async def move_many(
        self,
        booking_ids: Collection[uuid.UUID],
        *,
        old: BookingStatus,
        new: BookingStatus,
        reason: LogReason,
        at: datetime,
    ) -> list[Booking]:
        """``move`` of a batch of bookings (a job's move: no actor), as one conditional
        statement with the log rows written together; the moved bookings, by id. Those no
        longer ``old`` are left out."""
        check_transition(old, new, reason)
        moved = await self._uow.bookings.transition_many(
            booking_ids, expected=old, new=new, now=at, refund_held_money=new is BookingStatus.CANCELLED
        )
        await self._record_all(old, moved, reason, at)
        return moved

    async def move_all(
        self, event_id: uuid.UUID, *, old: BookingStatus, new: BookingStatus, reason: LogReason, at: datetime
    ) -> list[Booking]:
        """Every booking of the event in ``old`` → ``new`` (a job's move: no actor)."""
        check_transition(old, new, reason)
        moved = await self._uow.bookings.transition_all(
            event_id, expected=old, new=new, now=at, refund_held_money=new is BookingStatus.CANCELLED
        )
        await self._record_all(old, moved, reason, at)
        return moved

    async def change_payment(
        self,
        booking_id: uuid.UUID,
        *,
        old: PaymentStatus,
        new: PaymentStatus,
        at: datetime,
        refund_reason: str | None = None,
    ) -> Booking | None:
        """Move the payment axis only; the booking, or None when its payment was not ``old``.
        Reaching REFUND_PENDING raises ``RefundRequested`` with ``refund_reason``."""
        check_payment_transition(old, new)
        changed = await self._uow.bookings.set_payment_status(booking_id, expected=old, new=new, now=at)
        if changed is not None and new is PaymentStatus.REFUND_PENDING:
            if refund_reason is None:
                raise IllegalTransition("a refund is requested with a reason")
            self._uow.collect(refund_requested(changed, reason=refund_reason, at=at))
        return changed

    async def _record_all(
        self, old: BookingStatus, moved: list[Booking], reason: LogReason, at: datetime
    ) -> None:
        await self._uow.log.add(
            *(log_entry(booking, old_status=old, reason=reason, actor_id=None, at=at) for booking in moved)
        )
        for booking in moved:
            self._uow.collect(*_events(old, booking, reason, None, at))

    async def _record(
        self,
        old: BookingStatus | None,
        booking: Booking,
        reason: LogReason,
        actor_id: uuid.UUID | None,
        at: datetime,
    ) -> None:
        await self._uow.log.add(log_entry(booking, old_status=old, reason=reason, actor_id=actor_id, at=at))
        self._uow.collect(*_events(old, booking, reason, actor_id, at))
