"""What payments reads of other domains' tables, on the connection of the unit of work it is
given (payments asks from inside its own transaction; on SQLite a second connection would
wait for that transaction's write lock): uploaded receipts (media). Bookings and events booking
serves (``BookingPayables``), who manages an organizer the catalog (``CatalogOrganizerDirectory``). And
booking's question to payments, read from the payments table on payments' own connection."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.sql.payments.repositories import payment_from_row
from aquastream.adapters.sql.reads import StandaloneReads
from aquastream.adapters.sql.tables.media import files
from aquastream.adapters.sql.tables.payments import payments
from aquastream.adapters.sql.uow import SqlRepository
from aquastream.domain.payments.model import Payment, ProofFile

# Past it booking's question is ``DependencyUnavailable``; the expiry job tries again later.
BOOKING_QUERY_TIMEOUT_SECONDS = 5.0


class SqlProofFiles(SqlRepository):
    async def get(self, file_id: uuid.UUID) -> ProofFile | None:
        query = select(files.c.id, files.c.owner_type, files.c.owner_id, files.c.uploaded_by, files.c.status)
        row = (await self._connection.execute(query.where(files.c.id == file_id))).first()
        if row is None:
            return None
        return ProofFile(
            id=row.id,
            owner_type=row.owner_type,
            owner_id=row.owner_id,
            uploaded_by=row.uploaded_by,
            status=row.status,
        )


class SqlBookingPayments:
    """The payments of a booking, for booking's expiry job: payments serves it on a connection
    of its own engine, outside booking's transaction, so booking runs no SQL on this table."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._reads = StandaloneReads(engine, timeout_seconds=BOOKING_QUERY_TIMEOUT_SECONDS)

    async def for_booking(self, booking_id: uuid.UUID) -> list[Payment]:
        query = select(payments).where(payments.c.booking_id == booking_id).order_by(payments.c.created_at)
        (rows,) = await self._reads.all([query], {})
        return [payment_from_row(row._mapping) for row in rows]
