"""In-memory booking repositories, unit of work, seat inventory and the ports booking asks of
other domains (participants, payments, organizer access).

Counters change in place under the database lock that the unit of work holds, which makes
each method as atomic as the single SQL statement it stands for.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Literal, TypeVar

from aquastream.adapters.memory.database import MemoryDatabase, MemoryUnitOfWork
from aquastream.adapters.memory.request_keys import MemoryRequestKeys
from aquastream.domain.booking.errors import BookingDuplicate, WaitlistDuplicate
from aquastream.domain.booking.model import (
    ACTIVE_STATUSES,
    ALL_EVENTS,
    MONEY_HELD,
    Booking,
    BookingLogEntry,
    BookingStatus,
    Companion,
    EventShare,
    Inventory,
    InventoryStatus,
    OpenPayment,
    OrganizerName,
    ParticipantContact,
    PaymentStatus,
    QueueOffer,
    SaleTerms,
    WaitlistAuditEntry,
    WaitlistEntry,
    WaitlistStatus,
)
from aquastream.domain.booking.policy import BookingPolicy
from aquastream.domain.booking.sales import OpenSales, ResizeSales, StopSales
from aquastream.domain.booking.sorting import (
    EVENT_BOOKINGS_ORDER,
    MY_BOOKINGS_ORDER,
    STATUS_RANK,
    BookingSort,
    BookingSortField,
    reading_order,
)
from aquastream.domain.shared.paging import Page, PageRequest
from aquastream.domain.shared.principal import Principal
from aquastream.ports.catalog import Availability, EventListing, SeatResize
from aquastream.ports.clock import Clock
from aquastream.ports.payments import PayableBooking

T = TypeVar("T")

INVENTORIES = "booking.inventories"
BOOKINGS = "booking.bookings"
BOOKING_LOG = "booking.booking_log"
WAITLIST = "booking.waitlist_entries"
WAITLIST_AUDIT = "booking.waitlist_audit"
IDEMPOTENCY = "booking.idempotency_keys"


def _page(rows: list[T], paging: PageRequest) -> Page[T]:
    return Page(rows[paging.offset : paging.offset + paging.size], len(rows), paging.page, paging.size)


class _Table:
    table_name: str

    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    @property
    def _rows(self) -> dict[Any, Any]:
        # Looked up on every use: a rollback replaces the database's tables.
        return self._db.table(self.table_name)


class MemoryInventoryRepository(_Table):
    table_name = INVENTORIES

    def _update(
        self, event_id: uuid.UUID, guard: Callable[[Inventory], bool], **changes: Callable[[Inventory], int]
    ) -> Inventory | None:
        row: Inventory | None = self._rows.get(event_id)
        if row is None or not guard(row):
            return None
        values: dict[str, Any] = {name: change(row) for name, change in changes.items()}
        updated = dataclasses.replace(row, **values)
        self._rows[event_id] = updated
        return updated

    async def get(self, event_id: uuid.UUID) -> Inventory | None:
        return self._rows.get(event_id)

    async def terms(self, event_id: uuid.UUID) -> SaleTerms | None:
        row: Inventory | None = self._rows.get(event_id)
        return row.terms if row is not None else None

    async def lock(self, event_id: uuid.UUID) -> Inventory | None:
        return self._rows.get(event_id)

    async def take_seat(self, event_id: uuid.UUID, *, now: datetime, seats: int = 1) -> Inventory | None:
        return self._take_free(event_id, now=now, seats=seats, none_held=False)

    def _take_free(
        self, event_id: uuid.UUID, *, now: datetime, seats: int, none_held: bool
    ) -> Inventory | None:
        return self._update(
            event_id,
            lambda r: r.is_open_at(now) and r.bookable_seats >= seats and (r.reserved == 0 or not none_held),
            available=lambda r: r.available - seats,
        )

    async def take_seat_at_once(
        self, event_id: uuid.UUID, *, now: datetime, seats: int = 1
    ) -> Inventory | None:
        # One lock serialises the memory database: the writes made so far stand with the
        # entry's commit, which the caller makes only when a seat was taken.
        return self._take_free(event_id, now=now, seats=seats, none_held=True)

    async def take_held_seat(self, event_id: uuid.UUID, *, now: datetime, seats: int = 1) -> Inventory | None:
        return self._update(
            event_id,
            lambda r: r.is_open_at(now) and r.reserved >= seats,
            reserved=lambda r: r.reserved - seats,
        )

    async def release_seats(self, event_id: uuid.UUID, count: int = 1) -> None:
        self._update(event_id, lambda r: True, available=lambda r: r.available + count)

    async def return_seats(self, seats: Mapping[uuid.UUID, int], *, now: datetime) -> list[Inventory]:
        served = []
        for event_id, count in sorted(seats.items()):
            before: Inventory | None = self._rows.get(event_id)
            if before is None:
                continue
            after = dataclasses.replace(before, available=before.available + count)
            self._rows[event_id] = after
            if after.is_open_at(now) and after.waiting > 0 and after.available > 0:
                served.append(after)
        return served

    async def release_held_seat(self, event_id: uuid.UUID, seats: int = 1) -> bool:
        return (
            self._update(
                event_id,
                lambda r: r.reserved >= seats,
                reserved=lambda r: r.reserved - seats,
                available=lambda r: r.available + seats,
            )
            is not None
        )

    async def offer_to_queues(self, offers: Mapping[uuid.UUID, QueueOffer], *, now: datetime) -> int:
        changed = 0
        for event_id, offer in offers.items():
            row: Inventory | None = self._rows.get(event_id)
            if row and row.is_open_at(now) and row.available >= offer.seats and row.waiting >= offer.entries:
                self._rows[event_id] = dataclasses.replace(
                    row,
                    available=row.available - offer.seats,
                    reserved=row.reserved + offer.seats,
                    waiting=row.waiting - offer.entries,
                )
                changed += 1
        return changed

    async def enqueue(self, event_id: uuid.UUID, *, now: datetime, seats: int = 1) -> int | None:
        updated = self._update(
            event_id,
            lambda r: r.is_open_at(now) and (r.available < seats or r.waiting > 0),
            waiting=lambda r: r.waiting + 1,
            next_position=lambda r: r.next_position + 1,
        )
        return updated.next_position if updated else None

    async def dequeue_waiting(self, event_id: uuid.UUID) -> bool:
        return self._update(event_id, lambda r: r.waiting > 0, waiting=lambda r: r.waiting - 1) is not None

    async def clear_queue(self, event_id: uuid.UUID) -> None:
        self._update(
            event_id,
            lambda r: True,
            available=lambda r: r.available + r.reserved,
            reserved=lambda r: 0,
            waiting=lambda r: 0,
        )

    async def open(self, inventory: Inventory) -> None:
        self._rows.setdefault(inventory.event_id, inventory)

    async def resize(self, event_id: uuid.UUID, capacity: int) -> None:
        self._update(
            event_id,
            lambda r: True,
            capacity=lambda r: capacity,
            available=lambda r: r.available + capacity - r.capacity,
        )

    async def close(self, event_id: uuid.UUID, status: InventoryStatus) -> None:
        row: Inventory | None = self._rows.get(event_id)
        if row is not None and row.status is InventoryStatus.OPEN:
            self._rows[event_id] = dataclasses.replace(row, status=status)


class MemoryBookingRepository(_Table):
    table_name = BOOKINGS

    def _where(self, predicate: Callable[[Booking], bool]) -> list[Booking]:
        return [b for b in self._rows.values() if predicate(b)]

    async def add(self, booking: Booking) -> None:
        if booking.status in ACTIVE_STATUSES:
            existing = await self.active_for(booking.event_id, booking.user_id)
            if existing is not None:
                raise BookingDuplicate(existing.id)
        self._rows[booking.id] = booking

    async def get(self, booking_id: uuid.UUID) -> Booking | None:
        return self._rows.get(booking_id)

    async def active_for(self, event_id: uuid.UUID, user_id: uuid.UUID) -> Booking | None:
        found = self._where(
            lambda b: b.event_id == event_id and b.user_id == user_id and b.status in ACTIVE_STATUSES
        )
        return found[0] if found else None

    def _move(
        self,
        booking: Booking,
        new: BookingStatus,
        now: datetime,
        payment_status: PaymentStatus | None,
        refund_held_money: bool = False,
    ) -> Booking:
        if refund_held_money and booking.payment_status in MONEY_HELD:
            payment_status = PaymentStatus.REFUND_PENDING
        updated = dataclasses.replace(
            booking, status=new, updated_at=now, payment_status=payment_status or booking.payment_status
        )
        self._rows[booking.id] = updated
        return updated

    async def lock(self, booking_id: uuid.UUID) -> Booking | None:
        return await self.get(booking_id)

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
        booking: Booking | None = self._rows.get(booking_id)
        if booking is None or booking.status is not expected:
            return None
        return self._move(booking, new, now, payment_status, refund_held_money)

    async def transition_all(
        self,
        event_id: uuid.UUID,
        *,
        expected: BookingStatus,
        new: BookingStatus,
        now: datetime,
        refund_held_money: bool = False,
    ) -> list[Booking]:
        return [
            self._move(booking, new, now, None, refund_held_money)
            for booking in self._in_booking_order(
                self._where(lambda b: b.event_id == event_id and b.status is expected)
            )
        ]

    async def transition_many(
        self,
        booking_ids: Collection[uuid.UUID],
        *,
        expected: BookingStatus,
        new: BookingStatus,
        now: datetime,
        refund_held_money: bool = False,
    ) -> list[Booking]:
        moved = []
        for booking_id in sorted(set(booking_ids)):
            booking: Booking | None = self._rows.get(booking_id)
            if booking is not None and booking.status is expected:
                moved.append(self._move(booking, new, now, None, refund_held_money))
        return moved

    async def cancel_companion(
        self,
        booking_id: uuid.UUID,
        seat: int,
        *,
        expected_party_size: int,
        share: Decimal,
        now: datetime,
    ) -> Booking | None:
        booking: Booking | None = self._rows.get(booking_id)
        if (
            booking is None
            or booking.status not in ACTIVE_STATUSES
            or booking.party_size != expected_party_size
            or booking.party_size <= 1
        ):
            return None
        companion = booking.companion(seat)
        if companion is None or not companion.is_active:
            return None
        updated = dataclasses.replace(
            booking,
            party_size=booking.party_size - 1,
            amount=booking.amount - share,
            companions=tuple(
                dataclasses.replace(c, cancelled_at=now) if c.number == seat else c
                for c in booking.companions
            ),
            updated_at=now,
        )
        self._rows[booking_id] = updated
        return updated

    async def set_companions(
        self, booking_id: uuid.UUID, companions: tuple[Companion, ...], *, now: datetime
    ) -> None:
        booking: Booking | None = self._rows.get(booking_id)
        if booking is not None:
            self._rows[booking_id] = dataclasses.replace(booking, companions=companions, updated_at=now)

    async def set_payment_status(
        self, booking_id: uuid.UUID, *, expected: PaymentStatus, new: PaymentStatus, now: datetime
    ) -> Booking | None:
        booking: Booking | None = self._rows.get(booking_id)
        if booking is None or booking.payment_status is not expected:
            return None
        return self._move(booking, booking.status, now, new)

    async def extend_hold(self, booking_id: uuid.UUID, *, until: datetime, now: datetime) -> bool:
        booking: Booking | None = self._rows.get(booking_id)
        if booking is None or booking.status is not BookingStatus.PENDING:
            return False
        self._rows[booking_id] = dataclasses.replace(booking, expires_at=until, updated_at=now)
        return True

    async def extend_holds(self, holds: Mapping[uuid.UUID, datetime], *, now: datetime) -> None:
        for booking_id, until in holds.items():
            await self.extend_hold(booking_id, until=until, now=now)

    async def claim_expired(
        self, *, now: datetime, limit: int, share: EventShare = ALL_EVENTS
    ) -> list[uuid.UUID]:
        due = self._where(
            lambda b: (
                b.status is BookingStatus.PENDING
                and b.expires_at is not None
                and b.expires_at <= now
                and share.holds(b.event_id)
            )
        )
        return [b.id for b in sorted(due, key=lambda b: (b.expires_at, b.id))[:limit]]

    @staticmethod
    def _in_booking_order(bookings: Iterable[Booking]) -> list[Booking]:
        return sorted(bookings, key=lambda b: (b.created_at, b.id))

    async def list_for_user(
        self,
        user_id: uuid.UUID,
        paging: PageRequest,
        *,
        statuses: Collection[BookingStatus] = (),
        sort: BookingSort = (),
    ) -> Page[Booking]:
        rows = self._where(lambda b: b.user_id == user_id and (not statuses or b.status in statuses))
        return _page(self._sorted(rows, sort, MY_BOOKINGS_ORDER), paging)

    async def list_for_event(
        self,
        event_id: uuid.UUID,
        paging: PageRequest,
        *,
        statuses: Collection[BookingStatus] = (),
        sort: BookingSort = (),
    ) -> Page[Booking]:
        rows = self._where(lambda b: b.event_id == event_id and (not statuses or b.status in statuses))
        return _page(self._sorted(rows, sort, EVENT_BOOKINGS_ORDER), paging)

    def _sorted(self, rows: list[Booking], requested: BookingSort, default: BookingSort) -> list[Booking]:
        """The reading order of ``sorting``: stable sorts from the last key to the first."""
        order, ids_descending = reading_order(requested, default)
        inventories = self._db.table(INVENTORIES)
        values: dict[BookingSortField, Callable[[Booking], Any]] = {
            BookingSortField.CREATED_AT: lambda b: b.created_at,
            BookingSortField.UPDATED_AT: lambda b: b.updated_at,
            BookingSortField.STARTS_AT: lambda b: inventories[b.event_id].starts_at,
            BookingSortField.STATUS: lambda b: STATUS_RANK[b.status],
        }
        rows = sorted(rows, key=lambda b: b.id, reverse=ids_descending)
        for key in reversed(order):
            rows.sort(key=values[key.field], reverse=key.descending)
        return rows

    async def all_for_event(
        self, event_id: uuid.UUID, *, statuses: Collection[BookingStatus]
    ) -> list[Booking]:
        return self._in_booking_order(self._where(lambda b: b.event_id == event_id and b.status in statuses))


class MemoryBookingLog(_Table):
    table_name = BOOKING_LOG

    async def add(self, *entries: BookingLogEntry) -> None:
        for entry in entries:
            self._rows[entry.id] = entry

    async def list_for_booking(self, booking_id: uuid.UUID) -> list[BookingLogEntry]:
        rows = [e for e in self._rows.values() if e.booking_id == booking_id]
        return sorted(rows, key=lambda e: e.created_at)  # stable: insertion order breaks ties


class MemoryWaitlistRepository(_Table):
    table_name = WAITLIST

    def _live(self, event_id: uuid.UUID) -> list[WaitlistEntry]:
        return [e for e in self._rows.values() if e.event_id == event_id and e.is_live]

    def _change(
        self, entry_id: uuid.UUID, guard: Callable[[WaitlistEntry], bool], **changes: Any
    ) -> WaitlistEntry | None:
        entry: WaitlistEntry | None = self._rows.get(entry_id)
        if entry is None or not guard(entry):
            return None
        updated = dataclasses.replace(entry, **changes)
        self._rows[entry_id] = updated
        return updated

    async def add(self, entry: WaitlistEntry) -> None:
        if entry.is_live and await self.live_entry(entry.event_id, entry.user_id) is not None:
            raise WaitlistDuplicate()
        if any(e.event_id == entry.event_id and e.position == entry.position for e in self._rows.values()):
            raise ValueError(f"waitlist position {entry.position} of event {entry.event_id} is taken")
        self._rows[entry.id] = entry

    async def get(self, entry_id: uuid.UUID) -> WaitlistEntry | None:
        return self._rows.get(entry_id)

    async def live_entry(self, event_id: uuid.UUID, user_id: uuid.UUID) -> WaitlistEntry | None:
        return next((e for e in self._live(event_id) if e.user_id == user_id), None)

    async def largest_waiting_party(self, event_id: uuid.UUID) -> int:
        return max(
            (e.party_size for e in self._live(event_id) if e.status is WaitlistStatus.WAITING), default=0
        )

    async def waiting_heads(self, limits: Mapping[uuid.UUID, int]) -> dict[uuid.UUID, list[WaitlistEntry]]:
        heads = {}
        for event_id, limit in limits.items():
            waiting = sorted(
                (e for e in self._live(event_id) if e.status is WaitlistStatus.WAITING),
                key=lambda e: e.position,
            )
            if waiting and limit > 0:
                heads[event_id] = waiting[:limit]
        return heads

    async def notify(
        self, entry_ids: Collection[uuid.UUID], *, now: datetime, window_expires_at: datetime
    ) -> int:
        return sum(
            self._change(
                entry_id,
                lambda e: e.status is WaitlistStatus.WAITING,
                status=WaitlistStatus.NOTIFIED,
                notified_at=now,
                window_expires_at=window_expires_at,
            )
            is not None
            for entry_id in set(entry_ids)
        )

    async def convert(self, entry_id: uuid.UUID, *, now: datetime) -> bool:
        return (
            self._change(
                entry_id,
                lambda e: (
                    e.status is WaitlistStatus.NOTIFIED
                    and e.window_expires_at is not None
                    and e.window_expires_at > now
                ),
                status=WaitlistStatus.CONVERTED,
            )
            is not None
        )

    async def remove(self, entry_id: uuid.UUID, *, expected: WaitlistStatus) -> bool:
        return (
            self._change(entry_id, lambda e: e.status is expected, status=WaitlistStatus.REMOVED) is not None
        )

    async def expire_lapsed(self, entry_id: uuid.UUID, *, now: datetime) -> bool:
        return (
            self._change(
                entry_id,
                lambda e: (
                    e.status is WaitlistStatus.NOTIFIED
                    and e.window_expires_at is not None
                    and e.window_expires_at <= now
                ),
                status=WaitlistStatus.EXPIRED,
            )
            is not None
        )

    async def lapsed(self, *, now: datetime, limit: int) -> list[WaitlistEntry]:
        due = [
            e
            for e in self._rows.values()
            if e.status is WaitlistStatus.NOTIFIED
            and e.window_expires_at is not None
            and e.window_expires_at <= now
        ]
        return sorted(due, key=lambda e: (e.window_expires_at, e.id))[:limit]

    async def close_all(self, event_id: uuid.UUID) -> list[WaitlistEntry]:
        closed = []
        for entry in sorted(self._live(event_id), key=lambda e: e.position):
            new = (
                WaitlistStatus.EXPIRED if entry.status is WaitlistStatus.NOTIFIED else WaitlistStatus.REMOVED
            )
            closed.append(dataclasses.replace(entry, status=new))
            self._rows[entry.id] = closed[-1]
        return closed

    async def place(self, entry: WaitlistEntry) -> int:
        return sum(1 for e in self._live(entry.event_id) if e.position <= entry.position)

    async def live_for_user(self, user_id: uuid.UUID, paging: PageRequest) -> Page[WaitlistEntry]:
        rows = [e for e in self._rows.values() if e.user_id == user_id and e.is_live]
        return _page(sorted(rows, key=lambda e: (e.joined_at, e.id)), paging)


class MemoryWaitlistAudit(_Table):
    table_name = WAITLIST_AUDIT

    async def add(self, *entries: WaitlistAuditEntry) -> None:
        for entry in entries:
            self._rows[entry.id] = entry

    async def list_for_event(self, event_id: uuid.UUID) -> list[WaitlistAuditEntry]:
        rows = [e for e in self._rows.values() if e.event_id == event_id]
        return sorted(rows, key=lambda e: e.created_at)  # stable: insertion order breaks ties


class MemoryBookingUnitOfWork(MemoryUnitOfWork):
    domain = "booking"

    def __init__(self, db: MemoryDatabase) -> None:
        super().__init__(db)
        self.inventories = MemoryInventoryRepository(db)
        self.bookings = MemoryBookingRepository(db)
        self.log = MemoryBookingLog(db)
        self.waitlist = MemoryWaitlistRepository(db)
        self.waitlist_audit = MemoryWaitlistAudit(db)
        self.request_keys = MemoryRequestKeys(db, IDEMPOTENCY)


class MemorySeatInventory(_Table):
    """The catalog's ``SeatInventory``, served by booking: changes run booking's use cases
    (``domain.booking.sales``), each in a memory booking unit of work of its own; reads take
    no lock (the catalog asks from inside its own unit of work, which may hold it, and a
    dictionary read cannot see a half-made change)."""

    table_name = INVENTORIES

    def __init__(self, db: MemoryDatabase, clock: Clock, policy: BookingPolicy) -> None:
        super().__init__(db)
        self._clock = clock
        self._policy = policy

    async def open(self, listing: EventListing) -> None:
        await OpenSales(MemoryBookingUnitOfWork(self._db))(**dataclasses.asdict(listing))

    async def resize(self, event_id: uuid.UUID, *, expected: int, capacity: int) -> SeatResize:
        resize = ResizeSales(MemoryBookingUnitOfWork(self._db), self._clock, self._policy)
        return SeatResize((await resize(event_id, expected=expected, capacity=capacity)).value)

    async def close(self, event_id: uuid.UUID, status: Literal["CANCELLED", "COMPLETED"]) -> None:
        await StopSales(MemoryBookingUnitOfWork(self._db))(event_id, InventoryStatus(status))

    async def availability(self, event_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, Availability]:
        return {
            row.event_id: Availability(row.capacity, row.bookable_seats)
            for event_id in event_ids
            if (row := self._rows.get(event_id)) is not None
        }

    async def sold_out(self) -> Collection[uuid.UUID]:
        rows: Iterable[Inventory] = list(self._rows.values())
        return {r.event_id for r in rows if r.status is InventoryStatus.OPEN and r.bookable_seats <= 0}


class MemoryConfirmedBookingsLookup:
    """The catalog's ``ConfirmedBookingsLookup`` (the private calendar feed) on the booking
    table. It reads without the database lock, which the catalog's unit of work may hold,
    and a dictionary read cannot see a half-made change."""

    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def event_ids_for_user(self, user_id: uuid.UUID) -> Collection[uuid.UUID]:
        shown = {BookingStatus.CONFIRMED, BookingStatus.COMPLETED}
        return {
            b.event_id
            for b in list(self._db.table(BOOKINGS).values())
            if b.user_id == user_id and b.status in shown
        }


class MemoryParticipantDirectory:
    """Participants known by hand: ``contactable`` user ids and their ``contacts``."""

    def __init__(
        self,
        contactable: Iterable[uuid.UUID] = (),
        contacts: Mapping[uuid.UUID, ParticipantContact] | None = None,
    ) -> None:
        self.contactable: set[uuid.UUID] = set(contactable)
        self.known: dict[uuid.UUID, ParticipantContact] = dict(contacts or {})

    async def is_contactable(self, user_id: uuid.UUID) -> bool:
        return user_id in self.contactable

    async def contacts(self, user_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, ParticipantContact]:
        return {user_id: self.known[user_id] for user_id in user_ids if user_id in self.known}


class MemoryPaymentStatusProbe:
    """Bookings whose payment succeeded and QR receipts under review, set by hand."""

    GRACE = timedelta(minutes=5)

    def __init__(self, succeeded: Iterable[uuid.UUID] = ()) -> None:
        self.succeeded: set[uuid.UUID] = set(succeeded)
        self.under_review: dict[uuid.UUID, datetime] = {}  # booking id -> end of the review hold

    async def hold_until(self, booking_id: uuid.UUID, *, now: datetime) -> datetime | None:
        if booking_id in self.succeeded:
            return now + self.GRACE
        return self.under_review.get(booking_id)

    async def hold_until_many(
        self, booking_ids: Collection[uuid.UUID], *, now: datetime
    ) -> Mapping[uuid.UUID, datetime]:
        holds = {booking_id: await self.hold_until(booking_id, now=now) for booking_id in booking_ids}
        return {booking_id: until for booking_id, until in holds.items() if until is not None and until > now}


class MemoryOrganizerAccess:
    """Owners of each organizer, set by hand; admins manage every organizer."""

    def __init__(self, owners: Mapping[uuid.UUID, Iterable[uuid.UUID]] | None = None) -> None:
        self.owners: dict[uuid.UUID, set[uuid.UUID]] = {
            organizer_id: set(users) for organizer_id, users in (owners or {}).items()
        }

    async def can_manage(self, principal: Principal, organizer_id: uuid.UUID) -> bool:
        return principal.is_admin or principal.user_id in self.owners.get(organizer_id, set())


class MemoryOrganizerNames:
    """Booking's ``OrganizerNames`` for tests of booking alone: the organizers a test put here."""

    def __init__(self, known: Iterable[OrganizerName] = ()) -> None:
        self.known: dict[uuid.UUID, OrganizerName] = {o.organizer_id: o for o in known}

    async def names(self, organizer_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, OrganizerName]:
        return {i: self.known[i] for i in organizer_ids if i in self.known}


