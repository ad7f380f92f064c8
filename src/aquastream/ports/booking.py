"""Ports of the booking domain: its unit of work and repositories, and what it asks other domains.

Every method that changes a counter or a status is one atomic conditional statement in the
adapters (``UPDATE … WHERE <guard> RETURNING``); nothing reads a counter, changes it in
Python and writes it back. Locks are taken in one order in every transaction: booking
row(s), then the inventory row, then waitlist entries. Anything that depends on the
waitlist or on the bookings of an event is read after the inventory row is locked.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from aquastream.domain.booking.model import (
    ALL_EVENTS,
    Booking,
    BookingLogEntry,
    BookingStatus,
    Companion,
    EventShare,
    Inventory,
    InventoryStatus,
    PaymentStatus,
    QueueOffer,
    SaleTerms,
    WaitlistAuditEntry,
    WaitlistEntry,
    WaitlistStatus,
)

# What the servers of booking's query ports answer with (payments: OpenPayment; identity, the
# owner of participants: ParticipantContact; the catalog: OrganizerName), re-exported for
# their adapters.
from aquastream.domain.booking.model import OpenPayment as OpenPayment
from aquastream.domain.booking.model import OrganizerName as OrganizerName
from aquastream.domain.booking.model import ParticipantContact as ParticipantContact
from aquastream.domain.booking.sorting import BookingSort
from aquastream.domain.shared.paging import Page, PageRequest
from aquastream.domain.shared.principal import Principal
from aquastream.ports.idempotency import KeyedUnitOfWork


class InventoryRepository(Protocol):
    """The seat counters of published events (see ``Inventory`` for the invariant)."""

    async def get(self, event_id: uuid.UUID) -> Inventory | None:
        """A plain read, without a lock."""
        ...

    async def terms(self, event_id: uuid.UUID) -> SaleTerms | None:
        """The event's price and currency (None: no inventory), which never change once its
        sales open: an adapter may answer from what it read before (the SQL one keeps the
        terms of the events it was last asked for, a bounded number per process). Never a seat count."""
        ...

    async def lock(self, event_id: uuid.UUID) -> Inventory | None:
        """Read and lock the row until the end of the transaction (``FOR UPDATE``)."""
        ...

    async def take_seat(self, event_id: uuid.UUID, *, now: datetime, seats: int = 1) -> Inventory | None:
        """``available - seats`` if the event is OPEN, not started, has that many free seats and
        nobody waits (all of them or none); the updated row, or None when they could not be
        taken."""
        ...

    async def take_seat_at_once(
        self, event_id: uuid.UUID, *, now: datetime, seats: int = 1
    ) -> Inventory | None:
        """As ``take_seat``, and only while no seat is held for anyone (``reserved`` is 0: no
        offer to settle), as the change of an entry ``at_once`` (``UnitOfWork.at_once``): the
        rows written and the facts collected in the entry go with it, or nothing is written.
        ``ChangeCollided`` when one of those rows collides (a second active booking)."""
        ...

    async def take_held_seat(self, event_id: uuid.UUID, *, now: datetime, seats: int = 1) -> Inventory | None:
        """``reserved - seats`` (a notified party takes the seats held for it) if the event is
        OPEN and not started; None when fewer seats are held."""
        ...

    async def release_seats(self, event_id: uuid.UUID, count: int = 1) -> None:
        """``available + count``: seats of expired or cancelled bookings come back."""
        ...

    async def return_seats(self, seats: Mapping[uuid.UUID, int], *, now: datetime) -> list[Inventory]:
        """Give ``seats[event_id]`` seats back to each of these events (``available + n``), for
        a whole batch at once, the rows locked in ascending event-id order. The inventories
        (after the return) of the events whose queue may now be served (OPEN, not started,
        someone WAITING and a free seat), in ascending id order: the caller hands their seats
        over."""
        ...

    async def release_held_seat(self, event_id: uuid.UUID, seats: int = 1) -> bool:
        """``reserved - seats, available + seats`` if that many are held: a notified entry gave
        its seats up."""
        ...

    async def offer_to_queues(self, offers: Mapping[uuid.UUID, QueueOffer], *, now: datetime) -> int:
        """For each event, ``available - seats, reserved + seats, waiting - entries`` if the
        event is OPEN, not started, has that many free seats and that many waiting: the seats
        are now held for its first WAITING entries. One statement for all; how many events
        changed."""
        ...

    async def enqueue(self, event_id: uuid.UUID, *, now: datetime, seats: int = 1) -> int | None:
        """``waiting + 1, next_position + 1`` if the event is OPEN, not started and full for a
        party of ``seats`` (fewer free seats, or people already waiting); the new position,
        else None."""
        ...

    async def dequeue_waiting(self, event_id: uuid.UUID) -> bool:
        """``waiting - 1`` if positive: a WAITING entry left the queue."""
        ...

    async def clear_queue(self, event_id: uuid.UUID) -> None:
        """Every held seat becomes available and nobody waits: the queue is closed."""
        ...

    async def open(self, inventory: Inventory) -> None:
        """Insert the inventory of a newly published event; nothing if it exists already."""
        ...

    async def resize(self, event_id: uuid.UUID, capacity: int) -> None:
        """Set the capacity, moving ``available`` by the same delta (the caller holds the lock
        and has checked the seats taken)."""
        ...

    async def close(self, event_id: uuid.UUID, status: InventoryStatus) -> None:
        """An OPEN inventory takes ``status`` (CANCELLED or COMPLETED): no more sales, for good."""
        ...


class BookingRepository(Protocol):
    async def add(self, booking: Booking) -> None:
        """Insert; raises ``BookingDuplicate`` (with the existing id) when the user already has
        an active booking for the event (unique index ``uq_bookings_active_user_event``)."""
        ...

    async def get(self, booking_id: uuid.UUID) -> Booking | None: ...

    async def active_for(self, event_id: uuid.UUID, user_id: uuid.UUID) -> Booking | None: ...

    async def lock(self, booking_id: uuid.UUID) -> Booking | None:
        """Read and lock the row until the end of the transaction (``FOR UPDATE``)."""
        ...

    async def transition(
        self,
        booking_id: uuid.UUID,
        *,
        expected: BookingStatus,
        new: BookingStatus,
        now: datetime,
        payment_status: PaymentStatus | None = None,
        refund_held_money: bool = False,
    ) -> Booking | None:
        """Move from ``expected`` to ``new`` (and set the payment status when given); with
        ``refund_held_money`` a payment in ``MONEY_HELD`` becomes REFUND_PENDING. The
        updated booking, or None when its status was no longer ``expected``."""
        ...

    async def transition_all(
        self,
        event_id: uuid.UUID,
        *,
        expected: BookingStatus,
        new: BookingStatus,
        now: datetime,
        refund_held_money: bool = False,
    ) -> list[Booking]:
        """Move every booking of the event in ``expected`` to ``new``; with
        ``refund_held_money`` a payment in ``MONEY_HELD`` becomes REFUND_PENDING. The
        updated bookings."""
        ...

    async def transition_many(
        self,
        booking_ids: Collection[uuid.UUID],
        *,
        expected: BookingStatus,
        new: BookingStatus,
        now: datetime,
        refund_held_money: bool = False,
    ) -> list[Booking]:
        """``transition`` of each of these bookings in one statement: the ones still in
        ``expected`` move to ``new``; the moved bookings, in the order of their ids."""
        ...

    async def cancel_companion(
        self,
        booking_id: uuid.UUID,
        seat: int,
        *,
        expected_party_size: int,
        share: Decimal,
        now: datetime,
    ) -> Booking | None:
        """Cancel the active companion ``seat`` of an active booking: ``party_size - 1``,
        ``amount - share``, the companion marked cancelled at ``now``, if the booking still
        holds ``expected_party_size`` seats (the caller holds its row lock); the updated
        booking, or None when it changed meanwhile."""
        ...

    async def set_companions(
        self, booking_id: uuid.UUID, companions: tuple[Companion, ...], *, now: datetime
    ) -> None:
        """Store ``companions`` as the booking's: the same seats with other details (their
        names and phones erased); the caller holds the booking's row lock."""
        ...

    async def set_payment_status(
        self, booking_id: uuid.UUID, *, expected: PaymentStatus, new: PaymentStatus, now: datetime
    ) -> Booking | None:
        """Change only the payment status, from ``expected`` to ``new`` (locks the row); the
        updated booking, or None when the payment status was no longer ``expected``."""
        ...

    async def extend_hold(self, booking_id: uuid.UUID, *, until: datetime, now: datetime) -> bool:
        """Move the end of a PENDING booking's hold to ``until``; False when not PENDING."""
        ...

    async def extend_holds(self, holds: Mapping[uuid.UUID, datetime], *, now: datetime) -> None:
        """``extend_hold`` of each booking to ``holds[booking_id]``, in one round trip; the
        bookings no longer PENDING are left as they are."""
        ...

    async def claim_expired(
        self, *, now: datetime, limit: int, share: EventShare = ALL_EVENTS
    ) -> list[uuid.UUID]:
        """The ids of up to ``limit`` PENDING bookings of events in ``share`` whose hold ended,
        oldest first, locked for this transaction; rows another transaction holds are skipped
        (``SKIP LOCKED``). Ids only: the sweep's transition reads the rows it changes anyway."""
        ...

    async def list_for_user(
        self,
        user_id: uuid.UUID,
        paging: PageRequest,
        *,
        statuses: Collection[BookingStatus] = (),
        sort: BookingSort = (),
    ) -> Page[Booking]:
        """In ``sort``, then newest first (``sorting.reading_order`` with
        ``MY_BOOKINGS_ORDER``); ``statuses`` empty means all."""
        ...

    async def list_for_event(
        self,
        event_id: uuid.UUID,
        paging: PageRequest,
        *,
        statuses: Collection[BookingStatus] = (),
        sort: BookingSort = (),
    ) -> Page[Booking]:
        """In ``sort``, then in booking order (``sorting.reading_order`` with
        ``EVENT_BOOKINGS_ORDER``); ``statuses`` empty means all."""
        ...

    async def all_for_event(
        self, event_id: uuid.UUID, *, statuses: Collection[BookingStatus]
    ) -> list[Booking]:
        """Every booking of the event in one of ``statuses``, in booking order."""
        ...


