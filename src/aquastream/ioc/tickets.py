"""Providers of the tickets domain: its unit of work, its signer, its use cases, its
subscriptions to booking's facts (and identity's ``UserDeleted``), its part of a user's data
export, and what it serves booking (``CheckInRecord``) and the catalog (``UserTickets``)."""

from __future__ import annotations

from dishka import Provider, Scope, provide, provide_all

from aquastream.adapters.crypto.tickets import Ed25519TicketSigner
from aquastream.adapters.sql.engine import DomainEngines
from aquastream.adapters.sql.tickets import SqlCheckInRecord, SqlTicketsUnitOfWork, SqlUserTickets
from aquastream.domain.booking.events import (
    BookingCancelled,
    BookingConfirmed,
    BookingExpired,
    BookingMarkedNoShow,
    CompanionSeatCancelled,
)
from aquastream.domain.identity.events import UserDeleted
from aquastream.domain.shared.privacy import PersonalDataSection
from aquastream.domain.tickets.checkin import CheckInSeat
from aquastream.domain.tickets.issuing import GetTicketKey, IssueTickets, MarkTicketsNoShow, VoidTickets
from aquastream.domain.tickets.model import Seat, VoidReason
from aquastream.domain.tickets.privacy import EraseTicketHolder, ExportMyTicketData
from aquastream.domain.tickets.queries import EventRoster, GetBookingTicket, ListBookingTickets
from aquastream.ioc.subscriptions import Reactions, on
from aquastream.ports.booking import CheckInRecord
from aquastream.ports.catalog import UserTickets
from aquastream.ports.clock import Clock
from aquastream.ports.tickets import HolderNames, TicketEvents, TicketSigner, TicketsUnitOfWork
from aquastream.settings import Settings


def _seats(event: BookingConfirmed) -> list[Seat]:
    return [Seat(seat.number, seat.name, seat.phone) for seat in event.seats]


# Tickets keeps its own copy of booking's seats: a confirmed booking issues its tickets, a
# cancelled or expired one (or one companion's seat) voids them, a no-show marks them; a
# deleted account's names and phones are erased from its tickets.
REACTIONS = Reactions(
    "tickets",
    on(BookingConfirmed, IssueTickets).call(
        lambda issue, e: issue(e.booking_id, e.event_id, e.user_id, _seats(e))
    ),
    on(CompanionSeatCancelled, VoidTickets).call(
        lambda void, e: void(e.booking_id, e.seat, VoidReason.CANCELLED)
    ),
    on(BookingCancelled, VoidTickets).call(lambda void, e: void(e.booking_id, None, VoidReason.CANCELLED)),
    on(BookingExpired, VoidTickets).call(lambda void, e: void(e.booking_id, None, VoidReason.EXPIRED)),
    on(BookingMarkedNoShow, MarkTicketsNoShow).call(lambda mark, e: mark(e.booking_id)),
    on(UserDeleted, EraseTicketHolder).call(lambda erase, e: erase(e.user_id)),
)


class TicketsQueriesProvider(Provider):
    """The questions other domains ask tickets, answered on tickets' own connections."""

    @provide(scope=Scope.APP)
    def check_in_record(self, engines: DomainEngines) -> CheckInRecord:
        """Booking's question when an event ends: which bookings had a seat checked in."""
        return SqlCheckInRecord(engines.of("tickets"))

    @provide(scope=Scope.APP)
    def user_tickets(self, engines: DomainEngines) -> UserTickets:
        """The catalog's question for the private calendar feed: a user's ticket codes."""
        return SqlUserTickets(engines.of("tickets"))


class TicketsProvider(Provider):
    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def reactions(self) -> Reactions:
        return REACTIONS

    @provide(scope=Scope.APP)
    def signer(self, settings: Settings) -> TicketSigner:
        """Private keys are sealed under a key derived from the server secret."""
        return Ed25519TicketSigner(settings.secret)

    @provide
    def uow(self, engines: DomainEngines) -> TicketsUnitOfWork:
        return SqlTicketsUnitOfWork(engines.of("tickets"))

    @provide
    def issue_tickets(
        self,
        uow: TicketsUnitOfWork,
        clock: Clock,
        events: TicketEvents,
        signer: TicketSigner,
        names: HolderNames,
    ) -> IssueTickets:
        return IssueTickets(uow, clock, events, signer, names)

    use_cases = provide_all(
        VoidTickets,
        MarkTicketsNoShow,
        GetTicketKey,
        CheckInSeat,
        ListBookingTickets,
        GetBookingTicket,
        EventRoster,
        ExportMyTicketData,
        EraseTicketHolder,
    )

    @provide(provides=PersonalDataSection)
    def tickets_section(self, export: ExportMyTicketData) -> PersonalDataSection:
        return PersonalDataSection("tickets", export)
