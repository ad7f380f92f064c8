"""The notification unit of work: its repositories share one transaction."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.sql.notifications.inbox import SqlInboxRepository
from aquastream.adapters.sql.notifications.messages import SqlMessageRepository, SqlPreferenceRepository
from aquastream.adapters.sql.tables.notifications import outbox
from aquastream.adapters.sql.uow import SqlUnitOfWork


class SqlNotificationUnitOfWork(SqlUnitOfWork):
    def __init__(self, engine: AsyncEngine) -> None:
        super().__init__(engine, outbox, "notifications")
        self.messages = SqlMessageRepository(self)
        self.inbox = SqlInboxRepository(self)
        self.preferences = SqlPreferenceRepository(self)