class MemoryOpenPayments:
    """Booking's ``OpenPayments`` for tests of booking alone: the payments a test put here."""

    def __init__(self) -> None:
        self.payments: dict[uuid.UUID, OpenPayment] = {}

    async def open_for(self, booking_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, OpenPayment]:
        return {
            booking_id: self.payments[booking_id] for booking_id in booking_ids if booking_id in self.payments
        }


class MemoryBookingDirectory:
    """Payments' ``BookingDirectory``, served by booking from its tables of the same memory
    database."""

    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def booking(self, booking_id: uuid.UUID) -> PayableBooking | None:
        booking = self._db.table(BOOKINGS).get(booking_id)
        if booking is None:
            return None
        inventory = self._db.table(INVENTORIES).get(booking.event_id)
        if inventory is None:
            return None
        return PayableBooking(
            id=booking.id,
            event_id=booking.event_id,
            organizer_id=inventory.organizer_id,
            user_id=booking.user_id,
            status=booking.status.value,
            payment_status=booking.payment_status.value,
            amount=booking.amount,
            currency=booking.currency,
            expires_at=booking.expires_at,
            event_title=inventory.title,
        )

    async def event_organizer(self, event_id: uuid.UUID) -> uuid.UUID | None:
        inventory = self._db.table(INVENTORIES).get(event_id)
        return inventory.organizer_id if inventory is not None else None
