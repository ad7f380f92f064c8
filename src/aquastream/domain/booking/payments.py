"""Use cases run on the payments domain's facts: a payment succeeded, a refund went through."""

from __future__ import annotations

import uuid
from datetime import datetime

from aquastream.domain.booking.errors import EventFull, EventNotOpen, PartyExceedsOffer, WaitlistOfferExpired
from aquastream.domain.booking.events import SEAT_LOST
from aquastream.domain.booking.lifecycle import BookingLifecycle
from aquastream.domain.booking.model import Booking, BookingStatus, LogReason, PaymentStatus
from aquastream.domain.booking.policy import BookingPolicy
from aquastream.domain.booking.seats import find_offer, take_seat
from aquastream.ports.booking import BookingUnitOfWork
from aquastream.ports.clock import Clock


class ConfirmPaidBooking:
    """A payment for the booking succeeded; the handler of payments' ``PaymentSucceeded``.

    Rules:
    - the booking row is locked first, so the expiry job and this handler take turns on it;
    - a PENDING booking becomes CONFIRMED with payment PAID (``PAID``);
    - an EXPIRED booking (the payment came after its hold) re-takes a seat by the very step
      ``BookSeat`` uses (``seats.take_seat``): the seat the waitlist holds for this user if
      it offered them one meanwhile (the entry is CONVERTED), else a free seat nobody waits
      for, so the event is never oversold and nobody holds two seats. With a seat it is
      CONFIRMED again (``PAID_AFTER_EXPIRY``);
    - without a seat, when the user has booked the event again meanwhile, or when the
      booking was CANCELLED, the money goes back: payment REFUND_PENDING and
      ``RefundRequested`` (reason ``SEAT_LOST``) tells payments to refund;
    - idempotent: a booking confirmed already, or whose late payment was settled already
      (payment no longer PENDING), is left alone.
    Returns the booking as it ends up, or None for an unknown booking.
    """

    def __init__(self, uow: BookingUnitOfWork, clock: Clock, policy: BookingPolicy) -> None:
        self._uow = uow
        self._clock = clock
        self._policy = policy

    async def __call__(self, booking_id: uuid.UUID) -> Booking | None:
        async with self._uow:
            now = self._clock.now()
            lifecycle = BookingLifecycle(self._uow)
            booking = await self._uow.bookings.lock(booking_id)
            if booking is None or booking.payment_status is not PaymentStatus.PENDING:
                return booking
            if booking.status is BookingStatus.PENDING:
                reason: LogReason | None = LogReason.PAID
            elif booking.status is BookingStatus.EXPIRED and await self._retake_seat(booking, now):
                reason = LogReason.PAID_AFTER_EXPIRY
            elif booking.status in (BookingStatus.EXPIRED, BookingStatus.CANCELLED):
                reason = None  # no seat for the money: it goes back
            else:
                return booking
            if reason is None:
                settled = await lifecycle.change_payment(
                    booking.id,
                    old=PaymentStatus.PENDING,
                    new=PaymentStatus.REFUND_PENDING,
                    at=now,
                    refund_reason=SEAT_LOST,
                )
            else:
                settled = await lifecycle.move(
                    booking.id,
                    old=booking.status,
                    new=BookingStatus.CONFIRMED,
                    reason=reason,
                    actor_id=None,
                    at=now,
                    payment_status=PaymentStatus.PAID,
                )
            if settled is None:
                raise BookingOutOfStep(f"booking {booking.id} changed while its row was locked")
            await self._uow.commit()
        return settled

    async def _retake_seat(self, booking: Booking, now: datetime) -> bool:
        """Whether a seat was taken for the late payer (nothing changes when not)."""
        if await self._uow.bookings.active_for(booking.event_id, booking.user_id) is not None:
            return False
        inventory = await self._uow.inventories.get(booking.event_id)
        if inventory is None:
            return False
        offer = await find_offer(self._uow, inventory, booking.user_id)
        seat_takers = [offer, None] if offer is not None else [None]
        for held in seat_takers:
            try:
                await take_seat(
                    self._uow,
                    booking.event_id,
                    booking.user_id,
                    held,
                    now=now,
                    policy=self._policy,
                    seats=booking.party_size,
                )
            except (WaitlistOfferExpired, EventNotOpen, EventFull, PartyExceedsOffer):
                continue  # a lapsed offer may still leave a free seat
            return True
        return False


class BookingOutOfStep(RuntimeError):
    """A locked booking changed under its lock: a bug, never a user error (rolls back)."""


class SettleRefund:
    """A refund of the booking's payment went through; the handler of payments'
    ``PaymentRefunded``.

    Rules:
    - a full refund makes the payment REFUNDED (from REFUND_PENDING, PAID or
      PARTIALLY_REFUNDED);
    - a partial one makes a PAID payment PARTIALLY_REFUNDED; a refund still pending for the
      rest (REFUND_PENDING) or a second partial refund changes nothing;
    - idempotent. Returns whether it changed anything.
    """

    def __init__(self, uow: BookingUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, booking_id: uuid.UUID, *, fully_refunded: bool) -> bool:
        if fully_refunded:
            moves = [
                (old, PaymentStatus.REFUNDED)
                for old in (
                    PaymentStatus.REFUND_PENDING,
                    PaymentStatus.PAID,
                    PaymentStatus.PARTIALLY_REFUNDED,
                )
            ]
        else:
            moves = [(PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED)]
        async with self._uow:
            lifecycle = BookingLifecycle(self._uow)
            now = self._clock.now()
            for old, new in moves:
                if await lifecycle.change_payment(booking_id, old=old, new=new, at=now) is not None:
                    await self._uow.commit()
                    return True
        return False
