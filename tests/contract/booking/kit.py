"""The booking adapters on one backend (memory, SQLite or PostgreSQL), with every use case
built the way the application builds it: a new unit of work per call."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.memory.booking import (
    BOOKINGS,
    INVENTORIES,
    WAITLIST,
    MemoryBookingUnitOfWork,
    MemoryOrganizerAccess,
    MemoryParticipantDirectory,
    MemoryPaymentStatusProbe,
    MemorySeatInventory,
)
from aquastream.adapters.memory.clock import FrozenClock
from aquastream.adapters.memory.database import MemoryDatabase
from aquastream.adapters.sql.booking import SqlBookingUnitOfWork, SqlSeatInventory
from aquastream.adapters.sql.tables.booking import (
    booking_log,
    bookings,
    inventories,
    outbox,
    waitlist_entries,
)
from aquastream.domain.booking.book import BookSeat
from aquastream.domain.booking.jobs import ExpireHolds, HandOverFreedSeats, LapseWaitlistWindows
from aquastream.domain.booking.manage import CancelBooking, ConfirmBooking
from aquastream.domain.booking.model import (
    ALL_EVENTS,
    SEAT_HOLDING_STATUSES,
    Booking,
    EventShare,
    WaitlistPlace,
    WaitlistStatus,
)
from aquastream.domain.booking.party import CancelCompanionSeat, CompanionRequest
from aquastream.domain.booking.policy import BookingPolicy
from aquastream.domain.booking.waitlist import JoinWaitlist, LeaveWaitlist
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.principal import Principal, Role
from aquastream.domain.shared.requests import KeyedRequest
from aquastream.ports.booking import BookingUnitOfWork
from aquastream.ports.catalog import EventListing, SeatInventory, SeatResize
from aquastream.ports.idempotency import StoredResponse
from tests.unit.booking.booking_world import PAY_LINKS

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class SeatState:
    """The counters of one event next to what the rows say, read outside any use case."""

    capacity: int
    available: int
    reserved: int
    waiting: int
    seat_holding_bookings: int  # the seats they hold: a group booking counts its party
    waiting_entries: int
    notified_entries: int  # the seats held for them: a group entry counts its party
    most_active_bookings_of_one_user: int
    most_live_entries_of_one_user: int

    def assert_consistent(self) -> None:
        assert self.seat_holding_bookings + self.reserved + self.available == self.capacity, self
        assert min(self.available, self.reserved, self.waiting) >= 0, self
        assert self.waiting == self.waiting_entries, self
        assert self.reserved == self.notified_entries, self
        assert self.most_active_bookings_of_one_user <= 1, self
        assert self.most_live_entries_of_one_user <= 1, self


class BookingKit:
    def __init__(
        self,
        name: str,
        new_uow: Callable[[], BookingUnitOfWork],
        seats: Callable[[BookingPolicy], SeatInventory],
        *,
        engine: AsyncEngine | None = None,
        db: MemoryDatabase | None = None,
        policy: BookingPolicy | None = None,
    ) -> None:
        self.name = name
        self.new_uow = new_uow
        self.engine = engine
        self.db = db
        self.clock = FrozenClock(NOW)
        self.policy = policy or BookingPolicy()
        self.seats = seats(self.policy)
        self.participants = MemoryParticipantDirectory()
        self.payments = MemoryPaymentStatusProbe()
        self.organizer = Principal(new_id(), Role.ORGANIZER)
        self.organizer_id = new_id()
        self.access = MemoryOrganizerAccess({self.organizer_id: {self.organizer.user_id}})

    @property
    def one_writer_at_a_time(self) -> bool:
        return self.name != "postgres"

    def new_user(self) -> Principal:
        user = Principal(new_id(), Role.USER)
        self.participants.contactable.add(user.user_id)
        return user

    # What the catalog asks of the seats booking serves.

    async def publish(
        self,
        capacity: int,
        *,
        price: Decimal | None = None,
        currency: str = "RUB",
        starts_in: timedelta = timedelta(days=30),
    ) -> uuid.UUID:
        event_id = new_id()
        starts_at = NOW + starts_in
        listing = EventListing(
            event_id=event_id,
            organizer_id=self.organizer_id,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=5),
            capacity=capacity,
            price=price,
            currency=currency,
            title="Kayak weekend",
        )
        await self.seats.open(listing)
        return event_id

    async def resize(self, event_id: uuid.UUID, capacity: int) -> bool:
        """Resize from the capacity booking has now; whether it was done."""
        found = (await self.seats.availability([event_id])).get(event_id)
        expected = found.capacity if found is not None else capacity
        outcome = await self.seats.resize(event_id, expected=expected, capacity=capacity)
        return outcome is SeatResize.RESIZED

    # Use cases, each on a unit of work of its own.

    async def book(
        self, user: Principal, event_id: uuid.UUID, party_size: int = 1, *, key: str | None = None
    ) -> Booking:
        """``key``: the request's Idempotency-Key (its answer is the booking's id)."""
        companions = [CompanionRequest(name=f"Companion {n}") for n in range(1, party_size)]
        request = None
        if key is not None:
            fingerprint = f"{event_id}/{party_size}"
            request = KeyedRequest(user.user_id, key, fingerprint, lambda b: StoredResponse(201, b.id.bytes))
        return await BookSeat(self.new_uow(), self.clock, self.participants, self.policy, PAY_LINKS)(
            user, event_id, request, companions
        )

    async def cancel_companion(self, user: Principal, booking_id: uuid.UUID, seat: int) -> Booking:
        return await CancelCompanionSeat(self.new_uow(), self.clock, self.access, self.policy)(
            user, booking_id, seat
        )

    async def cancel(self, user: Principal, booking_id: uuid.UUID) -> Booking:
        return await CancelBooking(self.new_uow(), self.clock, self.access, self.policy)(user, booking_id)

    async def confirm(self, booking_id: uuid.UUID) -> Booking:
        return await ConfirmBooking(self.new_uow(), self.clock, self.access)(self.organizer, booking_id)

    async def join(self, user: Principal, event_id: uuid.UUID, party_size: int = 1) -> WaitlistPlace:
        return await JoinWaitlist(self.new_uow(), self.clock, self.participants, self.policy)(
            user, event_id, party_size
        )

    async def leave(self, user: Principal, event_id: uuid.UUID) -> None:
        await LeaveWaitlist(self.new_uow(), self.clock, self.policy)(user, event_id)

    async def expire_holds(self, share: EventShare = ALL_EVENTS) -> int:
        return await ExpireHolds(self.new_uow(), self.clock, self.payments, self.policy)(share)

    async def lapse_windows(self) -> int:
        return await LapseWaitlistWindows(self.new_uow(), self.clock, self.policy)()

    async def hand_over(self, event_id: uuid.UUID) -> int:
        return await HandOverFreedSeats(self.new_uow(), self.clock, self.policy)(event_id)

    async def written_for(self, booking_id: uuid.UUID) -> tuple[int, list[str]]:
        """The booking's log rows, and the names of the facts in booking's outbox that name it."""
        if self.engine is not None:
            async with self.engine.connect() as connection:
                logged = await connection.scalar(
                    select(func.count())
                    .select_from(booking_log)
                    .where(booking_log.c.booking_id == booking_id)
                )
                names = (
                    await connection.execute(
                        select(outbox.c.event_name).where(outbox.c.payload.contains(str(booking_id)))
                    )
                ).scalars()
                return int(logged or 0), sorted(names)
        assert self.db is not None
        logs = self.db.table("booking.booking_log").values()
        facts = self.db.table("outbox").values()
        return (
            sum(1 for entry in logs if entry.booking_id == booking_id),
            sorted(row.event_name for row in facts if str(booking_id).encode() in row.payload),
        )

    async def seat_state(self, event_id: uuid.UUID) -> SeatState:
        if self.engine is not None:
            return await _sql_seat_state(self.engine, event_id)
        assert self.db is not None
        return _memory_seat_state(self.db, event_id)


def _memory_seat_state(db: MemoryDatabase, event_id: uuid.UUID) -> SeatState:
    inventory = db.table(INVENTORIES)[event_id]
    event_bookings = [b for b in db.table(BOOKINGS).values() if b.event_id == event_id]
    entries = [e for e in db.table(WAITLIST).values() if e.event_id == event_id]
    active: dict[uuid.UUID, int] = {}
    for booking in event_bookings:
        if booking.is_active:
            active[booking.user_id] = active.get(booking.user_id, 0) + 1
    live: dict[uuid.UUID, int] = {}
    for entry in entries:
        if entry.is_live:
            live[entry.user_id] = live.get(entry.user_id, 0) + 1
    return SeatState(
        capacity=inventory.capacity,
        available=inventory.available,
        reserved=inventory.reserved,
        waiting=inventory.waiting,
        seat_holding_bookings=sum(b.party_size for b in event_bookings if b.status in SEAT_HOLDING_STATUSES),
        waiting_entries=sum(1 for e in entries if e.status is WaitlistStatus.WAITING),
        notified_entries=sum(e.party_size for e in entries if e.status is WaitlistStatus.NOTIFIED),
        most_active_bookings_of_one_user=max(active.values(), default=0),
        most_live_entries_of_one_user=max(live.values(), default=0),
    )


async def _sql_seat_state(engine: AsyncEngine, event_id: uuid.UUID) -> SeatState:
    """The invariant's terms counted by SQL straight from the tables."""
    b, w, i = bookings.c, waitlist_entries.c, inventories.c

    def count(table: Any, *where: Any) -> Any:
        return select(func.count()).select_from(table).where(*where).scalar_subquery()

    def seats(table: Any, *where: Any) -> Any:
        return select(func.coalesce(func.sum(table.c.party_size), 0)).where(*where).scalar_subquery()

    def most_per_user(table: Any, column: Any, statuses: list[str]) -> Any:
        per_user = (
            select(func.count().label("n"))
            .select_from(table)
            .where(column == event_id, table.c.status.in_(statuses))
            .group_by(table.c.user_id)
            .subquery()
        )
        return select(func.coalesce(func.max(per_user.c.n), 0)).scalar_subquery()

    query = select(
        i.capacity,
        i.available,
        i.reserved,
        i.waiting,
        seats(bookings, b.event_id == event_id, b.status.in_([s.value for s in SEAT_HOLDING_STATUSES])),
        count(waitlist_entries, w.event_id == event_id, w.status == WaitlistStatus.WAITING.value),
        seats(waitlist_entries, w.event_id == event_id, w.status == WaitlistStatus.NOTIFIED.value),
        most_per_user(bookings, b.event_id, ["PENDING", "CONFIRMED"]),
        most_per_user(waitlist_entries, w.event_id, ["WAITING", "NOTIFIED"]),
    ).where(i.event_id == event_id)
    async with engine.connect() as connection:
        row = (await connection.execute(query)).one()
    return SeatState(*row)


def memory_kit() -> BookingKit:
    db = MemoryDatabase()
    return BookingKit(
        "memory",
        lambda: MemoryBookingUnitOfWork(db),
        lambda policy: MemorySeatInventory(db, FrozenClock(NOW), policy),
        db=db,
    )


def sql_kit(name: str, engine: AsyncEngine) -> BookingKit:
    return BookingKit(
        name,
        lambda: SqlBookingUnitOfWork(engine),
        lambda policy: SqlSeatInventory(engine, FrozenClock(NOW), policy),
        engine=engine,
    )
