"""SQL persistence of the booking domain: its unit of work and repositories, the seats it
serves the catalog, the calendar feed's lookup of confirmed bookings, and idempotency keys."""

from __future__ import annotations

from aquastream.adapters.sql.booking.lookups import SqlConfirmedBookingsLookup
from aquastream.adapters.sql.booking.seats import SqlSeatInventory
from aquastream.adapters.sql.booking.uow import SqlBookingUnitOfWork

__all__ = ["SqlBookingUnitOfWork", "SqlConfirmedBookingsLookup", "SqlSeatInventory"]
