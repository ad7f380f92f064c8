"""Who takes part in an event, from crews' own read model of booking's facts, on the crews unit
of work's connection. What crews asks the catalog (events) and identity (names) they serve on
their own connections (``CatalogCrewEvents``, ``IdentityParticipantNames``)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from sqlalchemy import select

from aquastream.adapters.sql.statements import dialect_insert
from aquastream.adapters.sql.tables.crews import participants
from aquastream.adapters.sql.uow import SqlRepository
from aquastream.domain.crews.model import Participation, Standing

CONFIRMED = Standing.CONFIRMED.value
COMPLETED = Standing.COMPLETED.value


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
