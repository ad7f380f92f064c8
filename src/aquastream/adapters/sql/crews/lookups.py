"""Who takes part in an event, from crews' own read model of booking's facts, on the crews unit
of work's connection. What crews asks the catalog (events) and identity (names) they serve on
their own connections (``CatalogCrewEvents``, ``IdentityParticipantNames``)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence

from sqlalchemy import select, update

from aquastream.adapters.sql.statements import dialect_insert
from aquastream.adapters.sql.tables.crews import participants
from aquastream.adapters.sql.uow import SqlRepository
from aquastream.domain.crews.model import HOLDER_SEAT, ParticipantSeat, Participation, Standing

CONFIRMED = Standing.CONFIRMED.value
COMPLETED = Standing.COMPLETED.value


def _earlier(standing: Standing) -> list[str]:
    return [s.value for s in Standing if s.rank < standing.rank]


class SqlConfirmedParticipants(SqlRepository):
    """Crews' ``ConfirmedParticipants``: its read model of the bookings (``crew_participants``,
    one row per seat). ``lock`` reads ``FOR SHARE`` on PostgreSQL (SQLite has one writer at a
    time and needs no row locks); filing a standing is an upsert that only moves a seat forward,
    seat 0 first, so that two facts of one booking queue on the holder's row."""

    async def _file(
        self,
        booking_id: uuid.UUID,
        event_id: uuid.UUID,
        user_id: uuid.UUID,
        standing: Standing,
        seat: ParticipantSeat,
    ) -> None:
        values = {
            "booking_id": booking_id,
            "seat": seat.number,
            "event_id": event_id,
            "user_id": user_id,
            "standing": standing.value,
            "companion_name": seat.name,
        }
        changes: dict[str, object] = {"standing": standing.value}
        if seat.name is not None:
            changes["companion_name"] = seat.name
        statement = (
            dialect_insert(self._connection, participants)
            .values(**values)
            .on_conflict_do_update(
                index_elements=[participants.c.booking_id, participants.c.seat],
                set_=changes,
                where=participants.c.standing.in_(_earlier(standing)),
            )
        )
        await self._connection.execute(statement)

    async def _raise_to(self, booking_id: uuid.UUID, standing: Standing) -> None:
        """Every other seat of the booking filed behind ``standing`` now stands there."""
        p = participants.c
        await self._connection.execute(
            update(participants)
            .where(p.booking_id == booking_id, p.seat != HOLDER_SEAT, p.standing.in_(_earlier(standing)))
            .values(standing=standing.value)
        )

    async def record(
        self,
        booking_id: uuid.UUID,
        event_id: uuid.UUID,
        user_id: uuid.UUID,
        standing: Standing,
        seats: Sequence[ParticipantSeat] | None = None,
    ) -> None:
        if seats is None:
            await self._file(booking_id, event_id, user_id, standing, ParticipantSeat(HOLDER_SEAT))
            await self._raise_to(booking_id, standing)
            return
        for seat in sorted(seats, key=lambda s: s.number):
            await self._file(booking_id, event_id, user_id, standing, seat)
        p = participants.c
        holder = (
            await self._connection.execute(
                select(p.standing).where(p.booking_id == booking_id, p.seat == HOLDER_SEAT)
            )
        ).scalar()
        if holder is not None and Standing(holder).rank > standing.rank:
            await self._raise_to(booking_id, Standing(holder))

    async def participation(
        self, event_id: uuid.UUID, user_id: uuid.UUID, *, seat: int | None = 0, lock: bool = False
    ) -> Participation:
        p = participants.c
        query = select(p.standing).where(
            p.event_id == event_id, p.user_id == user_id, p.standing.in_([CONFIRMED, COMPLETED])
        )
        if seat is not None:
            query = query.where(p.seat == seat)
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
        query = (
            select(p.user_id)
            .where(p.event_id == event_id, p.standing == CONFIRMED, p.seat == HOLDER_SEAT)
            .order_by(p.user_id)
        )
        if user_ids is not None:
            if not user_ids:
                return []
            query = query.where(p.user_id.in_(list(user_ids)))
        if lock:
            query = query.with_for_update(read=True)
        return list(dict.fromkeys((await self._connection.execute(query)).scalars()))

    async def confirmed_seats(
        self, event_id: uuid.UUID, *, lock: bool = False
    ) -> Sequence[tuple[uuid.UUID, int]]:
        p = participants.c
        query = (
            select(p.user_id, p.seat)
            .where(p.event_id == event_id, p.standing == CONFIRMED)
            .order_by(p.user_id, p.seat)
        )
        if lock:
            query = query.with_for_update(read=True)
        return list(dict.fromkeys((row.user_id, row.seat) for row in await self._connection.execute(query)))

    async def holder(self, event_id: uuid.UUID, booking_id: uuid.UUID) -> uuid.UUID | None:
        p = participants.c
        query = select(p.user_id).where(p.event_id == event_id, p.booking_id == booking_id).limit(1)
        found: uuid.UUID | None = (await self._connection.execute(query)).scalar()
        return found

    async def companions(self, event_id: uuid.UUID) -> Mapping[tuple[uuid.UUID, int], str]:
        p = participants.c
        query = (
            select(p.user_id, p.seat, p.companion_name)
            .where(p.event_id == event_id, p.seat != HOLDER_SEAT, p.companion_name.is_not(None))
            .order_by(p.booking_id)
        )
        return {(row.user_id, row.seat): row.companion_name for row in await self._connection.execute(query)}

    async def erase_companions(self, user_id: uuid.UUID, *, erased_name: str) -> int:
        p = participants.c
        statement = (
            update(participants)
            .where(p.user_id == user_id, p.seat != HOLDER_SEAT, p.companion_name != erased_name)
            .values(companion_name=erased_name)
        )
        return (await self._connection.execute(statement)).rowcount