class BookingLog(Protocol):
    async def add(self, *entries: BookingLogEntry) -> None: ...

    async def list_for_booking(self, booking_id: uuid.UUID) -> list[BookingLogEntry]:
        """Oldest first."""
        ...


class WaitlistRepository(Protocol):
    async def add(self, entry: WaitlistEntry) -> None:
        """Insert; raises ``WaitlistDuplicate`` when the user already has a live entry
        (WAITING or NOTIFIED) for the event."""
        ...

    async def get(self, entry_id: uuid.UUID) -> WaitlistEntry | None: ...

    async def live_entry(self, event_id: uuid.UUID, user_id: uuid.UUID) -> WaitlistEntry | None: ...

    async def waiting_heads(self, limits: Mapping[uuid.UUID, int]) -> dict[uuid.UUID, list[WaitlistEntry]]:
        """For each event, its first ``limits[event_id]`` WAITING entries, lowest position
        first (an event nobody waits for is left out). One statement for all."""
        ...

    async def largest_waiting_party(self, event_id: uuid.UUID) -> int:
        """The largest ``party_size`` of the event's WAITING entries; 0 when nobody waits."""
        ...

    async def notify(
        self, entry_ids: Collection[uuid.UUID], *, now: datetime, window_expires_at: datetime
    ) -> int:
        """WAITING → NOTIFIED with the window, for each of these entries; how many were WAITING
        (the others are left as they are)."""
        ...

    async def convert(self, entry_id: uuid.UUID, *, now: datetime) -> bool:
        """NOTIFIED → CONVERTED while the window is open; False otherwise."""
        ...

    async def remove(self, entry_id: uuid.UUID, *, expected: WaitlistStatus) -> bool:
        """``expected`` → REMOVED; False when the entry was no longer ``expected``."""
        ...

    async def expire_lapsed(self, entry_id: uuid.UUID, *, now: datetime) -> bool:
        """NOTIFIED → EXPIRED once the window has lapsed; False otherwise."""
        ...

    async def lapsed(self, *, now: datetime, limit: int) -> list[WaitlistEntry]:
        """Up to ``limit`` NOTIFIED entries whose window has lapsed, oldest window first."""
        ...

    async def close_all(self, event_id: uuid.UUID) -> list[WaitlistEntry]:
        """Close the event's queue: WAITING → REMOVED, NOTIFIED → EXPIRED; the closed entries."""
        ...

    async def place(self, entry: WaitlistEntry) -> int:
        """1-based place of a live entry among the live entries of its event."""
        ...

    async def live_for_user(self, user_id: uuid.UUID, paging: PageRequest) -> Page[WaitlistEntry]:
        """The user's live entries, oldest first."""
        ...


