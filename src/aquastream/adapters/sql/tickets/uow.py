"""The tickets unit of work: its repositories share one transaction."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.sql.tables.tickets import outbox
from aquastream.adapters.sql.tickets.tickets import SqlOrganizerKeyRepository, SqlTicketRepository
from aquastream.adapters.sql.uow import SqlUnitOfWork


class SqlTicketsUnitOfWork(SqlUnitOfWork):
    def __init__(self, engine: AsyncEngine) -> None:
        super().__init__(engine, outbox, "tickets")
        self.tickets = SqlTicketRepository(self)
        self.keys = SqlOrganizerKeyRepository(self)
