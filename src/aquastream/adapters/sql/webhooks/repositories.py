"""Endpoints and deliveries in SQL. Claiming due deliveries is one ``UPDATE … WHERE id IN
(SELECT … FOR UPDATE SKIP LOCKED) RETURNING``: concurrent senders on PostgreSQL skip the rows
another holds and claim disjoint sets; SQLite lets one writer in at a time."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import RowMapping, delete, func, or_, select, update

from aquastream.adapters.crypto.sealing import SecretBox
from aquastream.adapters.sql.statements import insert_rows
from aquastream.adapters.sql.tables.webhooks import endpoint_attempts, endpoint_messages, endpoints
from aquastream.adapters.sql.uow import SqlRepository, SqlUnitOfWork
from aquastream.domain.shared.paging import Page, PageRequest
from aquastream.domain.webhooks.model import Attempt, Delivery, DeliveryRecord, DeliveryStatus, Endpoint

MAX_ERROR_LENGTH = 500


def _split(text: str) -> list[str]:
    return [part for part in text.split(",") if part]


class SqlEndpointRepository(SqlRepository):
    def __init__(self, uow: SqlUnitOfWork, box: SecretBox) -> None:
        super().__init__(uow)
        self._box = box

    def _from_row(self, row: RowMapping) -> Endpoint:
        previous = row["previous_secret_sealed"]
        return Endpoint(
            id=row["id"],
            organizer_id=row["organizer_id"],
            url=row["url"],
            event_types=tuple(_split(row["event_types"])),
            event_ids=tuple(uuid.UUID(part) for part in _split(row["event_ids"])),
            secret=self._box.open(row["secret_sealed"]),
            active=row["active"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            description=row["description"],
            rotated_at=row["rotated_at"],
            previous_secret=self._box.open(previous) if previous else None,
            previous_secret_expires_at=row["previous_secret_expires_at"],
        )

    def _values(self, endpoint: Endpoint) -> dict[str, Any]:
        previous = endpoint.previous_secret
        return {
            "organizer_id": endpoint.organizer_id,
            "url": endpoint.url,
            "description": endpoint.description,
            "event_types": ",".join(endpoint.event_types),
            "event_ids": ",".join(str(event_id) for event_id in endpoint.event_ids),
            "secret_sealed": self._box.seal(endpoint.secret),
            "previous_secret_sealed": self._box.seal(previous) if previous else None,
            "previous_secret_expires_at": endpoint.previous_secret_expires_at,
            "active": endpoint.active,
            "created_at": endpoint.created_at,
            "updated_at": endpoint.updated_at,
            "rotated_at": endpoint.rotated_at,
        }

    async def add(self, endpoint: Endpoint) -> None:
        await self._connection.execute(endpoints.insert().values(id=endpoint.id, **self._values(endpoint)))

    async def save(self, endpoint: Endpoint) -> None:
        statement = endpoints.update().where(endpoints.c.id == endpoint.id).values(**self._values(endpoint))
        await self._connection.execute(statement)

    async def get(self, endpoint_id: uuid.UUID) -> Endpoint | None:
        row = (
            await self._connection.execute(select(endpoints).where(endpoints.c.id == endpoint_id))
        ).mappings()
        found = row.first()
        return self._from_row(found) if found else None

    async def get_many(self, endpoint_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, Endpoint]:
        if not endpoint_ids:
            return {}
        query = select(endpoints).where(endpoints.c.id.in_(list(endpoint_ids)))
        rows = (await self._connection.execute(query)).mappings()
        return {row["id"]: self._from_row(row) for row in rows}

    async def list_for_organizer(self, organizer_id: uuid.UUID) -> list[Endpoint]:
        query = (
            select(endpoints)
            .where(endpoints.c.organizer_id == organizer_id)
            .order_by(endpoints.c.created_at, endpoints.c.id)
        )
        return [self._from_row(row) for row in (await self._connection.execute(query)).mappings()]

    async def delete(self, endpoint_id: uuid.UUID) -> bool:
        # The deliveries and their attempts go by the foreign keys' ON DELETE CASCADE.
        return await self._delete(delete(endpoints).where(endpoints.c.id == endpoint_id)) > 0


def _delivery_from_row(row: RowMapping) -> Delivery:
    return Delivery(
        id=row["id"],
        endpoint_id=row["endpoint_id"],
        message_id=row["message_id"],
        event_type=row["event_type"],
        payload=row["payload"].encode(),
        status=DeliveryStatus(row["status"]),
        attempts=row["attempts"],
        next_attempt_at=row["next_attempt_at"],
        created_at=row["created_at"],
        delivered_at=row["delivered_at"],
        last_error=row["last_error"],
    )


def _attempt_from_row(row: RowMapping) -> Attempt:
    return Attempt(
        id=row["id"],
        delivery_id=row["delivery_id"],
        attempted_at=row["attempted_at"],
        duration_ms=row["duration_ms"],
        status_code=row["status_code"],
        error=row["error"],
    )


class SqlDeliveryRepository(SqlRepository):
    async def add_new(self, deliveries: Sequence[Delivery]) -> int:
        if not deliveries:
            return 0
        rows = [
            {
                "id": d.id,
                "endpoint_id": d.endpoint_id,
                "message_id": d.message_id,
                "event_type": d.event_type,
                "payload": d.payload.decode(),
                "status": d.status.value,
                "attempts": d.attempts,
                "next_attempt_at": d.next_attempt_at,
                "created_at": d.created_at,
            }
            for d in deliveries
        ]
        written = await insert_rows(
            self._connection,
            endpoint_messages,
            rows,
            unless_found=("endpoint_id", "message_id"),
            returning="id",
        )
        return len(written)

    async def get(self, delivery_id: uuid.UUID) -> Delivery | None:
        query = select(endpoint_messages).where(endpoint_messages.c.id == delivery_id)
        found = (await self._connection.execute(query)).mappings().first()
        return _delivery_from_row(found) if found else None

    async def list_for_endpoint(self, endpoint_id: uuid.UUID, paging: PageRequest) -> Page[DeliveryRecord]:
        mine = endpoint_messages.c.endpoint_id == endpoint_id
        total = await self._connection.scalar(select(func.count()).select_from(endpoint_messages).where(mine))
        query = (
            select(endpoint_messages)
            .where(mine)
            .order_by(endpoint_messages.c.created_at.desc(), endpoint_messages.c.id.desc())
            .offset(paging.offset)
            .limit(paging.size)
        )
        found = [_delivery_from_row(row) for row in (await self._connection.execute(query)).mappings()]
        attempts: dict[uuid.UUID, list[Attempt]] = {d.id: [] for d in found}
        if found:
            tried = (
                select(endpoint_attempts)
                .where(endpoint_attempts.c.delivery_id.in_(list(attempts)))
                .order_by(endpoint_attempts.c.attempted_at.desc(), endpoint_attempts.c.id.desc())
            )
            for row in (await self._connection.execute(tried)).mappings():
                attempts[row["delivery_id"]].append(_attempt_from_row(row))
        records = [DeliveryRecord(d, attempts[d.id]) for d in found]
        return Page(records, int(total or 0), paging.page, paging.size)

    async def claim_due(self, *, now: datetime, limit: int, lease: timedelta) -> list[Delivery]:
        active = select(endpoints.c.id).where(endpoints.c.active)
        due = (
            select(endpoint_messages.c.id)
            .where(
                endpoint_messages.c.status == DeliveryStatus.PENDING.value,
                endpoint_messages.c.next_attempt_at <= now,
                or_(endpoint_messages.c.locked_until.is_(None), endpoint_messages.c.locked_until <= now),
                endpoint_messages.c.endpoint_id.in_(active.scalar_subquery()),
            )
            .order_by(endpoint_messages.c.next_attempt_at, endpoint_messages.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)  # rendered as nothing on SQLite
        )
        statement = (
            update(endpoint_messages)
            .where(endpoint_messages.c.id.in_(due.scalar_subquery()))
            .values(locked_until=now + lease, attempts=endpoint_messages.c.attempts + 1)
            .returning(*endpoint_messages.c)
        )
        rows = (await self._connection.execute(statement)).mappings().all()
        # RETURNING gives no order; the oldest due go first.
        return sorted((_delivery_from_row(row) for row in rows), key=lambda d: (d.next_attempt_at, d.id))

    async def record(self, attempt: Attempt, *, delivered: bool, retry_at: datetime | None) -> None:
        error = None if delivered else (attempt.error or f"HTTP {attempt.status_code}")[:MAX_ERROR_LENGTH]
        await self._connection.execute(
            endpoint_attempts.insert().values(
                id=attempt.id,
                delivery_id=attempt.delivery_id,
                attempted_at=attempt.attempted_at,
                duration_ms=attempt.duration_ms,
                status_code=attempt.status_code,
                error=attempt.error[:MAX_ERROR_LENGTH] if attempt.error else None,
            )
        )
        values: dict[str, Any] = {"locked_until": None, "last_error": error}
        if delivered:
            values.update(status=DeliveryStatus.DELIVERED.value, delivered_at=attempt.attempted_at)
        elif retry_at is None:
            values.update(status=DeliveryStatus.FAILED.value)
        else:
            values.update(next_attempt_at=retry_at)
        await self._connection.execute(
            update(endpoint_messages).where(endpoint_messages.c.id == attempt.delivery_id).values(**values)
        )

    async def purge(self, *, before: datetime) -> int:
        # The attempts go by the foreign key's ON DELETE CASCADE.
        statement = delete(endpoint_messages).where(
            endpoint_messages.c.status != DeliveryStatus.PENDING.value,
            endpoint_messages.c.created_at < before,
        )
        return await self._delete(statement)

    async def resend(self, delivery_id: uuid.UUID, *, now: datetime) -> Delivery | None:
        statement = (
            update(endpoint_messages)
            .where(
                endpoint_messages.c.id == delivery_id,
                or_(endpoint_messages.c.locked_until.is_(None), endpoint_messages.c.locked_until <= now),
            )
            .values(
                status=DeliveryStatus.PENDING.value,
                attempts=0,
                next_attempt_at=now,
                delivered_at=None,
                locked_until=None,
            )
            .returning(*endpoint_messages.c)
        )
        found = (await self._connection.execute(statement)).mappings().first()
        return _delivery_from_row(found) if found else None
