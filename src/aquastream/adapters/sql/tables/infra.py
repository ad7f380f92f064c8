"""Tables of the worker shared by every domain: the leases of periodic jobs."""

from __future__ import annotations

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import Column, String, Table

from aquastream.adapters.sql.tables.base import metadata

SCHEMA = "infra"

job_leases = Table(
    "job_leases",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("next_run_at", DateTimeUTC(), nullable=False),
    schema=SCHEMA,
)
