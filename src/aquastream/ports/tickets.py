"""Ports of the tickets domain: its unit of work and repositories, the signer of its codes,
and what it asks the catalog (events, who manages them and who checks seats in) and identity
(holders' names).

Check-in is one conditional statement in the adapters (``UPDATE … SET checked_in_at = …
WHERE id = … AND checked_in_at IS NULL AND voided_at IS NULL``): of two scanners racing on
one code, one checks the seat in and the other finds it done.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from aquastream.domain.shared.paging import Page, PageRequest
from aquastream.domain.shared.principal import Principal
from aquastream.domain.tickets.model import KeyPair, OrganizerKey, Ticket, VoidReason
from aquastream.domain.tickets.model import TicketEvent as TicketEvent  # what the catalog answers
from aquastream.ports.uow import UnitOfWork


class TicketRepository(Protocol):
    async def add_many(self, tickets: Sequence[Ticket]) -> None:
        """Insert the tickets whose (booking, seat) has none yet (facts come at least once);
        a seat's ticket voided because its booking EXPIRED is valid again (a late payment
        confirmed the booking after all). A short code already taken in the event raises
        (the reaction is retried with new codes)."""
        ...

    async def get(self, ticket_id: uuid.UUID) -> Ticket | None: ...

    async def by_short_code(self, short_code: str) -> Sequence[Ticket]:
        """The tickets with this short code, in any event (at most one per event)."""
        ...

    async def short_codes_taken(self, event_id: uuid.UUID, candidates: Collection[str]) -> set[str]:
        """Which of ``candidates`` are short codes of the event's tickets already."""
        ...

    async def for_booking(self, booking_id: uuid.UUID) -> list[Ticket]:
        """By seat number."""
        ...

    async def for_holder(self, user_id: uuid.UUID) -> list[Ticket]:
        """Every ticket of the bookings the user holds (companions' seats and voided tickets
        included), in issue order, then booking and seat number."""
        ...

    async def erase_holder(self, user_id: uuid.UUID, *, erased_name: str) -> int:
        """Erase the personal data kept on the tickets of the bookings the user holds: the
        holder's name goes, a companion's name becomes ``erased_name`` and the phone goes;
        how many tickets changed (a second call changes none)."""
        ...

    async def roster(self, event_id: uuid.UUID, paging: PageRequest) -> Page[Ticket]:
        """The event's tickets, voided ones included, in issue order then seat number."""
        ...

    async def any_checked_in(self, event_id: uuid.UUID) -> bool: ...

    async def void(
        self, booking_id: uuid.UUID, seat: int | None, *, reason: VoidReason, now: datetime
    ) -> int:
        """Void the booking's tickets (or its one seat's) that are not void yet; how many."""
        ...

    async def mark_no_show(self, booking_id: uuid.UUID, *, now: datetime) -> int:
        """Mark the booking's valid, unchecked tickets no-show; how many."""
        ...

    async def check_in(self, ticket_id: uuid.UUID, *, by: uuid.UUID, now: datetime) -> Ticket | None:
        """Check the ticket in if it is valid and not checked in yet, in one conditional
        statement; the checked-in ticket, or None when the condition failed. The facts
        collected in the unit of work so far go with it: written with the check-in, dropped
        when there is none (in an entry ``at_once``, the check-in and its facts are the whole
        transaction)."""
        ...


class OrganizerKeyRepository(Protocol):
    async def get(self, organizer_id: uuid.UUID) -> OrganizerKey | None: ...

    async def add_if_absent(self, key: OrganizerKey) -> OrganizerKey:
        """Insert the organizer's key unless one exists (racing first uses keep one); the
        organizer's key as stored."""
        ...


class TicketsUnitOfWork(UnitOfWork, Protocol):
    @property
    def tickets(self) -> TicketRepository: ...

    @property
    def keys(self) -> OrganizerKeyRepository: ...


class TicketSigner(Protocol):
    """Ed25519 key pairs and signatures. The private key leaves the signer only sealed
    (encrypted), and is never logged or exported."""

    def new_key_pair(self) -> KeyPair: ...

    def sign(self, sealed_private_key: bytes, message: bytes) -> bytes: ...

    def verify(self, public_key: bytes, message: bytes, signature: bytes) -> bool: ...

    def public_pem(self, public_key: bytes) -> str:
        """The public key as a PEM ``SubjectPublicKeyInfo``."""
        ...


class TicketEvents(Protocol):
    """What tickets asks the catalog: a query port the catalog serves on its own connections,
    asked outside tickets' transaction."""

    async def event(self, event_id: uuid.UUID, caller: Principal | None = None) -> TicketEvent | None:
        """The event (draft or not), with whether ``caller`` manages its organizer and whether
        ``caller`` checks seats in at it (a manager, or a team member of the organizer linked
        to the caller's account); None when it does not exist."""
        ...

    async def organizer_id(self, slug_or_id: str) -> uuid.UUID | None:
        """The organizer's id, given its slug or its id; None when there is none."""
        ...


class HolderNames(Protocol):
    """What tickets asks identity: how holders are called. Served by identity on its own
    connections, asked after tickets' transaction."""

    async def names(self, user_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, str]:
        """ "First Last" as the profile gives it; people without a name are left out."""
        ...
