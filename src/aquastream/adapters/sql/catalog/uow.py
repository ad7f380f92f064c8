"""The catalog unit of work: its repositories in one transaction, and the seats booking serves."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.sql.catalog.events import SqlEventRepository
from aquastream.adapters.sql.catalog.favorites import SqlCalendarFeedRepository, SqlFavoriteRepository
from aquastream.adapters.sql.catalog.organizers import (
    SqlFaqRepository,
    SqlOrganizerRepository,
    SqlTeamRepository,
)
from aquastream.adapters.sql.tables.catalog import outbox
from aquastream.adapters.sql.uow import SqlUnitOfWork
from aquastream.ports.catalog import SeatInventory


class SqlCatalogUnitOfWork(SqlUnitOfWork):
    """``seats`` is the port booking serves for its seats: each call is a transaction of
    booking's own, outside this unit of work (see ``ports.catalog``)."""

    def __init__(self, engine: AsyncEngine, seats: SeatInventory) -> None:
        super().__init__(engine, outbox, "catalog")
        self.organizers = SqlOrganizerRepository(self)
        self.team = SqlTeamRepository(self)
        self.faq = SqlFaqRepository(self)
        self.events = SqlEventRepository(self)
        self.favorites = SqlFavoriteRepository(self)
        self.feeds = SqlCalendarFeedRepository(self)
        self.seats = seats
