"""Tickets issued, voided and marked from booking's facts, and the organizers' signing keys.

Tickets are tickets' own read model of booking's seats: ``BookingConfirmed`` issues one per
seat (an empty list of seats, from before group bookings, is the holder's one seat);
``CompanionSeatCancelled`` voids one seat's ticket; ``BookingCancelled`` and
``BookingExpired`` void all of a booking's; ``BookingMarkedNoShow`` marks them no-show.
Every reaction is idempotent: facts come at least once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from aquastream.domain.shared.errors import Raises
from aquastream.domain.shared.ids import new_id
from aquastream.domain.tickets.codes import message_of, new_short_code, signed_code
from aquastream.domain.tickets.errors import OrganizerNotFound
from aquastream.domain.tickets.model import HOLDER_SEAT, OrganizerKey, Seat, Ticket, VoidReason
from aquastream.ports.clock import Clock
from aquastream.ports.tickets import HolderNames, TicketEvents, TicketSigner, TicketsUnitOfWork


async def organizer_key(
    uow: TicketsUnitOfWork, signer: TicketSigner, organizer_id: uuid.UUID, clock: Clock
) -> OrganizerKey:
    """The organizer's key pair, made on first need (inside the caller's transaction)."""
    key = await uow.keys.get(organizer_id)
    if key is not None:
        return key
    pair = signer.new_key_pair()
    return await uow.keys.add_if_absent(
        OrganizerKey(organizer_id, pair.public_key, pair.sealed_private_key, clock.now())
    )


class IssueTickets:
    """A confirmed booking gets one ticket per seat, signed with its event's organizer's key.

    Rules: seat 0 is the holder's (their name is identity's), 1… the named companions'; no
    seats listed means the holder's one seat; a seat that has a ticket keeps it (the fact
    came twice), unless it was voided because the booking expired: a late payment confirmed
    it again, and the same ticket is valid again. Short codes are unique within the event.
    The holder's name is kept on their ticket as identity gives it now (the catalog and
    identity are asked before the transaction).
    """

    raises: ClassVar[Raises] = ()

    def __init__(
        self,
        uow: TicketsUnitOfWork,
        clock: Clock,
        events: TicketEvents,
        signer: TicketSigner,
        names: HolderNames,
        short_codes: Callable[[], str] = new_short_code,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._events = events
        self._signer = signer
        self._names = names
        self._short_codes = short_codes

    async def __call__(
        self, booking_id: uuid.UUID, event_id: uuid.UUID, user_id: uuid.UUID, seats: Sequence[Seat]
    ) -> list[Ticket]:
        event = await self._events.event(event_id)
        if event is None:  # events are never deleted; nothing to sign for
            return []
        seats = list(seats) or [Seat(HOLDER_SEAT)]
        holder_name = (await self._names.names({user_id})).get(user_id)
        async with self._uow:
            key = await organizer_key(self._uow, self._signer, event.organizer_id, self._clock)
            codes = await self._fresh_codes(event_id, len(seats))
            now = self._clock.now()
            tickets = []
            for seat, short_code in zip(seats, codes, strict=True):
                ticket_id = new_id()
                message = message_of(event_id, booking_id, ticket_id, seat.number)
                signature = self._signer.sign(key.sealed_private_key, message)
                tickets.append(
                    Ticket(
                        id=ticket_id,
                        event_id=event_id,
                        organizer_id=event.organizer_id,
                        booking_id=booking_id,
                        user_id=user_id,
                        seat=seat.number,
                        companion_name=None if seat.number == HOLDER_SEAT else seat.name,
                        companion_phone=None if seat.number == HOLDER_SEAT else seat.phone,
                        short_code=short_code,
                        code=signed_code(message, signature),
                        issued_at=now,
                        holder_name=holder_name if seat.number == HOLDER_SEAT else None,
                    )
                )
            await self._uow.tickets.add_many(tickets)
            await self._uow.commit()
        return tickets

    async def _fresh_codes(self, event_id: uuid.UUID, count: int) -> list[str]:
        codes: list[str] = []
        while len(codes) < count:
            candidates = {self._short_codes() for _ in range(count - len(codes))} - set(codes)
            taken = await self._uow.tickets.short_codes_taken(event_id, candidates)
            codes.extend(sorted(candidates - taken))
        return codes


class VoidTickets:
    """A booking cancelled or expired voids all its tickets; a companion's seat cancelled
    alone voids that seat's. A voided ticket is refused at the door."""

    raises: ClassVar[Raises] = ()

    def __init__(self, uow: TicketsUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, booking_id: uuid.UUID, seat: int | None, reason: VoidReason) -> int:
        async with self._uow:
            voided = await self._uow.tickets.void(booking_id, seat, reason=reason, now=self._clock.now())
            await self._uow.commit()
        return voided


class MarkTicketsNoShow:
    """A booking marked NO_SHOW (by its organizer, or at the end of an event that used
    check-in): its unchecked seats are no-shows in the roster and refused at the door."""

    raises: ClassVar[Raises] = ()

    def __init__(self, uow: TicketsUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, booking_id: uuid.UUID) -> int:
        async with self._uow:
            marked = await self._uow.tickets.mark_no_show(booking_id, now=self._clock.now())
            await self._uow.commit()
        return marked


@dataclass(frozen=True, slots=True)
class TicketKey:
    organizer_id: uuid.UUID
    public_key: bytes
    public_pem: str


class GetTicketKey:
    """The public key that verifies an organizer's tickets, for scanner apps (public). The
    key pair is made on first need, so it exists before any ticket does."""

    raises: ClassVar[Raises] = (OrganizerNotFound,)

    def __init__(
        self, uow: TicketsUnitOfWork, clock: Clock, events: TicketEvents, signer: TicketSigner
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._events = events
        self._signer = signer

    async def __call__(self, organizer: str) -> TicketKey:
        organizer_id = await self._events.organizer_id(organizer)
        if organizer_id is None:
            raise OrganizerNotFound()
        async with self._uow.reading():
            key = await self._uow.keys.get(organizer_id)
        if key is None:
            async with self._uow:
                key = await organizer_key(self._uow, self._signer, organizer_id, self._clock)
                await self._uow.commit()
        return TicketKey(organizer_id, key.public_key, self._signer.public_pem(key.public_key))
