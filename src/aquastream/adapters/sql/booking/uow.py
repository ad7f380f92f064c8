"""The booking unit of work: its repositories share one transaction."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.sql.booking.bookings import SqlBookingLog, SqlBookingRepository
from aquastream.adapters.sql.booking.inventories import SqlInventoryRepository
from aquastream.adapters.sql.booking.waitlist import SqlWaitlistAudit, SqlWaitlistRepository
from aquastream.adapters.sql.request_keys import SqlRequestKeys
from aquastream.adapters.sql.tables.booking import idempotency_keys, outbox
from aquastream.adapters.sql.uow import SqlUnitOfWork


class SqlBookingUnitOfWork(SqlUnitOfWork):
    def __init__(self, engine: AsyncEngine) -> None:
        super().__init__(engine, outbox, "booking")
        self.inventories = SqlInventoryRepository(self)
        self.bookings = SqlBookingRepository(self)
        self.log = SqlBookingLog(self)
        self.waitlist = SqlWaitlistRepository(self)
        self.waitlist_audit = SqlWaitlistAudit(self)
        self.request_keys = SqlRequestKeys(self, idempotency_keys)