class WaitlistAudit(Protocol):
    async def add(self, *entries: WaitlistAuditEntry) -> None: ...

    async def list_for_event(self, event_id: uuid.UUID) -> list[WaitlistAuditEntry]:
        """Oldest first."""
        ...


class BookingUnitOfWork(KeyedUnitOfWork, Protocol):
    # Read-only members, so that an adapter's more specific repository types satisfy them.
    @property
    def inventories(self) -> InventoryRepository: ...

    @property
    def bookings(self) -> BookingRepository: ...

    @property
    def log(self) -> BookingLog: ...

    @property
    def waitlist(self) -> WaitlistRepository: ...

    @property
    def waitlist_audit(self) -> WaitlistAudit: ...


class ParticipantDirectory(Protocol):
    """What booking asks the identity domain about participants: served by identity on its
    own connection, asked outside booking's transaction."""

    async def is_contactable(self, user_id: uuid.UUID) -> bool:
        """True when the user's profile has a phone or a Telegram handle."""
        ...

    async def contacts(self, user_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, ParticipantContact]:
        """Contacts of the users that exist; unknown ids are left out."""
        ...


class PaymentStatusProbe(Protocol):
    """What booking asks the payments domain before releasing a held seat."""

    async def hold_until(self, booking_id: uuid.UUID, *, now: datetime) -> datetime | None:
        """Until when the booking must keep its seat because of its payment: a payment that
        succeeded (its confirmation is on its way), a QR receipt waiting for the organizer
        (at most the proof-review limit), a card payment still open here that the provider
        reports paid. None when no payment holds the seat. Called inside the expiry
        transaction: adapters answer quickly (a bounded provider call at most)."""
        ...

    async def hold_until_many(
        self, booking_ids: Collection[uuid.UUID], *, now: datetime
    ) -> Mapping[uuid.UUID, datetime]:
        """``hold_until`` of a whole batch of bookings in one question (one read of the
        payments, the provider calls at once, each bounded): the bookings whose payment keeps
        the seat, with until when (always after ``now``); the others are left out."""
        ...


