"""What tickets serves other domains, on its own engine, read outside the asker's transaction:
booking's ``CheckInRecord`` (which bookings of an event had a seat checked in) and the
catalog's ``UserTickets`` (a user's ticket codes, for the private calendar feed)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.sql.reads import StandaloneReads
from aquastream.adapters.sql.tables.tickets import tickets
from aquastream.ports.catalog import TicketNote


class SqlCheckInRecord:
    def __init__(self, engine: AsyncEngine) -> None:
        self._reads = StandaloneReads(engine)

    async def bookings_checked_in(self, event_id: uuid.UUID) -> set[uuid.UUID] | None:
        query = (
            select(tickets.c.booking_id)
            .where(tickets.c.event_id == event_id, tickets.c.checked_in_at.is_not(None))
            .distinct()
        )
        found = {row.booking_id for row in await self._reads.rows(query)}
        return found or None


class SqlUserTickets:
    """The catalog's ``UserTickets``: a user's valid tickets per event, for the private feed."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._reads = StandaloneReads(engine)

    async def for_user(
        self, user_id: uuid.UUID, event_ids: Collection[uuid.UUID]
    ) -> Mapping[uuid.UUID, Sequence[TicketNote]]:
        if not event_ids:
            return {}
        t = tickets.c
        query = (
            select(t.event_id, t.booking_id, t.seat, t.short_code, t.companion_name)
            .where(t.user_id == user_id, t.event_id.in_(list(event_ids)), t.voided_at.is_(None))
            .order_by(t.event_id, t.issued_at, t.booking_id, t.seat)
        )
        found: dict[uuid.UUID, list[TicketNote]] = {}
        for row in await self._reads.rows(query):
            note = TicketNote(row.booking_id, row.seat, row.short_code, row.companion_name)
            found.setdefault(row.event_id, []).append(note)
        return found
