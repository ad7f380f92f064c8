"""Use cases run on the payments domain's facts: a payment succeeded, a refund went through."""

from __future__ import annotations

import uuid
from datetime import datetime

from aquastream.domain.booking.events import BookingConfirmed, RefundRequested
from aquastream.domain.booking.model import Booking, BookingStatus, LogReason, PaymentStatus
from aquastream.domain.booking.records import log_entry
from aquastream.ports.booking import BookingUnitOfWork
from aquastream.ports.clock import Clock

SEAT_LOST = "SEAT_LOST"  # the reason of the refund of a late payment that found no seat


class ConfirmPaidBooking:
    """A payment for the booking succeeded; the handler of payments' ``PaymentSucceeded``.

    Rules:
    - a PENDING booking becomes CONFIRMED with payment PAID (logged, ``BookingConfirmed``);
    - an EXPIRED booking (the payment came after its hold) re-takes a seat by the same
      conditional update ``BookSeat`` uses: only a free seat nobody waits for (seats held for
      notified waitlist users and a waiting queue count), so the event is never oversold.
      With a seat it is CONFIRMED again (``PAID_AFTER_EXPIRY``); without one, or when the user
      has booked the event again meanwhile, or the booking was CANCELLED, the money goes back:
      the payment status becomes REFUND_PENDING and ``RefundRequested`` (reason
      ``SEAT_LOST``) tells payments to refund and notifications to tell the user;
    - idempotent: a booking already confirmed, or whose late payment was settled already
      (payment status no longer PENDING), is left alone. The first statement locks the
      booking row, so the expiry job and this handler take turns on it.
    Returns the booking as it ends up, or None for an unknown booking.
    """

    def __init__(self, uow: BookingUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, booking_id: uuid.UUID) -> Booking | None:
        async with self._uow:
            now = self._clock.now()
            confirmed = await self._uow.bookings.transition(
                booking_id,
                expected=BookingStatus.PENDING,
                new=BookingStatus.CONFIRMED,
                now=now,
                payment_status=PaymentStatus.PAID,
            )
            if confirmed is not None:
                await self._confirmed(confirmed, LogReason.PAID, now)
                await self._uow.commit()
                return confirmed
            booking = await self._uow.bookings.get(booking_id)
            if booking is None or booking.status not in (BookingStatus.EXPIRED, BookingStatus.CANCELLED):
                return booking
            # Claim the late payment (locks the row); a second delivery finds it claimed.
            claimed = await self._uow.bookings.set_payment_status(
                booking_id, expected=PaymentStatus.PENDING, new=PaymentStatus.REFUND_PENDING, now=now
            )
            if claimed is None:
                return booking
            revived = await self._retake_seat(claimed, now)
            if revived is None:
                self._uow.collect(
                    RefundRequested(
                        occurred_at=now,
                        booking_id=claimed.id,
                        event_id=claimed.event_id,
                        user_id=claimed.user_id,
                        amount=claimed.amount,
                        currency=claimed.currency,
                        reason=SEAT_LOST,
                    )
                )
            await self._uow.commit()
        return revived or claimed

    async def _retake_seat(self, booking: Booking, now: datetime) -> Booking | None:
        if booking.status is not BookingStatus.EXPIRED:
            return None
        if await self._uow.bookings.active_for(booking.event_id, booking.user_id) is not None:
            return None
        # Booking row first, then the inventory: the lock order of every transaction.
        if await self._uow.inventories.take_seat(booking.event_id, now=now) is None:
            return None
        revived = await self._uow.bookings.transition(
            booking.id,
            expected=BookingStatus.EXPIRED,
            new=BookingStatus.CONFIRMED,
            now=now,
            payment_status=PaymentStatus.PAID,
        )
        if revived is None:
            raise BookingOutOfStep(f"booking {booking.id} left EXPIRED while its row was locked")
        await self._confirmed(revived, LogReason.PAID_AFTER_EXPIRY, now)
        return revived

    async def _confirmed(self, booking: Booking, reason: LogReason, now: datetime) -> None:
        old = BookingStatus.PENDING if reason is LogReason.PAID else BookingStatus.EXPIRED
        await self._uow.log.add(log_entry(booking, old_status=old, reason=reason, actor_id=None, at=now))
        self._uow.collect(
            BookingConfirmed(
                occurred_at=now, booking_id=booking.id, event_id=booking.event_id, user_id=booking.user_id
            )
        )


class BookingOutOfStep(RuntimeError):
    """A locked booking changed under its lock: a bug, never a user error (rolls back)."""


class SettleRefund:
    """A refund of the booking's payment went through in full; the handler of payments'
    ``PaymentRefunded``. The payment status becomes REFUNDED (from REFUND_PENDING, or from
    PAID when the organizer refunded without cancelling). Idempotent. Returns whether it
    changed anything."""

    def __init__(self, uow: BookingUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, booking_id: uuid.UUID) -> bool:
        async with self._uow:
            now = self._clock.now()
            for expected in (PaymentStatus.REFUND_PENDING, PaymentStatus.PAID):
                settled = await self._uow.bookings.set_payment_status(
                    booking_id, expected=expected, new=PaymentStatus.REFUNDED, now=now
                )
                if settled is not None:
                    await self._uow.commit()
                    return True
        return False
