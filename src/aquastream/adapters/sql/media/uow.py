"""The media unit of work: file rows, their variants' rows, and the owner directory it is
given (answered by the owners' domains on their own connections)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.sql.media.files import SqlFileRepository
from aquastream.adapters.sql.media.variants import SqlVariantRepository
from aquastream.adapters.sql.tables.media import outbox
from aquastream.adapters.sql.uow import SqlUnitOfWork
from aquastream.ports.media import OwnerDirectory


class SqlMediaUnitOfWork(SqlUnitOfWork):
    def __init__(self, engine: AsyncEngine, owners: OwnerDirectory) -> None:
        super().__init__(engine, outbox, "media")
        self.files = SqlFileRepository(self)
        self.variants = SqlVariantRepository(self)
        self.owners = owners
