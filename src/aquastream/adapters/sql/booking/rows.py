"""Rows of the booking tables to domain objects and back."""

from __future__ import annotations

from typing import Any

import msgspec
from sqlalchemy import RowMapping

from aquastream.adapters.currencies import amount_in
from aquastream.domain.booking.model import (
    LIVE_WAITLIST_STATUSES,
    Booking,
    BookingLogEntry,
    BookingStatus,
    Companion,
    Inventory,
    InventoryStatus,
    LogReason,
    PaymentStatus,
    WaitlistAction,
    WaitlistAuditEntry,
    WaitlistEntry,
    WaitlistStatus,
)

OPEN = InventoryStatus.OPEN.value
LIVE = [status.value for status in LIVE_WAITLIST_STATUSES]


# --- rows to domain objects --------------------------------------------------------------


def inventory_from_row(row: RowMapping) -> Inventory:
    return Inventory(
        event_id=row["event_id"],
        organizer_id=row["organizer_id"],
        title=row["title"],
        status=InventoryStatus(row["status"]),
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        capacity=row["capacity"],
        available=row["available"],
        reserved=row["reserved"],
        waiting=row["waiting"],
        next_position=row["next_position"],
        price=None if row["price"] is None else amount_in(row["price"], row["currency"]),
        currency=row["currency"],
    )


def booking_from_row(row: RowMapping) -> Booking:
    return Booking(
        id=row["id"],
        event_id=row["event_id"],
        user_id=row["user_id"],
        status=BookingStatus(row["status"]),
        payment_status=PaymentStatus(row["payment_status"]),
        amount=amount_in(row["amount"], row["currency"]),
        currency=row["currency"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        expires_at=row["expires_at"],
        waitlist_entry_id=row["waitlist_entry_id"],
        party_size=row["party_size"],
        companions=companions_from_text(row["companions"]),
    )


NO_COMPANIONS = "[]"


def companions_from_text(text: str) -> tuple[Companion, ...]:
    if text == NO_COMPANIONS:  # most bookings: nothing to decode
        return ()
    return msgspec.json.decode(text, type=tuple[Companion, ...])


def companions_text(companions: tuple[Companion, ...]) -> str:
    return msgspec.json.encode(companions).decode()


def booking_values(booking: Booking) -> dict[str, Any]:
    return {
        "id": booking.id,
        "event_id": booking.event_id,
        "user_id": booking.user_id,
        "status": booking.status.value,
        "payment_status": booking.payment_status.value,
        "amount": booking.amount,
        "currency": booking.currency,
        "created_at": booking.created_at,
        "updated_at": booking.updated_at,
        "expires_at": booking.expires_at,
        "waitlist_entry_id": booking.waitlist_entry_id,
        "party_size": booking.party_size,
        "companions": companions_text(booking.companions),
    }


def log_entry_from_row(row: RowMapping) -> BookingLogEntry:
    return BookingLogEntry(
        id=row["id"],
        booking_id=row["booking_id"],
        old_status=BookingStatus(row["old_status"]) if row["old_status"] else None,
        new_status=BookingStatus(row["new_status"]),
        reason=LogReason(row["reason"]),
        actor_id=row["actor_id"],
        created_at=row["created_at"],
    )


def entry_from_row(row: RowMapping) -> WaitlistEntry:
    return WaitlistEntry(
        id=row["id"],
        event_id=row["event_id"],
        user_id=row["user_id"],
        position=row["position"],
        status=WaitlistStatus(row["status"]),
        joined_at=row["joined_at"],
        notified_at=row["notified_at"],
        window_expires_at=row["window_expires_at"],
        party_size=row["party_size"],
    )


def audit_entry_from_row(row: RowMapping) -> WaitlistAuditEntry:
    return WaitlistAuditEntry(
        id=row["id"],
        entry_id=row["entry_id"],
        event_id=row["event_id"],
        user_id=row["user_id"],
        action=WaitlistAction(row["action"]),
        created_at=row["created_at"],
        actor_id=row["actor_id"],
    )
