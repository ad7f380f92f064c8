"""The tickets domain on memory adapters: one organizer with one event, the catalog and
identity answering by hand, and the use cases wired as the application wires them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta

from aquastream.adapters.crypto.tickets import Ed25519TicketSigner
from aquastream.adapters.memory.clock import FrozenClock
from aquastream.adapters.memory.database import MemoryDatabase
from aquastream.adapters.memory.tickets import (
    MemoryCheckInRecord,
    MemoryHolderNames,
    MemoryTicketEvents,
    MemoryTicketsUnitOfWork,
)
from aquastream.domain.shared.events import decode_event
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.principal import Principal, Role
from aquastream.domain.tickets.checkin import CheckInSeat
from aquastream.domain.tickets.issuing import GetTicketKey, IssueTickets, MarkTicketsNoShow, VoidTickets
from aquastream.domain.tickets.model import Seat, Ticket, TicketEvent
from aquastream.domain.tickets.queries import EventRoster, GetBookingTicket, ListBookingTickets

SECRET = "tickets-test-secret-" + "s" * 40


class TicketsWorld:
    def __init__(self) -> None:
        self.db = MemoryDatabase()
        self.clock = FrozenClock()
        self.signer = Ed25519TicketSigner(SECRET)
        self.owner = Principal(new_id(), Role.ORGANIZER)
        self.admin = Principal(new_id(), Role.ADMIN)
        self.organizer_id = new_id()
        self.event = self.new_event()
        self.events = MemoryTicketEvents(
            [self.event], {self.organizer_id: {self.owner.user_id}}, {"river-rats": self.organizer_id}
        )
        self.names = MemoryHolderNames()
        self.check_ins = MemoryCheckInRecord(self.db)
        uow, clock, events, signer, names = self.new_uow, self.clock, self.events, self.signer, self.names
        self.issue = IssueTickets(uow(), clock, events, signer, names)
        self.void = VoidTickets(uow(), clock)
        self.mark_no_show = MarkTicketsNoShow(uow(), clock)
        self.get_key = GetTicketKey(uow(), clock, events, signer)
        self.check_in = CheckInSeat(uow(), clock, events, signer, names)
        self.list_tickets = ListBookingTickets(uow(), clock, events, names)
        self.get_ticket = GetBookingTicket(self.list_tickets)
        self.roster = EventRoster(uow(), clock, events, names)

    def new_uow(self) -> MemoryTicketsUnitOfWork:
        return MemoryTicketsUnitOfWork(self.db)

    def new_event(self, organizer_id: uuid.UUID | None = None) -> TicketEvent:
        return TicketEvent(
            new_id(), organizer_id or self.organizer_id, "Rafting", self.clock.now() + timedelta(days=2)
        )

    def add_event(self, event: TicketEvent) -> TicketEvent:
        self.events.events[event.id] = event
        return event

    @staticmethod
    def participant() -> Principal:
        return Principal(new_id(), Role.USER)

    async def confirmed(
        self, holder: Principal, seats: Sequence[Seat] = (), event: TicketEvent | None = None
    ) -> list[Ticket]:
        """A booking of ``holder`` confirmed (booking's fact), its tickets issued."""
        return await self.issue(new_id(), (event or self.event).id, holder.user_id, seats)

    def facts(self) -> list[object]:
        return [decode_event(row.event_name, row.payload) for row in self.db.table("outbox").values()]
