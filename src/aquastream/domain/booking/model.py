"""Booking entities: the seat inventory of an event, bookings, the booking log, the waitlist."""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

# The statuses and reasons are the words booking's events carry, so they are defined with them.
from aquastream.domain.booking.events import BookingStatus as BookingStatus
from aquastream.domain.booking.events import LogReason as LogReason
from aquastream.domain.booking.events import PartySeat
from aquastream.domain.shared.privacy import ERASED_NAME


class InventoryStatus(StrEnum):
    OPEN = "OPEN"
    CANCELLED = "CANCELLED"
    COMPLETED = "COMPLETED"


# An active booking blocks a second one by the same user for the same event.
ACTIVE_STATUSES = frozenset({BookingStatus.PENDING, BookingStatus.CONFIRMED})
# A booking in one of these statuses occupies a seat: a no-show or a completed booking keeps
# the seat it had, only expiry and cancellation return it to the inventory.
SEAT_HOLDING_STATUSES = frozenset(
    {BookingStatus.PENDING, BookingStatus.CONFIRMED, BookingStatus.COMPLETED, BookingStatus.NO_SHOW}
)


class PaymentStatus(StrEnum):
    NOT_REQUIRED = "NOT_REQUIRED"
    PENDING = "PENDING"
    PAID = "PAID"
    PARTIALLY_REFUNDED = "PARTIALLY_REFUNDED"  # the organizer returned a part; the booking stands
    REFUND_PENDING = "REFUND_PENDING"
    REFUNDED = "REFUNDED"


# Money is held for the booking: cancelling it asks for a refund of what is left.
MONEY_HELD = frozenset({PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED})


class WaitlistStatus(StrEnum):
    WAITING = "WAITING"
    NOTIFIED = "NOTIFIED"
    CONVERTED = "CONVERTED"
    REMOVED = "REMOVED"
    EXPIRED = "EXPIRED"


LIVE_WAITLIST_STATUSES = frozenset({WaitlistStatus.WAITING, WaitlistStatus.NOTIFIED})


class WaitlistAction(StrEnum):
    JOINED = "JOINED"
    NOTIFIED = "NOTIFIED"
    CONVERTED = "CONVERTED"
    REMOVED = "REMOVED"
    EXPIRED = "EXPIRED"


class BookingAction(StrEnum):
    """What the caller may do with a booking now (``views.actions_for``)."""

    PAY = "PAY"
    CANCEL = "CANCEL"
    CONFIRM = "CONFIRM"
    NO_SHOW = "NO_SHOW"


@dataclass(frozen=True, slots=True)
class OpenPayment:
    """A live payment of a booking, as the payments domain describes it to booking."""

    payment_id: uuid.UUID
    method: str
    status: str
    page_url: str | None  # the provider's page of an open card payment


@dataclass(frozen=True, slots=True)
class SaleTerms:
    """What a seat of a published event costs: fixed once its sales open (an inventory is
    opened once, with the event's price, and never repriced), so it may be kept."""

    event_id: uuid.UUID
    price: Decimal | None
    currency: str

    @property
    def is_free(self) -> bool:
        return self.price is None or self.price == 0


@dataclass(frozen=True, slots=True)
class Inventory:
    """The seats of one published event.

    After every transaction: the seats of seat-holding bookings (their ``party_size``) +
    ``reserved`` + ``available`` == ``capacity``, and ``waiting`` is the number of WAITING
    waitlist entries. ``reserved`` seats are held for NOTIFIED waitlist entries (each its
    party's); ``next_position`` is the last waitlist
    position handed out (positions are strictly increasing per event).
    """

    event_id: uuid.UUID
    organizer_id: uuid.UUID
    title: str
    status: InventoryStatus
    starts_at: datetime
    ends_at: datetime
    capacity: int
    available: int
    reserved: int = 0
    waiting: int = 0
    next_position: int = 0
    price: Decimal | None = None
    currency: str = "RUB"

    @property
    def is_free(self) -> bool:
        return self.terms.is_free

    @property
    def terms(self) -> SaleTerms:
        return SaleTerms(self.event_id, self.price, self.currency)

    @property
    def bookable_seats(self) -> int:
        """Seats anyone may book now: while someone waits, freed seats go to the queue."""
        return self.available if self.waiting == 0 else 0

    def is_open_at(self, now: datetime) -> bool:
        return self.status is InventoryStatus.OPEN and self.starts_at > now

    def has_started(self, now: datetime) -> bool:
        return self.starts_at <= now


