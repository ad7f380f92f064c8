"""In-memory tickets repositories and unit of work, what tickets serves booking
(``MemoryCheckInRecord``) and the catalog (``MemoryUserTickets``), and the ports tickets asks
of other domains (events and their organizers, holders' names), known by hand.

Each method runs under the database lock that the unit of work holds, which makes it as
atomic as the single SQL statement it stands for.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from aquastream.adapters.memory.database import MemoryDatabase, MemoryUnitOfWork
from aquastream.domain.shared.paging import Page, PageRequest
from aquastream.domain.shared.principal import Principal, Role
from aquastream.domain.tickets.model import OrganizerKey, Ticket, TicketEvent, VoidReason
from aquastream.ports.catalog import TicketNote

TICKETS = "tickets.tickets"
KEYS = "tickets.organizer_keys"


class ShortCodeTaken(Exception):
    """The memory stand-in of the unique violation on (event, short code)."""


def _in_issue_order(tickets: Iterable[Ticket]) -> list[Ticket]:
    return sorted(tickets, key=lambda t: (t.issued_at, t.booking_id.bytes, t.seat))


class _Table:
    table_name: str

    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    @property
    def _rows(self) -> dict[Any, Any]:
        # Looked up on every use: a rollback replaces the database's tables.
        return self._db.table(self.table_name)


class MemoryTicketRepository(_Table):
    table_name = TICKETS

    def __init__(self, db: MemoryDatabase, uow: MemoryUnitOfWork) -> None:
        super().__init__(db)
        self._uow = uow  # whose facts go with a check-in

    def _all(self) -> list[Ticket]:
        return list(self._rows.values())

    async def add_many(self, tickets: Sequence[Ticket]) -> None:
        for ticket in tickets:
            existing = next(
                (t for t in self._all() if (t.booking_id, t.seat) == (ticket.booking_id, ticket.seat)), None
            )
            if existing is not None:
                if existing.void_reason is VoidReason.EXPIRED:
                    self._rows[existing.id] = dataclasses.replace(existing, voided_at=None, void_reason=None)
                continue
            if any(t.event_id == ticket.event_id and t.short_code == ticket.short_code for t in self._all()):
                raise ShortCodeTaken(ticket.short_code)
            self._rows[ticket.id] = ticket

    async def get(self, ticket_id: uuid.UUID) -> Ticket | None:
        return self._rows.get(ticket_id)

    async def by_short_code(self, short_code: str) -> Sequence[Ticket]:
        return sorted((t for t in self._all() if t.short_code == short_code), key=lambda t: t.id)

    async def short_codes_taken(self, event_id: uuid.UUID, candidates: Collection[str]) -> set[str]:
        return {t.short_code for t in self._all() if t.event_id == event_id and t.short_code in candidates}

    async def for_booking(self, booking_id: uuid.UUID) -> list[Ticket]:
        return sorted((t for t in self._all() if t.booking_id == booking_id), key=lambda t: t.seat)

    async def for_holder(self, user_id: uuid.UUID) -> list[Ticket]:
        return _in_issue_order(t for t in self._all() if t.user_id == user_id)

    async def erase_holder(self, user_id: uuid.UUID, *, erased_name: str) -> int:
        count = 0
        for ticket in await self.for_holder(user_id):
            erased = dataclasses.replace(
                ticket,
                holder_name=None,
                companion_name=None if ticket.is_holder else erased_name,
                companion_phone=None,
            )
            if erased != ticket:
                self._rows[ticket.id] = erased
                count += 1
        return count

    async def roster(self, event_id: uuid.UUID, paging: PageRequest) -> Page[Ticket]:
        found = _in_issue_order(t for t in self._all() if t.event_id == event_id)
        return Page(found[paging.offset : paging.offset + paging.size], len(found), paging.page, paging.size)

    async def any_checked_in(self, event_id: uuid.UUID) -> bool:
        return any(t.event_id == event_id and t.checked_in_at is not None for t in self._all())

    def _change(self, chosen: Iterable[Ticket], **changes: Any) -> int:
        count = 0
        for ticket in list(chosen):
            self._rows[ticket.id] = dataclasses.replace(ticket, **changes)
            count += 1
        return count

    async def void(
        self, booking_id: uuid.UUID, seat: int | None, *, reason: VoidReason, now: datetime
    ) -> int:
        return self._change(
            (
                t
                for t in self._all()
                if t.booking_id == booking_id and t.voided_at is None and seat in (None, t.seat)
            ),
            voided_at=now,
            void_reason=reason,
        )

    async def mark_no_show(self, booking_id: uuid.UUID, *, now: datetime) -> int:
        return self._change(
            (
                t
                for t in self._all()
                if t.booking_id == booking_id
                and t.voided_at is None
                and t.checked_in_at is None
                and t.no_show_at is None
            ),
            no_show_at=now,
        )

    async def check_in(self, ticket_id: uuid.UUID, *, by: uuid.UUID, now: datetime) -> Ticket | None:
        ticket: Ticket | None = self._rows.get(ticket_id)
        if ticket is None or ticket.checked_in_at or ticket.voided_at or ticket.no_show_at:
            await self._uow.facts_go_with(False)
            return None
        checked = dataclasses.replace(ticket, checked_in_at=now, checked_in_by=by)
        self._rows[ticket_id] = checked
        await self._uow.facts_go_with(True)
        return checked


class MemoryOrganizerKeyRepository(_Table):
    table_name = KEYS

    async def get(self, organizer_id: uuid.UUID) -> OrganizerKey | None:
        return self._rows.get(organizer_id)

    async def add_if_absent(self, key: OrganizerKey) -> OrganizerKey:
        stored: OrganizerKey = self._rows.setdefault(key.organizer_id, key)
        return stored


class MemoryTicketsUnitOfWork(MemoryUnitOfWork):
    domain = "tickets"

    def __init__(self, db: MemoryDatabase) -> None:
        super().__init__(db)
        self.tickets = MemoryTicketRepository(db, self)
        self.keys = MemoryOrganizerKeyRepository(db)


class MemoryCheckInRecord:
    """Booking's ``CheckInRecord``, read from the memory database's tickets."""

    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def bookings_checked_in(self, event_id: uuid.UUID) -> set[uuid.UUID] | None:
        async with self._db.lock:
            found = {
                t.booking_id
                for t in self._db.table(TICKETS).values()
                if t.event_id == event_id and t.checked_in_at is not None
            }
        return found or None


class MemoryUserTickets:
    """The catalog's ``UserTickets``, read from the memory database's tickets."""

    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def for_user(
        self, user_id: uuid.UUID, event_ids: Collection[uuid.UUID]
    ) -> Mapping[uuid.UUID, Sequence[TicketNote]]:
        async with self._db.lock:
            mine = _in_issue_order(
                t
                for t in self._db.table(TICKETS).values()
                if t.user_id == user_id and t.event_id in event_ids and t.voided_at is None
            )
        found: dict[uuid.UUID, list[TicketNote]] = {}
        for t in mine:
            found.setdefault(t.event_id, []).append(
                TicketNote(t.booking_id, t.seat, t.short_code, t.companion_name)
            )
        return found


class MemoryTicketEvents:
    """Events, organizers' slugs, owners and the accounts linked to their teams, set by hand;
    admins manage every organizer and owners theirs while ORGANIZERs (as the catalog decides),
    and managers and linked team members check seats in."""

    def __init__(
        self,
        events: Iterable[TicketEvent] = (),
        owners: Mapping[uuid.UUID, Iterable[uuid.UUID]] | None = None,
        slugs: Mapping[str, uuid.UUID] | None = None,
        team: Mapping[uuid.UUID, Iterable[uuid.UUID]] | None = None,
    ) -> None:
        self.events: dict[uuid.UUID, TicketEvent] = {event.id: event for event in events}
        self.owners: dict[uuid.UUID, set[uuid.UUID]] = {
            organizer_id: set(users) for organizer_id, users in (owners or {}).items()
        }
        self.slugs: dict[str, uuid.UUID] = dict(slugs or {})
        self.team: dict[uuid.UUID, set[uuid.UUID]] = {
            organizer_id: set(users) for organizer_id, users in (team or {}).items()
        }

    async def event(self, event_id: uuid.UUID, caller: Principal | None = None) -> TicketEvent | None:
        event = self.events.get(event_id)
        if event is None:
            return None
        if caller is None:
            return dataclasses.replace(event, caller_manages=False, caller_checks_in=False)
        owns = caller.role is Role.ORGANIZER and caller.user_id in self.owners.get(event.organizer_id, set())
        manages = caller.is_admin or owns
        checks_in = manages or caller.user_id in self.team.get(event.organizer_id, set())
        return dataclasses.replace(event, caller_manages=manages, caller_checks_in=checks_in)

    async def organizer_id(self, slug_or_id: str) -> uuid.UUID | None:
        if slug_or_id in self.slugs:
            return self.slugs[slug_or_id]
        known = set(self.slugs.values()) | {event.organizer_id for event in self.events.values()}
        return next((organizer for organizer in known if str(organizer) == slug_or_id), None)


class MemoryHolderNames:
    """Names of people, set by hand (``known[user_id] = "First Last"``)."""

    def __init__(self) -> None:
        self.known: dict[uuid.UUID, str] = {}

    async def names(self, user_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, str]:
        return {user_id: self.known[user_id] for user_id in user_ids if user_id in self.known}
