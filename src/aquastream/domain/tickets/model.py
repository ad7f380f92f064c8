"""What the tickets domain knows: tickets (its read model of booking's seats, with their
signed codes and check-in), organizers' signing keys, and what it asks of the catalog."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class SeatState(StrEnum):
    """A seat's state in the roster and on its ticket."""

    CONFIRMED = "CONFIRMED"  # a valid ticket, not (yet) checked in
    CHECKED_IN = "CHECKED_IN"
    NO_SHOW = "NO_SHOW"
    VOID = "VOID"  # the seat's booking (or the seat alone) was cancelled or expired


class VoidReason(StrEnum):
    CANCELLED = "CANCELLED"
    EXPIRED = "EXPIRED"


@dataclass(frozen=True, slots=True)
class Seat:
    """A seat as booking's ``BookingConfirmed`` names it: 0 the holder's, 1… a companion's."""

    number: int
    name: str | None = None
    phone: str | None = None


HOLDER_SEAT = 0


@dataclass(frozen=True, slots=True)
class SeatRef:
    """Which seat a ticket is: what its signed code names (``codes.TicketClaim``)."""

    ticket_id: uuid.UUID
    booking_id: uuid.UUID
    seat: int


@dataclass(frozen=True, slots=True)
class Ticket:
    id: uuid.UUID
    event_id: uuid.UUID
    organizer_id: uuid.UUID
    booking_id: uuid.UUID
    user_id: uuid.UUID  # the booking's holder
    seat: int
    companion_name: str | None
    companion_phone: str | None
    short_code: str
    code: str  # the signed code of the QR image (``codes``)
    issued_at: datetime
    voided_at: datetime | None = None
    void_reason: VoidReason | None = None
    no_show_at: datetime | None = None  # the booking was marked NO_SHOW
    # The holder's name as identity gave it at issue (seat 0 only): what the door shows at
    # once, without asking identity on the hot path; lists ask identity for the name now.
    holder_name: str | None = None
    checked_in_at: datetime | None = None
    checked_in_by: uuid.UUID | None = None

    @property
    def is_holder(self) -> bool:
        return self.seat == HOLDER_SEAT

    @property
    def seat_ref(self) -> SeatRef:
        return SeatRef(self.id, self.booking_id, self.seat)

    def state(self, *, event_over_with_check_in: bool = False) -> SeatState:
        """VOID first, then CHECKED_IN; a seat marked no-show, or left unchecked at an event
        that is over and used check-in, is NO_SHOW."""
        if self.voided_at is not None:
            return SeatState.VOID
        if self.checked_in_at is not None:
            return SeatState.CHECKED_IN
        if self.no_show_at is not None or event_over_with_check_in:
            return SeatState.NO_SHOW
        return SeatState.CONFIRMED


@dataclass(frozen=True, slots=True)
class OrganizerKey:
    """An organizer's Ed25519 key pair: the raw 32-byte public key, and the private key
    sealed by the signer (encrypted under a key derived from the server secret)."""

    organizer_id: uuid.UUID
    public_key: bytes
    sealed_private_key: bytes
    created_at: datetime


@dataclass(frozen=True, slots=True)
class KeyPair:
    public_key: bytes
    sealed_private_key: bytes


@dataclass(frozen=True, slots=True)
class TicketEvent:
    """What the catalog answers of an event and the caller: its organizer, when it ends,
    whether the caller manages the organizer (its owner, or an admin), and whether the caller
    checks seats in at its events (a manager, or a team member linked to the caller's account)."""

    id: uuid.UUID
    organizer_id: uuid.UUID
    title: str
    ends_at: datetime
    caller_manages: bool = False
    caller_checks_in: bool = False


@dataclass(frozen=True, slots=True)
class TicketView:
    """A ticket as its holder or the organizer sees it: with the seat's name and state."""

    ticket: Ticket
    name: str | None
    state: SeatState
