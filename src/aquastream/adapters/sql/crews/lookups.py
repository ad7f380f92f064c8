"""What crews knows of other domains, on the crews unit of work's connection (from inside its
transaction: no second connection per question, and on SQLite a second connection would wait
for this transaction's write lock): who takes part from its own read model of booking's facts;
events and names still from the catalog's and identity's tables."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence

from sqlalchemy import select

from aquastream.adapters.sql.catalog.organizers import SqlOrganizerAccess
from aquastream.adapters.sql.identity.directory import SqlParticipantDirectory
from aquastream.adapters.sql.statements import dialect_insert
from aquastream.adapters.sql.tables.catalog import events
from aquastream.adapters.sql.tables.crews import participants
from aquastream.adapters.sql.uow import SqlRepository
from aquastream.domain.crews.model import CrewEvent, Participation, Standing

OPEN_EVENT_STATUSES = ("DRAFT", "PUBLISHED")
CONFIRMED = Standing.CONFIRMED.value
COMPLETED = Standing.COMPLETED.value


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
    """Crews' ``ConfirmedParticipants``: its read model of the bookings (``crew_participants``).
    ``lock`` reads ``FOR SHARE`` on PostgreSQL (SQLite has one writer at a time and needs no row
    locks); filing a standing is an upsert that only moves a booking forward."""

    async def record(
        self, booking_id: uuid.UUID, event_id: uuid.UUID, user_id: uuid.UUID, standing: Standing
    ) -> None:
        earlier = [s.value for s in Standing if s.rank < standing.rank]
        statement = (
            dialect_insert(self._connection, participants)
            .values(booking_id=booking_id, event_id=event_id, user_id=user_id, standing=standing.value)
            .on_conflict_do_update(
                index_elements=[participants.c.booking_id],
                set_={"standing": standing.value},
                where=participants.c.standing.in_(earlier),
            )
        )
        await self._connection.execute(statement)

    async def participation(
        self, event_id: uuid.UUID, user_id: uuid.UUID, *, lock: bool = False
    ) -> Participation:
        p = participants.c
        query = select(p.standing).where(
            p.event_id == event_id, p.user_id == user_id, p.standing.in_([CONFIRMED, COMPLETED])
        )
        if lock:
            query = query.with_for_update(read=True)
        standings = set((await self._connection.execute(query)).scalars())
        if CONFIRMED in standings:
            return Participation.CONFIRMED
        return Participation.COMPLETED if COMPLETED in standings else Participation.NONE

    async def confirmed(
        self, event_id: uuid.UUID, user_ids: Collection[uuid.UUID] | None = None, *, lock: bool = False
    ) -> Sequence[uuid.UUID]:
        p = participants.c
        query = select(p.user_id).where(p.event_id == event_id, p.standing == CONFIRMED).order_by(p.user_id)
        if user_ids is not None:
            if not user_ids:
                return []
            query = query.where(p.user_id.in_(list(user_ids)))
        if lock:
            query = query.with_for_update(read=True)
        return list(dict.fromkeys((await self._connection.execute(query)).scalars()))


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
