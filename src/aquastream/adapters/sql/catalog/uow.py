"""The catalog unit of work: its repositories and the booking domain's seat inventory share
one transaction."""

from __future__ import annotations

from collections.abc import Callable

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
    """``inventory`` builds the booking domain's SQL seat inventory on this unit of work
    (e.g. ``SqlSeatInventory``), so that publishing, resizing and closing seats commit or
    roll back with the event change that causes them."""

    def __init__(self, engine: AsyncEngine, inventory: Callable[[SqlUnitOfWork], SeatInventory]) -> None:
        super().__init__(engine, outbox, "catalog")
        self.organizers = SqlOrganizerRepository(self)
        self.team = SqlTeamRepository(self)
        self.faq = SqlFaqRepository(self)
        self.events = SqlEventRepository(self)
        self.favorites = SqlFavoriteRepository(self)
        self.feeds = SqlCalendarFeedRepository(self)
        self.inventory = inventory(self)
