"""What crews asks other domains, answered from their tables on the crews unit of work's
connection (from inside its transaction: no second connection per question, and on SQLite a
second connection would wait for this transaction's write lock)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence

from sqlalchemy import select

from aquastream.adapters.sql.catalog.organizers import SqlOrganizerAccess
from aquastream.adapters.sql.identity.directory import SqlParticipantDirectory
from aquastream.adapters.sql.tables.booking import bookings
from aquastream.adapters.sql.tables.catalog import events
from aquastream.adapters.sql.uow import SqlRepository
from aquastream.domain.crews.model import CrewEvent, Participation

OPEN_EVENT_STATUSES = ("DRAFT", "PUBLISHED")
CONFIRMED = "CONFIRMED"
COMPLETED = "COMPLETED"


class SqlCrewEvents(SqlOrganizerAccess):
    """Crews' ``CrewEvents``: the event from the catalog's table, and whether the caller
    manages its organizer (the catalog's rule, as booking asks it)."""

    async def get(self, event_id: uuid.UUID) -> CrewEvent | None:
        query = select(events.c.id, events.c.organizer_id, events.c.status).where(events.c.id == event_id)
        row = (await self._connection.execute(query)).first()
        if row is None:
            return None
        return CrewEvent(row.id, row.organizer_id, row.status in OPEN_EVENT_STATUSES)


class SqlConfirmedParticipants(SqlRepository):
    """Crews' ``ConfirmedParticipants`` from the booking table. ``lock`` reads ``FOR SHARE``
    on PostgreSQL (SQLite has one writer at a time and needs no row locks)."""

    async def participation(
        self, event_id: uuid.UUID, user_id: uuid.UUID, *, lock: bool = False
    ) -> Participation:
        b = bookings.c
        query = select(b.status).where(
            b.event_id == event_id, b.user_id == user_id, b.status.in_([CONFIRMED, COMPLETED])
        )
        if lock:
            query = query.with_for_update(read=True)
        statuses = set((await self._connection.execute(query)).scalars())
        if CONFIRMED in statuses:
            return Participation.CONFIRMED
        return Participation.COMPLETED if COMPLETED in statuses else Participation.NONE

    async def confirmed(
        self, event_id: uuid.UUID, user_ids: Collection[uuid.UUID] | None = None, *, lock: bool = False
    ) -> Sequence[uuid.UUID]:
        b = bookings.c
        query = select(b.user_id).where(b.event_id == event_id, b.status == CONFIRMED).order_by(b.user_id)
        if user_ids is not None:
            if not user_ids:
                return []
            query = query.where(b.user_id.in_(list(user_ids)))
        if lock:
            query = query.with_for_update(read=True)
        return list((await self._connection.execute(query)).scalars())


class SqlParticipantNames(SqlParticipantDirectory):
    """Crews' ``ParticipantNames``: the names of identity's profiles, read the way booking's
    participant list reads them."""

    async def names(self, user_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, str]:
        found = {}
        for user_id, contact in (await self.contacts(user_ids)).items():
            name = " ".join(part for part in (contact.first_name, contact.last_name) if part)
            if name:
                found[user_id] = name
        return found
