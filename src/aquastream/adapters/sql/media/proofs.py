"""Payments' ``ProofFiles``, served by media on a connection of its own engine (never the
asking domain's transaction), so only media's table is read and media may live in a schema, or
a database, payments cannot see. It reads outside any transaction: on SQLite (WAL) such a
reader does not wait for payments' writer."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.sql.reads import StandaloneReads
from aquastream.adapters.sql.tables.media import files
from aquastream.ports.payments import ProofFile


class MediaProofFiles:
    def __init__(self, engine: AsyncEngine) -> None:
        self._reads = StandaloneReads(engine)

    async def get(self, file_id: uuid.UUID) -> ProofFile | None:
        query = select(files.c.id, files.c.owner_type, files.c.owner_id, files.c.uploaded_by, files.c.status)
        rows = await self._reads.rows(query.where(files.c.id == file_id))
        if not rows:
            return None
        row = rows[0]
        return ProofFile(
            id=row.id,
            owner_type=row.owner_type,
            owner_id=row.owner_id,
            uploaded_by=row.uploaded_by,
            status=row.status,
        )