@dataclass(frozen=True, slots=True)
class EventShare:
    """Share ``index`` of ``of`` disjoint shares of all events: those whose id's last byte (a
    random one) falls in ``last_bytes``, the ``index``-th of ``of`` equal ranges of 0-255. The
    expiry sweep runs one lane per share, so no two lanes ever lock the same event's
    inventory or queue and they never wait for each other."""

    index: int = 0
    of: int = 1

    def __post_init__(self) -> None:
        if not 0 <= self.index < self.of <= 256:
            raise ValueError(f"share {self.index} of {self.of}: 0 <= index < of <= 256")

    @classmethod
    def split(cls, lanes: int) -> list[EventShare]:
        """All events in ``lanes`` shares."""
        return [cls(index, lanes) for index in range(lanes)]

    @property
    def is_whole(self) -> bool:
        return self.of == 1

    @property
    def last_bytes(self) -> range:
        return range(256 * self.index // self.of, 256 * (self.index + 1) // self.of)

    def holds(self, event_id: uuid.UUID) -> bool:
        return (event_id.int & 0xFF) in self.last_bytes


ALL_EVENTS = EventShare()


@dataclass(frozen=True, slots=True)
class QueueOffer:
    """Seats of one event held for the first ``entries`` WAITING entries: ``seats`` in all
    (the sum of their parties)."""

    seats: int
    entries: int


@dataclass(frozen=True, slots=True)
class Companion:
    """A named companion of a group booking (SPEC §12): not a user, only a name and maybe a
    phone. ``number`` is the seat's (1, 2, … in booking order; 0 is the holder's) and is never
    reused: a cancelled companion keeps its number, with ``cancelled_at`` set."""

    number: int
    name: str
    phone: str | None = None
    cancelled_at: datetime | None = None

    @property
    def is_active(self) -> bool:
        return self.cancelled_at is None

    def erased(self) -> Companion:
        """The seat without the person, as kept once the holder's account is deleted."""
        return dataclasses.replace(self, name=ERASED_NAME, phone=None)


@dataclass(frozen=True, slots=True)
class Booking:
    """A booking of ``party_size`` seats: the holder's and its active companions'.

    ``amount`` is what the active seats cost (``party_size`` x the price frozen at booking):
    cancelling a companion's seat takes its share off.
    """

    id: uuid.UUID
    event_id: uuid.UUID
    user_id: uuid.UUID
    status: BookingStatus
    payment_status: PaymentStatus
    amount: Decimal  # frozen at booking time; 0.00 for a free event
    currency: str
    created_at: datetime
    updated_at: datetime
    expires_at: datetime | None = None  # end of the hold of a PENDING (paid) booking
    waitlist_entry_id: uuid.UUID | None = None  # the entry this booking converted
    party_size: int = 1  # seats held now: the holder's and the active companions'
    companions: tuple[Companion, ...] = ()  # every companion ever booked, by number

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def seat_price(self) -> Decimal:
        """The share of one seat in ``amount`` (the price frozen at booking)."""
        return self.amount / self.party_size

    @property
    def seats(self) -> tuple[PartySeat, ...]:
        """The seats held now: the holder's (number 0) first, then the active companions'."""
        return (
            PartySeat(number=0),
            *(PartySeat(number=c.number, name=c.name, phone=c.phone) for c in self.companions if c.is_active),
        )

    def companion(self, number: int) -> Companion | None:
        return next((c for c in self.companions if c.number == number), None)


@dataclass(frozen=True, slots=True)
class BookingLogEntry:
    id: uuid.UUID
    booking_id: uuid.UUID
    old_status: BookingStatus | None  # None for the creation
    new_status: BookingStatus
    reason: LogReason
    actor_id: uuid.UUID | None  # None when a job or another domain's event did it
    created_at: datetime


@dataclass(frozen=True, slots=True)
class WaitlistEntry:
    id: uuid.UUID
    event_id: uuid.UUID
    user_id: uuid.UUID
    position: int
    status: WaitlistStatus
    joined_at: datetime
    notified_at: datetime | None = None
    window_expires_at: datetime | None = None  # end of the window of a NOTIFIED entry
    party_size: int = 1  # seats asked for: the user's and their companions'

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_WAITLIST_STATUSES


@dataclass(frozen=True, slots=True)
class WaitlistAuditEntry:
    id: uuid.UUID
    entry_id: uuid.UUID
    event_id: uuid.UUID
    user_id: uuid.UUID
    action: WaitlistAction
    created_at: datetime
    actor_id: uuid.UUID | None  # None when a job did it


@dataclass(frozen=True, slots=True)
class WaitlistPlace:
    """A live waitlist entry and its 1-based place among the live entries of its event."""

    entry: WaitlistEntry
    position: int


@dataclass(frozen=True, slots=True)
class ParticipantContact:
    """How an organizer reaches a participant (from the identity domain's profile)."""

    user_id: uuid.UUID
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    telegram: str | None = None


@dataclass(frozen=True, slots=True)
class OrganizerName:
    """How booking lists name an event's organizer (from the catalog domain)."""

    organizer_id: uuid.UUID
    slug: str
    name: str


@dataclass(frozen=True, slots=True)
class ParticipantRow:
    """One line of the participants export: one seat. The holder's seat (0) carries the
    holder's profile; a companion's seat (1, 2, …) carries the companion's name (in
    ``first_name``) and phone, with the holder's ``user_id``. ``amount`` is the seat's share,
    so the rows of a booking add up to what it costs."""

    booking_id: uuid.UUID
    status: BookingStatus
    payment_status: PaymentStatus
    user_id: uuid.UUID
    first_name: str | None
    last_name: str | None
    email: str | None
    phone: str | None
    telegram: str | None
    amount: Decimal
    currency: str
    booked_at: datetime
    seat: int = 0