class OrganizerAccess(Protocol):
    """What booking asks the catalog domain about who manages an organizer's events."""

    async def can_manage(self, principal: Principal, organizer_id: uuid.UUID) -> bool:
        """True for the organizer's owners and for every admin."""
        ...


class OrganizerNames(Protocol):
    """What booking asks the catalog domain to name the organizers of booked events: served by
    the catalog on its own connection, asked outside booking's transaction."""

    async def names(self, organizer_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, OrganizerName]:
        """Slug and name of each of these organizers, in one question; unknown ids are left out."""
        ...


class OpenPayments(Protocol):
    """What booking asks the payments domain about the payments under way for its bookings."""

    async def open_for(self, booking_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, OpenPayment]:
        """The live payment (waiting for the payer, being processed or reviewed) of each of
        these bookings that has one; outside any booking transaction."""
        ...


class PayLinks(Protocol):
    """The signed link that starts paying a booking without a login (messages carry it)."""

    def link_for(self, booking_id: uuid.UUID) -> str: ...

    def verify(self, booking_id: uuid.UUID, token: str) -> bool:
        """Whether ``token`` is the one the booking's link carries."""
        ...


class CheckInRecord(Protocol):
    """What booking asks the tickets domain when an event ends: which of its bookings had a
    seat checked in at the door. Served by tickets on its own connection, asked outside
    booking's transaction."""

    async def bookings_checked_in(self, event_id: uuid.UUID) -> set[uuid.UUID] | None:
        """The bookings with at least one seat checked in; None when nobody was checked in
        at the event (it did not use check-in)."""
        ...
