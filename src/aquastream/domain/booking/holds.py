"""Use cases that keep a booking's ``expires_at`` equal to the hold actually in force while a QR
receipt is reviewed: the handlers of payments' ``PaymentProofSubmitted`` and ``PaymentRejected``.

The expiry job asks payments before it releases a seat anyway (``PaymentStatusProbe``), so a
hold is never lost when these run late; they make the hold *visible* to the participant.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from aquastream.domain.booking.model import BookingStatus
from aquastream.domain.booking.policy import BookingPolicy
from aquastream.ports.booking import BookingUnitOfWork
from aquastream.ports.clock import Clock


class KeepSeatDuringReview:
    """A QR receipt waits for the organizer: the PENDING booking's hold lasts until the review
    limit (``review_until``), never shorter than it already was. Idempotent; returns whether the
    hold moved."""

    def __init__(self, uow: BookingUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, booking_id: uuid.UUID, review_until: datetime) -> bool:
        async with self._uow:
            booking = await self._uow.bookings.lock(booking_id)
            if booking is None or booking.status is not BookingStatus.PENDING:
                return False
            if booking.expires_at is not None and booking.expires_at >= review_until:
                return False
            await self._uow.bookings.extend_hold(booking_id, until=review_until, now=self._clock.now())
            await self._uow.commit()
        return True


class GiveTimeAfterRejection:
    """The organizer refused a QR receipt: the review hold ends, and the participant has one
    regular hold (``policy.hold``) from the refusal to submit another receipt or pay by card.
    Idempotent for one refusal; returns whether the hold changed."""

    def __init__(self, uow: BookingUnitOfWork, clock: Clock, policy: BookingPolicy) -> None:
        self._uow = uow
        self._clock = clock
        self._policy = policy

    async def __call__(self, booking_id: uuid.UUID, rejected_at: datetime) -> bool:
        until = rejected_at + self._policy.hold
        async with self._uow:
            booking = await self._uow.bookings.lock(booking_id)
            if booking is None or booking.status is not BookingStatus.PENDING or booking.expires_at == until:
                return False
            await self._uow.bookings.extend_hold(booking_id, until=until, now=self._clock.now())
            await self._uow.commit()
        return True
