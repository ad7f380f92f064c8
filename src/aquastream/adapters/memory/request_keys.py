"""``ports.idempotency.RequestKeys`` in memory: one table of the memory database per domain,
changed only inside a unit of work (which holds the database's lock, so a concurrent claim of
the same key waits for the first transaction as it does in SQL)."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime, timedelta

from aquastream.adapters.memory.database import MemoryDatabase
from aquastream.ports.idempotency import KeyRecord, StoredResponse


class MemoryRequestKeys:
    def __init__(self, db: MemoryDatabase, table_name: str) -> None:
        self._db = db
        self._table_name = table_name

    @property
    def _rows(self) -> dict[tuple[uuid.UUID, str], KeyRecord]:
        # Looked up on every use: a rollback replaces the database's tables.
        return self._db.table(self._table_name)

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
        held = self._rows.get((user_id, key))
        if held is not None and held.created_at > now - retention:
            return held
        self._rows[(user_id, key)] = KeyRecord(request_hash, resource_id, None, now)
        return None

    async def answer(self, user_id: uuid.UUID, key: str, response: StoredResponse) -> None:
        held = self._rows.get((user_id, key))
        if held is not None:
            self._rows[(user_id, key)] = dataclasses.replace(held, response=response)

    async def release(self, user_id: uuid.UUID, key: str) -> None:
        self._rows.pop((user_id, key), None)

    async def purge(self, *, older_than: datetime) -> int:
        old = [k for k, record in self._rows.items() if record.created_at < older_than]
        for k in old:
            del self._rows[k]
        return len(old)
