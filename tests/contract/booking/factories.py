"""Booking rows for the contract tests, valid unless a test says otherwise."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from aquastream.domain.booking.model import (
    Booking,
    BookingStatus,
    PaymentStatus,
    WaitlistEntry,
    WaitlistStatus,
)
from aquastream.domain.shared.ids import new_id

from .kit import NOW, BookingKit


def a_booking(
    event_id: uuid.UUID,
    *,
    user_id: uuid.UUID | None = None,
    status: BookingStatus = BookingStatus.PENDING,
    payment_status: PaymentStatus = PaymentStatus.PENDING,
    created_at: timedelta = timedelta(0),
    expires_in: timedelta | None = timedelta(minutes=30),
) -> Booking:
    at = NOW + created_at
    return Booking(
        id=new_id(),
        event_id=event_id,
        user_id=user_id or new_id(),
        status=status,
        payment_status=payment_status,
        amount=Decimal("1250.00"),
        currency="RUB",
        created_at=at,
        updated_at=at,
        expires_at=at + expires_in if expires_in is not None else None,
    )


def an_entry(event_id: uuid.UUID, position: int, *, user_id: uuid.UUID | None = None) -> WaitlistEntry:
    return WaitlistEntry(
        id=new_id(),
        event_id=event_id,
        user_id=user_id or new_id(),
        position=position,
        status=WaitlistStatus.WAITING,
        joined_at=NOW + timedelta(seconds=position),
    )


async def counters(kit: BookingKit, event_id: uuid.UUID) -> tuple[int, int, int]:
    async with kit.new_uow() as uow:
        inventory = await uow.inventories.get(event_id)
    assert inventory is not None
    return inventory.available, inventory.reserved, inventory.waiting
