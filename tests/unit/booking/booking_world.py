"""A booking world on the memory adapters: an organizer, users, events and every use case."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any, Literal

from aquastream.adapters.memory.booking import (
    BOOKING_LOG,
    BOOKINGS,
    INVENTORIES,
    WAITLIST,
    WAITLIST_AUDIT,
    MemoryBookingUnitOfWork,
    MemoryOpenPayments,
    MemoryOrganizerAccess,
    MemoryOrganizerNames,
    MemoryParticipantDirectory,
    MemoryPaymentStatusProbe,
    MemorySeatInventory,
)
from aquastream.adapters.memory.clock import FrozenClock
from aquastream.adapters.memory.database import MemoryDatabase
from aquastream.adapters.pay_links import SignedPayLinks
from aquastream.domain.booking.book import BookSeat
from aquastream.domain.booking.jobs import (
    CancelEventBookings,
    CompleteEventBookings,
    ExpireHolds,
    HandOverFreedSeats,
    LapseWaitlistWindows,
)
from aquastream.domain.booking.manage import CancelBooking, ConfirmBooking, MarkNoShow
from aquastream.domain.booking.model import (
    SEAT_HOLDING_STATUSES,
    Booking,
    BookingLogEntry,
    Inventory,
    OrganizerName,
    WaitlistAuditEntry,
    WaitlistEntry,
    WaitlistStatus,
)
from aquastream.domain.booking.party import CancelCompanionSeat
from aquastream.domain.booking.payments import ConfirmPaidBooking
from aquastream.domain.booking.policy import BookingPolicy
from aquastream.domain.booking.queries import (
    ExportParticipants,
    GetBooking,
    ListEventBookings,
    ListMyBookings,
)
from aquastream.domain.booking.views import DescribeBookings
from aquastream.domain.booking.waitlist import (
    GetMyWaitlistPosition,
    JoinWaitlist,
    LeaveWaitlist,
    ListMyWaitlist,
)
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.principal import Principal, Role
from aquastream.ports.catalog import EventListing, SeatResize

PAY_LINKS = SignedPayLinks("pay-links-secret-" * 4, "https://api.test")


class KnownCheckIns:
    """Tickets' ``CheckInRecord``, set by hand: the bookings with a seat checked in, per event
    (an event left out did not use check-in)."""

    def __init__(self) -> None:
        self.by_event: dict[uuid.UUID, set[uuid.UUID]] = {}

    async def bookings_checked_in(self, event_id: uuid.UUID) -> set[uuid.UUID] | None:
        return self.by_event.get(event_id)


class BookingWorld:
    def __init__(self, policy: BookingPolicy | None = None) -> None:
        self.db = MemoryDatabase()
        self.clock = FrozenClock()
        self.policy = policy or BookingPolicy()
        self.seats = MemorySeatInventory(self.db, self.clock, self.policy)
        self.participants = MemoryParticipantDirectory()
        self.payments = MemoryPaymentStatusProbe()
        self.organizer = self.new_user(Role.ORGANIZER)
        self.admin = self.new_user(Role.ADMIN)
        self.organizer_id = new_id()
        self.access = MemoryOrganizerAccess({self.organizer_id: {self.organizer.user_id}})
        uow = self.new_uow
        clock, policy_, access = self.clock, self.policy, self.access
        self.book = BookSeat(uow(), clock, self.participants, policy_, PAY_LINKS)
        self.cancel = CancelBooking(uow(), clock, access, policy_)
        self.cancel_companion = CancelCompanionSeat(uow(), clock, access, policy_)
        self.confirm = ConfirmBooking(uow(), clock, access)
        self.no_show = MarkNoShow(uow(), clock, access)
        self.get_booking = GetBooking(uow(), access)
        self.open_payments = MemoryOpenPayments()
        self.organizer_names = MemoryOrganizerNames(
            [OrganizerName(self.organizer_id, "river-rats", "River Rats")]
        )
        self.describe = DescribeBookings(
            uow(), clock, access, self.open_payments, PAY_LINKS, self.organizer_names, self.participants
        )
        self.my_bookings = ListMyBookings(uow())
        self.event_bookings = ListEventBookings(uow(), access)
        self.export = ExportParticipants(uow(), access, self.participants)
        self.expire_holds = ExpireHolds(uow(), clock, self.payments, policy_)
        self.confirm_paid = ConfirmPaidBooking(uow(), clock, policy_)
        self.lapse_windows = LapseWaitlistWindows(uow(), clock, policy_)
        self.hand_over = HandOverFreedSeats(uow(), clock, policy_)
        self.check_ins = KnownCheckIns()
        self.complete_event = CompleteEventBookings(uow(), clock, self.check_ins)
        self.cancel_event = CancelEventBookings(uow(), clock)
        self.join = JoinWaitlist(uow(), clock, self.participants, policy_)
        self.leave = LeaveWaitlist(uow(), clock, policy_)
        self.my_place = GetMyWaitlistPosition(uow())
        self.my_waitlist = ListMyWaitlist(uow())

    def new_uow(self) -> MemoryBookingUnitOfWork:
        return MemoryBookingUnitOfWork(self.db)

    def new_user(self, role: Role = Role.USER, *, contactable: bool = True) -> Principal:
        principal = Principal(new_id(), role)
        if contactable:
            self.participants.contactable.add(principal.user_id)
        return principal

    async def publish(
        self,
        capacity: int = 2,
        *,
        price: Decimal | None = None,
        currency: str = "RUB",
        starts_in: timedelta = timedelta(days=10),
    ) -> uuid.UUID:
        """What the catalog does on publish: open the seats booking serves."""
        event_id = new_id()
        starts_at = self.clock.now() + starts_in
        await self.seats.open(
            EventListing(
                event_id=event_id,
                organizer_id=self.organizer_id,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=6),
                capacity=capacity,
                price=price,
                currency=currency,
                title="Rafting on the Katun",
            )
        )
        return event_id

    async def resize(self, event_id: uuid.UUID, capacity: int) -> bool:
        expected = self.inventory(event_id).capacity if event_id in self.db.table(INVENTORIES) else capacity
        return await self.seats.resize(event_id, expected=expected, capacity=capacity) is SeatResize.RESIZED

    async def close(self, event_id: uuid.UUID, status: Literal["CANCELLED", "COMPLETED"]) -> None:
        await self.seats.close(event_id, status)

    # Reading committed state straight from the tables, as an operator would with SQL.

    def inventory(self, event_id: uuid.UUID) -> Inventory:
        inventory: Inventory = self.db.table(INVENTORIES)[event_id]
        return inventory

    def bookings(self, event_id: uuid.UUID) -> list[Booking]:
        return [b for b in self.db.table(BOOKINGS).values() if b.event_id == event_id]

    def booking(self, booking_id: uuid.UUID) -> Booking:
        booking: Booking = self.db.table(BOOKINGS)[booking_id]
        return booking

    def log(self, booking_id: uuid.UUID) -> list[BookingLogEntry]:
        # In insertion order: the frozen clock gives one transaction's rows the same time.
        return [e for e in self.db.table(BOOKING_LOG).values() if e.booking_id == booking_id]

    def entries(self, event_id: uuid.UUID) -> list[WaitlistEntry]:
        rows = [e for e in self.db.table(WAITLIST).values() if e.event_id == event_id]
        return sorted(rows, key=lambda e: e.position)

    def entry_of(self, event_id: uuid.UUID, user: Principal) -> WaitlistEntry:
        return next(e for e in self.entries(event_id) if e.user_id == user.user_id and e.is_live)

    def audit(self, event_id: uuid.UUID) -> list[WaitlistAuditEntry]:
        return [e for e in self.db.table(WAITLIST_AUDIT).values() if e.event_id == event_id]

    def outbox_events(self) -> list[str]:
        return [row.event_name for row in self.db.table("outbox").values()]

    def outbox_payload(self, event_name: str) -> dict[str, Any]:
        """The payload of the last outbox message of that name, as JSON."""
        rows = [row for row in self.db.table("outbox").values() if row.event_name == event_name]
        payload: dict[str, Any] = json.loads(rows[-1].payload)
        return payload

    def check_invariants(self, event_id: uuid.UUID) -> None:
        """The seat invariant of SPEC §4 and the waitlist's counters, on committed state."""
        inventory = self.inventory(event_id)
        # Seats, not rows: a group booking holds its party, a notified group entry its party's.
        holding = sum(b.party_size for b in self.bookings(event_id) if b.status in SEAT_HOLDING_STATUSES)
        entries = self.entries(event_id)
        waiting = sum(1 for e in entries if e.status is WaitlistStatus.WAITING)
        notified = sum(e.party_size for e in entries if e.status is WaitlistStatus.NOTIFIED)
        assert holding + inventory.reserved + inventory.available == inventory.capacity, inventory
        assert inventory.available >= 0
        assert inventory.reserved >= 0
        assert inventory.waiting == waiting, (inventory, entries)
        assert inventory.reserved == notified, (inventory, entries)
        positions = [e.position for e in entries]
        assert positions == sorted(set(positions))
        assert all(p <= inventory.next_position for p in positions)
        active_users = [b.user_id for b in self.bookings(event_id) if b.is_active]
        assert len(active_users) == len(set(active_users))
        live_users = [e.user_id for e in entries if e.is_live]
        assert len(live_users) == len(set(live_users))
        # Nobody holds two seats: a booking and a place in the queue exclude each other.
        assert not set(active_users) & set(live_users), (active_users, entries)
