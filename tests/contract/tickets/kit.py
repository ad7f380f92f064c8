"""The tickets adapters on one backend (memory, SQLite or PostgreSQL): a new unit of work per
use, what tickets serves booking (``CheckInRecord``), and the check-in use case built as the
application builds it (the catalog and identity answering by hand: their served adapters have
contract tests of their own)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.crypto.tickets import Ed25519TicketSigner
from aquastream.adapters.memory.clock import FrozenClock
from aquastream.adapters.memory.database import MemoryDatabase
from aquastream.adapters.memory.tickets import (
    MemoryCheckInRecord,
    MemoryHolderNames,
    MemoryTicketEvents,
    MemoryTicketsUnitOfWork,
    MemoryUserTickets,
)
from aquastream.adapters.sql.tables.tickets import outbox
from aquastream.adapters.sql.tickets import SqlCheckInRecord, SqlTicketsUnitOfWork, SqlUserTickets
from aquastream.domain.shared.events import decode_event
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.principal import Principal, Role
from aquastream.domain.tickets.checkin import CheckInSeat
from aquastream.domain.tickets.codes import message_of, new_short_code, signed_code
from aquastream.domain.tickets.events import SeatCheckedIn
from aquastream.domain.tickets.model import OrganizerKey, Ticket, TicketEvent
from aquastream.ports.booking import CheckInRecord
from aquastream.ports.catalog import UserTickets
from aquastream.ports.tickets import TicketsUnitOfWork

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
SECRET = "tickets-contract-secret-" + "c" * 40


class TicketsKit:
    def __init__(self, name: str, *, engine: AsyncEngine | None = None) -> None:
        self.name = name
        self.engine = engine
        self.clock = FrozenClock(NOW)
        self.signer = Ed25519TicketSigner(SECRET)
        self.organizer_id = new_id()
        self.owner = Principal(new_id(), Role.ORGANIZER)
        self.event = TicketEvent(new_id(), self.organizer_id, "Msta", NOW + timedelta(days=1))
        self.events = MemoryTicketEvents([self.event], {self.organizer_id: {self.owner.user_id}})
        self.names = MemoryHolderNames()
        self._db = MemoryDatabase()
        self.check_ins: CheckInRecord = (
            MemoryCheckInRecord(self._db) if engine is None else SqlCheckInRecord(engine)
        )
        self.user_tickets: UserTickets = (
            MemoryUserTickets(self._db) if engine is None else SqlUserTickets(engine)
        )

    @property
    def one_writer_at_a_time(self) -> bool:
        return self.name == "sqlite"

    def uow(self) -> TicketsUnitOfWork:
        if self.engine is None:
            return MemoryTicketsUnitOfWork(self._db)
        return SqlTicketsUnitOfWork(self.engine)

    def check_in(self) -> CheckInSeat:
        return CheckInSeat(self.uow(), self.clock, self.events, self.signer, self.names)

    async def check_ins_published(self) -> list[SeatCheckedIn]:
        """The ``SeatCheckedIn`` facts in tickets' outbox."""
        name = SeatCheckedIn.event_name()
        if self.engine is None:
            rows = self._db.table("outbox").values()
            payloads = [row.payload for row in rows if row.domain == "tickets" and row.event_name == name]
        else:
            async with self.engine.connect() as connection:
                found = await connection.execute(select(outbox.c.payload).where(outbox.c.event_name == name))
                payloads = [payload.encode() for (payload,) in found]
        facts = [decode_event(name, payload) for payload in payloads]
        return [fact for fact in facts if isinstance(fact, SeatCheckedIn)]

    async def key(self) -> OrganizerKey:
        async with self.uow() as uow:
            pair = self.signer.new_key_pair()
            key = await uow.keys.add_if_absent(
                OrganizerKey(self.organizer_id, pair.public_key, pair.sealed_private_key, NOW)
            )
            await uow.commit()
        return key

    async def tickets(
        self,
        seats: int = 1,
        *,
        event_id: uuid.UUID | None = None,
        booking_id: uuid.UUID | None = None,
        holder_id: uuid.UUID | None = None,
    ) -> list[Ticket]:
        """A booking's tickets, signed with the organizer's key, stored; its holder's name
        and each companion's name and phone on them."""
        key = await self.key()
        event = event_id or self.event.id
        booking = booking_id or new_id()
        holder = holder_id or new_id()
        made = []
        for seat in range(seats):
            ticket_id = new_id()
            message = message_of(event, booking, ticket_id, seat)
            made.append(
                Ticket(
                    id=ticket_id,
                    event_id=event,
                    organizer_id=self.organizer_id,
                    booking_id=booking,
                    user_id=holder,
                    seat=seat,
                    companion_name=f"Companion {seat}" if seat else None,
                    companion_phone=f"+7999000000{seat}" if seat else None,
                    short_code=new_short_code(),
                    code=signed_code(message, self.signer.sign(key.sealed_private_key, message)),
                    issued_at=self.clock.now(),
                    holder_name=None if seat else "Pavel Petrov",
                )
            )
        async with self.uow() as uow:
            await uow.tickets.add_many(made)
            await uow.commit()
        return made
