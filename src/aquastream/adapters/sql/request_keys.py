"""``ports.idempotency.RequestKeys`` in SQL: the keys of one domain, in its unit of work's
transaction, on its own table (``tables.request_keys``).

In an entry whose writes wait for its change (``SqlUnitOfWork.write_with_change``, a booking
made at once) the key is read, and a free one is written with the change, its answer
completed before: a concurrent claim of the same key then collides on the primary key and
the entry is undone (``ChangeCollided``), as is a claim that finds a record past its
retention (the transaction, which replaces it, decides)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, RowMapping, Table, delete, select, update

from aquastream.adapters.sql.statements import dialect_insert
from aquastream.adapters.sql.uow import SqlRepository, SqlUnitOfWork
from aquastream.ports.idempotency import KeyRecord, StoredResponse
from aquastream.ports.uow import ChangeCollided


class SqlRequestKeys(SqlRepository):
    def __init__(self, uow: SqlUnitOfWork, table: Table) -> None:
        super().__init__(uow)
        self._table = table
        self._written_with_change: dict[tuple[uuid.UUID, str], dict[str, Any]] = {}

    def _key(self, user_id: uuid.UUID, key: str) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
        return self._table.c.user_id == user_id, self._table.c.key == key

    async def claim(
        self,
        user_id: uuid.UUID,
        key: str,
        *,
        request_hash: str,
        resource_id: uuid.UUID,
        now: datetime,
        retention: timedelta,
    ) -> KeyRecord | None:
        row: dict[str, Any] = {
            "user_id": user_id,
            "key": key,
            "request_hash": request_hash,
            "resource_id": resource_id,
            "created_at": now,
        }
        if self._uow.writes_with_change:
            return await self._claim_with_change(row, now - retention)
        # A record past its retention no longer counts: this request replaces it.
        await self._connection.execute(
            delete(self._table).where(*self._key(user_id, key), self._table.c.created_at <= now - retention)
        )
        # A concurrent claim of the same key waits here on the primary key until the first
        # transaction ends, then inserts nothing (it committed) or claims the key (it rolled back).
        claim = (
            dialect_insert(self._connection, self._table)
            .values(**row)
            .on_conflict_do_nothing(index_elements=["user_id", "key"])
            .returning(self._table.c.key)
        )
        if (await self._connection.execute(claim)).first() is not None:
            return None
        found = (
            await self._connection.execute(select(self._table).where(*self._key(user_id, key)))
        ).mappings()
        return _record(found.one())

    async def _claim_with_change(self, row: dict[str, Any], forgotten_from: datetime) -> KeyRecord | None:
        user_id, key = row["user_id"], row["key"]
        found = (
            await self._connection.execute(select(self._table).where(*self._key(user_id, key)))
        ).mappings()
        held = found.first()
        if held is not None:
            if held["created_at"] > forgotten_from:
                return _record(held)
            raise ChangeCollided()
        row.update(response_status=None, response_body=None)
        self._written_with_change = {(user_id, key): row}
        await self._uow.write_with_change(self._table, row)
        return None

    async def answer(self, user_id: uuid.UUID, key: str, response: StoredResponse) -> None:
        pending = self._written_with_change.pop((user_id, key), None)
        if pending is not None:
            pending.update(response_status=response.status_code, response_body=response.body)
            return
        await self._connection.execute(
            update(self._table)
            .where(*self._key(user_id, key))
            .values(response_status=response.status_code, response_body=response.body)
        )

    async def release(self, user_id: uuid.UUID, key: str) -> None:
        await self._connection.execute(delete(self._table).where(*self._key(user_id, key)))

    async def purge(self, *, older_than: datetime) -> int:
        return await self._delete(delete(self._table).where(self._table.c.created_at < older_than))


def _record(row: RowMapping) -> KeyRecord:
    response = (
        StoredResponse(row["response_status"], bytes(row["response_body"]))
        if row["response_status"] is not None
        else None
    )
    return KeyRecord(row["request_hash"], row["resource_id"], response, row["created_at"])
