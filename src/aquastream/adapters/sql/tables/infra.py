"""Tables shared by every domain: the transactional outbox and the leases of periodic jobs."""

from __future__ import annotations

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import Boolean, Column, Index, Integer, String, Table, Text, and_, false

from aquastream.adapters.sql.tables.base import metadata

SCHEMA = "infra"

outbox = Table(
    "outbox",
    metadata,
    Column("id", GUID(), primary_key=True),
    Column("event_name", String(200), nullable=False),
    # The JSON text of the event exactly as encoded: readable in psql, byte-exact on decode.
    Column("payload", Text(), nullable=False),
    Column("created_at", DateTimeUTC(), nullable=False),
    Column("available_at", DateTimeUTC(), nullable=False),
    Column("attempts", Integer(), nullable=False, server_default="0"),
    Column("locked_until", DateTimeUTC(), nullable=True),
    Column("delivered_at", DateTimeUTC(), nullable=True),
    Column("dead", Boolean(), nullable=False, server_default=false()),
    Column("last_error", Text(), nullable=True),
    schema=SCHEMA,
)

# Delivered and dead messages pile up; the dispatcher only ever scans the pending ones.
# The predicate is rendered per dialect exactly as the claim query renders it, so that
# both planners can prove the index applies.
PENDING = and_(outbox.c.delivered_at.is_(None), ~outbox.c.dead)
Index(
    "ix_outbox_pending",
    outbox.c.created_at,
    outbox.c.id,
    postgresql_where=PENDING,
    sqlite_where=PENDING,
)

job_leases = Table(
    "job_leases",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("next_run_at", DateTimeUTC(), nullable=False),
    schema=SCHEMA,
)
