"""The media unit of work: file rows, and the owner directory on the same connection."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.sql.media.files import SqlFileRepository
from aquastream.adapters.sql.media.owners import SqlOwnerDirectory
from aquastream.adapters.sql.tables.media import outbox
from aquastream.adapters.sql.uow import SqlUnitOfWork


class SqlMediaUnitOfWork(SqlUnitOfWork):
    def __init__(self, engine: AsyncEngine) -> None:
        super().__init__(engine, outbox, "media")
        self.files = SqlFileRepository(self)
        self.owners = SqlOwnerDirectory(self)
