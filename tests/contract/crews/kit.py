"""The crews adapters on one backend (memory, SQLite or PostgreSQL), with every use case built the
way the application builds it: a new unit of work per call, crews' read model on it, and the
catalog's and identity's query ports served on connections of their own.

On SQL backends the other domains' rows (an organizer, events, profiles) are written straight
into their tables, which is what the crews adapters read; bookings are facts that crews files.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.memory.clock import FrozenClock
from aquastream.adapters.memory.crews import (
    ASSIGNMENTS,
    CREWS,
    MemoryConfirmedParticipants,
    MemoryCrewEvents,
    MemoryCrewsUnitOfWork,
    MemoryParticipantNames,
)
from aquastream.adapters.memory.database import MemoryDatabase
from aquastream.adapters.sql.catalog.organizers import CatalogCrewEvents
from aquastream.adapters.sql.crews import SqlConfirmedParticipants, SqlCrewsUnitOfWork
from aquastream.adapters.sql.identity import SqlIdentityUnitOfWork
from aquastream.adapters.sql.identity.directory import IdentityParticipantNames
from aquastream.adapters.sql.tables.catalog import events, organizers
from aquastream.adapters.sql.tables.crews import assignments, crews
from aquastream.domain.crews.access import Gate
from aquastream.domain.crews.assign import (
    AssignParticipant,
    ReleaseEndedBooking,
    TransferParticipant,
    UnassignParticipant,
)
from aquastream.domain.crews.auto import AutoAssign, AutoAssignReport
from aquastream.domain.crews.crews import CreateCrew, CrewChanges, UpdateCrew
from aquastream.domain.crews.model import (
    Assignment,
    Crew,
    CrewDetails,
    CrewEvent,
    CrewType,
    ParticipantSeat,
    Standing,
    Transfer,
)
from aquastream.domain.crews.policy import CrewPolicy
from aquastream.domain.crews.preferences import SetPreferences
from aquastream.domain.identity.model import Profile
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.principal import Principal, Role
from aquastream.ports.crews import ConfirmedParticipants, CrewEvents, CrewsUnitOfWork, ParticipantNames
from tests.contract.factories import a_user

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)

STANDINGS = {
    "CONFIRMED": Standing.CONFIRMED,
    "COMPLETED": Standing.COMPLETED,
    "CANCELLED": Standing.ENDED,
    "NO_SHOW": Standing.ENDED,
}

Ports = tuple[CrewsUnitOfWork, CrewEvents, ConfirmedParticipants, ParticipantNames]


class CrewsKit:
    def __init__(self, name: str, *, engine: AsyncEngine | None = None) -> None:
        self.name = name
        self.engine = engine
        self.db = MemoryDatabase()
        self.memory_events = MemoryCrewEvents()
        self.memory_participants = MemoryConfirmedParticipants()
        self.memory_names = MemoryParticipantNames()
        self.clock = FrozenClock(NOW)
        self.organizer = Principal(new_id(), Role.ORGANIZER)
        self.organizer_id = new_id()
        self.memory_events.owners[self.organizer_id] = {self.organizer.user_id}
        self._organizer_stored = False
        self.bookings: dict[tuple[uuid.UUID, uuid.UUID], uuid.UUID] = {}

    @property
    def one_writer_at_a_time(self) -> bool:
        return self.name != "postgres"

    def ports(self) -> Ports:
        """A new unit of work and the other domains' ports on it."""
        if self.engine is None:
            return (
                MemoryCrewsUnitOfWork(self.db),
                self.memory_events,
                self.memory_participants,
                self.memory_names,
            )
        uow = SqlCrewsUnitOfWork(self.engine)
        # The catalog and identity serve theirs on connections of their own engine (here the same).
        crew_events, names = CatalogCrewEvents(self.engine), IdentityParticipantNames(self.engine)
        return uow, crew_events, SqlConfirmedParticipants(uow), names

    def new_uow(self) -> CrewsUnitOfWork:
        return self.ports()[0]

    def _use_case(self, build: Callable[[CrewsUnitOfWork, Gate, ConfirmedParticipants], Any]) -> Any:
        uow, crew_events, participants, names = self.ports()
        return build(uow, Gate(crew_events, participants, names), participants)

    # --- what the catalog holds, and booking's facts as crews files them ---------------------

    async def _execute(self, *statements: Any) -> None:
        assert self.engine is not None
        async with self.engine.begin() as connection:
            for statement in statements:
                await connection.execute(statement)

    async def new_event(self, status: str = "PUBLISHED") -> uuid.UUID:
        event_id = new_id()
        if self.engine is None:
            is_open = status in ("DRAFT", "PUBLISHED")
            self.memory_events.events[event_id] = CrewEvent(event_id, self.organizer_id, is_open)
            return event_id
        statements: list[Any] = []
        if not self._organizer_stored:
            self._organizer_stored = True
            statements.append(
                insert(organizers).values(
                    id=self.organizer_id,
                    slug=f"org-{self.organizer_id.hex[:12]}",
                    name="River Rats",
                    owner_user_id=self.organizer.user_id,
                    search_text="river rats",
                    created_at=NOW,
                    updated_at=NOW,
                )
            )
        statements.append(
            insert(events).values(
                id=event_id,
                organizer_id=self.organizer_id,
                type="RAFTING",
                title="Msta",
                date_start=NOW + timedelta(days=30),
                date_end=NOW + timedelta(days=31),
                capacity=100,
                status=status,
                tags=[],
                search_text="msta",
                created_at=NOW,
                updated_at=NOW,
            )
        )
        await self._execute(*statements)
        return event_id

    async def booking(self, event_id: uuid.UUID, status: str = "CONFIRMED") -> Principal:
        """A new participant with a booking in ``status`` for the event."""
        user = Principal(new_id(), Role.USER)
        await self.set_booking(event_id, user.user_id, status, new=True)
        return user

    async def set_booking(
        self, event_id: uuid.UUID, user_id: uuid.UUID, status: str, *, new: bool = False
    ) -> None:
        """Booking's fact that the user's booking is now in ``status``, filed by crews the way
        its reactions file it (PENDING and EXPIRED bookings are facts crews does not hear)."""
        if new or (event_id, user_id) not in self.bookings:
            self.bookings[(event_id, user_id)] = new_id()
        standing = STANDINGS.get(status)
        if standing is None:
            return
        uow, _, participants, _ = self.ports()
        async with uow:
            await participants.record(self.bookings[(event_id, user_id)], event_id, user_id, standing)
            await uow.commit()

    async def party(self, event_id: uuid.UUID, *names: str) -> tuple[Principal, uuid.UUID]:
        """A new holder with a CONFIRMED booking for the event and a named companion per name
        (seats 1, 2, …), filed the way ``BookingConfirmed`` is; the holder and the booking id."""
        holder = Principal(new_id(), Role.USER)
        booking_id = self.bookings[(event_id, holder.user_id)] = new_id()
        seats = [ParticipantSeat(0), *(ParticipantSeat(n, name) for n, name in enumerate(names, 1))]
        await self.file(booking_id, event_id, holder.user_id, Standing.CONFIRMED, seats)
        return holder, booking_id

    async def file(
        self,
        booking_id: uuid.UUID,
        event_id: uuid.UUID,
        user_id: uuid.UUID,
        standing: Standing,
        seats: list[ParticipantSeat] | None = None,
    ) -> None:
        uow, _, participants, _ = self.ports()
        async with uow:
            await participants.record(booking_id, event_id, user_id, standing, seats)
            await uow.commit()

    async def cancel_companion(self, event_id: uuid.UUID, holder: Principal, seat: int) -> int:
        """Booking's fact that one companion's seat was cancelled, delivered to crews."""
        release: ReleaseEndedBooking = self._use_case(
            lambda uow, _, people: ReleaseEndedBooking(uow, self.clock, people)
        )
        return await release(self.bookings[(event_id, holder.user_id)], event_id, holder.user_id, seat=seat)

    async def named(self, first_name: str | None, last_name: str | None = None) -> uuid.UUID:
        """A user whose profile gives this name (identity's tables on SQL)."""
        user = a_user()
        if self.engine is None:
            name = " ".join(part for part in (first_name, last_name) if part)
            if name:
                self.memory_names.known[user.id] = name
            return user.id
        async with SqlIdentityUnitOfWork(self.engine) as uow:
            await uow.users.add(user)
            await uow.profiles.add(Profile(user.id, NOW, first_name=first_name, last_name=last_name))
            await uow.commit()
        return user.id

    # --- use cases, each on a unit of work of its own ------------------------------------

    async def crew(
        self, event_id: uuid.UUID, name: str = "Boat", capacity: int = 5, crew_type: CrewType = CrewType.CREW
    ) -> Crew:
        create: CreateCrew = self._use_case(lambda uow, gate, _: CreateCrew(uow, self.clock, gate))
        return await create(self.organizer, event_id, crew_type, CrewDetails(name, capacity))

    async def update(self, crew_id: uuid.UUID, changes: CrewChanges) -> Crew:
        update_crew: UpdateCrew = self._use_case(lambda uow, gate, _: UpdateCrew(uow, self.clock, gate))
        return await update_crew(self.organizer, crew_id, changes)

    async def assign(self, crew_id: uuid.UUID, user: Principal, **options: Any) -> Assignment:
        assign: AssignParticipant = self._use_case(
            lambda uow, gate, _: AssignParticipant(uow, self.clock, gate)
        )
        return await assign(self.organizer, crew_id, user.user_id, **options)

    async def unassign(self, assignment_id: uuid.UUID) -> Assignment:
        unassign: UnassignParticipant = self._use_case(
            lambda uow, gate, _: UnassignParticipant(uow, self.clock, gate)
        )
        return await unassign(self.organizer, assignment_id)

    async def transfer(self, assignment_id: uuid.UUID, crew_id: uuid.UUID) -> Transfer:
        transfer: TransferParticipant = self._use_case(
            lambda uow, gate, _: TransferParticipant(uow, self.clock, gate)
        )
        return await transfer(self.organizer, assignment_id, crew_id)

    async def release(
        self, event_id: uuid.UUID, user_id: uuid.UUID, *, booking_id: uuid.UUID | None = None
    ) -> int:
        """Booking's fact that the user's booking (or ``booking_id``) ended, delivered to crews."""
        release: ReleaseEndedBooking = self._use_case(
            lambda uow, _, people: ReleaseEndedBooking(uow, self.clock, people)
        )
        return await release(booking_id or self.bookings[(event_id, user_id)], event_id, user_id)

    async def prefer(
        self, user: Principal, event_id: uuid.UUID, prefer: list[uuid.UUID], avoid: list[uuid.UUID]
    ) -> None:
        set_preferences: SetPreferences = self._use_case(
            lambda uow, gate, _: SetPreferences(uow, self.clock, gate, CrewPolicy())
        )
        await set_preferences(user, event_id, prefer, avoid)

    async def auto_assign(self, event_id: uuid.UUID, *, dry_run: bool = False) -> AutoAssignReport:
        auto: AutoAssign = self._use_case(lambda uow, gate, _: AutoAssign(uow, self.clock, gate))
        return await auto(self.organizer, event_id, CrewType.CREW, dry_run=dry_run)

    # --- the invariants, read outside any use case ----------------------------------------

    async def check_invariants(self) -> None:
        """Every crew's counter equals its ACTIVE assignments and fits its capacity; nobody has
        two ACTIVE places of one type in an event (nor any companion's seat); no seat number
        twice in a crew."""
        crew_rows, active = await self._rows()
        for crew_id, (size, capacity) in crew_rows.items():
            in_crew = [a for a in active if a[0] == crew_id]
            assert size == len(in_crew) <= capacity, (crew_id, size, capacity, len(in_crew))
        places = [(a[1], a[2], a[3], a[5]) for a in active]
        assert len(places) == len(set(places)), "someone has two places of one type"
        seats = [(a[0], a[4]) for a in active if a[4] is not None]
        assert len(seats) == len(set(seats)), "a seat number is taken twice"

    async def _rows(self) -> tuple[dict[uuid.UUID, tuple[int, int]], list[tuple[Any, ...]]]:
        if self.engine is None:
            crew_rows = {c.id: (c.size, c.capacity) for c in self.db.table(CREWS).values()}
            active = [
                (a.crew_id, a.event_id, a.crew_type.value, a.user_id, a.seat_number, a.party_seat)
                for a in self.db.table(ASSIGNMENTS).values()
                if a.is_active
            ]
            return crew_rows, active
        a = assignments.c
        async with self.engine.connect() as connection:
            crew_rows = {r.id: (r.size, r.capacity) for r in await connection.execute(select(crews))}
            active = [
                tuple(r)
                for r in await connection.execute(
                    select(a.crew_id, a.event_id, a.crew_type, a.user_id, a.seat_number, a.party_seat).where(
                        a.status == "ACTIVE"
                    )
                )
            ]
        return crew_rows, active

    async def active_count(self, crew_id: uuid.UUID | None = None, user_id: uuid.UUID | None = None) -> int:
        _, active = await self._rows()
        return sum(1 for a in active if crew_id in (None, a[0]) and user_id in (None, a[3]))

    async def history_count(self) -> int:
        if self.engine is None:
            return len(self.db.table(ASSIGNMENTS))
        async with self.engine.connect() as connection:
            return int(await connection.scalar(select(func.count()).select_from(assignments)) or 0)
