"""What other layers read from the booking tables on their own connection: the calendar
feed's confirmed bookings and the idempotency keys of state-changing POSTs."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.sql.booking.rows import dialect_insert
from aquastream.adapters.sql.tables.booking import bookings, idempotency_keys
from aquastream.domain.booking.model import BookingStatus
from aquastream.ports.idempotency import IdempotencyRecord, StoredResponse


class SqlConfirmedBookingsLookup:
    """The catalog's ``ConfirmedBookingsLookup`` (the private calendar feed), on its own
    connection: it is called outside any unit of work."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def event_ids_for_user(self, user_id: uuid.UUID) -> Collection[uuid.UUID]:
        c = bookings.c
        query = (
            select(c.event_id)
            .where(
                c.user_id == user_id,
                c.status.in_([BookingStatus.CONFIRMED.value, BookingStatus.COMPLETED.value]),
            )
            .distinct()
        )
        async with self._engine.connect() as connection:
            return list((await connection.execute(query)).scalars())


class SqlIdempotencyStore:
    """``ports.idempotency.IdempotencyStore``; each call is its own short transaction."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    @staticmethod
    def _key(user_id: uuid.UUID, key: str) -> Sequence[ColumnElement[bool]]:
        return (idempotency_keys.c.user_id == user_id, idempotency_keys.c.key == key)

    async def reserve(
        self,
        user_id: uuid.UUID,
        key: str,
        *,
        request_hash: str,
        now: datetime,
        ttl: timedelta,
        abandoned_after: timedelta,
    ) -> IdempotencyRecord | None:
        c = idempotency_keys.c
        async with self._engine.begin() as connection:
            # A key past its retention, or a reservation whose request died before answering,
            # no longer counts: it is replaced by this request.
            await connection.execute(
                delete(idempotency_keys).where(
                    *self._key(user_id, key),
                    or_(
                        c.created_at <= now - ttl,
                        and_(c.response_status.is_(None), c.created_at <= now - abandoned_after),
                    ),
                )
            )
            claim = (
                dialect_insert(connection, idempotency_keys)
                .values(user_id=user_id, key=key, request_hash=request_hash, created_at=now)
                .on_conflict_do_nothing(index_elements=["user_id", "key"])
                .returning(idempotency_keys.c.key)
            )
            if (await connection.execute(claim)).first() is not None:
                return None
            row = (
                (await connection.execute(select(idempotency_keys).where(*self._key(user_id, key))))
                .mappings()
                .one()
            )
        response = (
            StoredResponse(row["response_status"], bytes(row["response_body"]))
            if row["response_status"] is not None
            else None
        )
        return IdempotencyRecord(row["request_hash"], response, row["created_at"])

    async def complete(self, user_id: uuid.UUID, key: str, response: StoredResponse) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(
                update(idempotency_keys)
                .where(*self._key(user_id, key))
                .values(response_status=response.status_code, response_body=response.body)
            )

    async def release(self, user_id: uuid.UUID, key: str) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(
                delete(idempotency_keys).where(
                    *self._key(user_id, key), idempotency_keys.c.response_status.is_(None)
                )
            )

    async def purge(self, *, older_than: datetime) -> int:
        async with self._engine.begin() as connection:
            result = await connection.execute(
                delete(idempotency_keys).where(idempotency_keys.c.created_at < older_than)
            )
        return result.rowcount
