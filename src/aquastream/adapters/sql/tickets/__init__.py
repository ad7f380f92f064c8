"""SQL persistence of the tickets domain: its unit of work and repositories, and what it
serves booking (``SqlCheckInRecord``) and the catalog (``SqlUserTickets``)."""

from __future__ import annotations

from aquastream.adapters.sql.tickets.served import SqlCheckInRecord, SqlUserTickets
from aquastream.adapters.sql.tickets.uow import SqlTicketsUnitOfWork

__all__ = ["SqlCheckInRecord", "SqlTicketsUnitOfWork", "SqlUserTickets"]
