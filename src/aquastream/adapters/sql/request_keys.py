"""``ports.idempotency.RequestKeys`` in SQL: the keys of one domain, in its unit of work's
transaction, on its own table (``tables.request_keys``)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, RowMapping, Table, delete, select, update

from aquastream.adapters.sql.statements import dialect_insert
from aquastream.adapters.sql.uow import SqlRepository, SqlUnitOfWork
from aquastream.ports.idempotency import KeyRecord, StoredResponse


class SqlRequestKeys(SqlRepository):
    def __init__(self, uow: SqlUnitOfWork, table: Table) -> None:
        super().__init__(uow)
        self._table = table

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
        # A record past its retention no longer counts: this request replaces it.
        await self._connection.execute(
            delete(self._table).where(*self._key(user_id, key), self._table.c.created_at <= now - retention)
        )
        # A concurrent claim of the same key waits here on the primary key until the first
        # transaction ends, then inserts nothing (it committed) or claims the key (it rolled back).
        claim = (
            dialect_insert(self._connection, self._table)
            .values(
                user_id=user_id, key=key, request_hash=request_hash, resource_id=resource_id, created_at=now
            )
            .on_conflict_do_nothing(index_elements=["user_id", "key"])
            .returning(self._table.c.key)
        )
        if (await self._connection.execute(claim)).first() is not None:
            return None
        row = (await self._connection.execute(select(self._table).where(*self._key(user_id, key)))).mappings()
        return _record(row.one())

    async def answer(self, user_id: uuid.UUID, key: str, response: StoredResponse) -> None:
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
