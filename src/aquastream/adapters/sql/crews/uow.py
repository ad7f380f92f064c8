"""The crews unit of work: its repositories share one transaction."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.sql.crews.assignments import SqlAssignmentRepository
from aquastream.adapters.sql.crews.crews import SqlCrewRepository, SqlPreferenceRepository
from aquastream.adapters.sql.tables.crews import outbox
from aquastream.adapters.sql.uow import SqlUnitOfWork


class SqlCrewsUnitOfWork(SqlUnitOfWork):
    def __init__(self, engine: AsyncEngine) -> None:
        super().__init__(engine, outbox, "crews")
        self.crews = SqlCrewRepository(self)
        self.assignments = SqlAssignmentRepository(self)
        self.preferences = SqlPreferenceRepository(self)
