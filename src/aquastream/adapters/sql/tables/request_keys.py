"""The idempotency keys table, one per domain whose resources keyed requests create: each
domain keeps its keys in its own schema, in the transactions that create its resources."""

from __future__ import annotations

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import Column, Index, Integer, LargeBinary, PrimaryKeyConstraint, String, Table

from aquastream.adapters.sql.tables.base import metadata


def request_keys_table(name: str, schema: str) -> Table:
    """Named apart in each schema: SQLite keeps every schema's tables in one namespace."""
    table = Table(
        name,
        metadata,
        Column("user_id", GUID(), nullable=False),
        Column("key", String(255), nullable=False),
        Column("request_hash", String(128), nullable=False),
        Column("resource_id", GUID(), nullable=False),
        Column("created_at", DateTimeUTC(), nullable=False),
        Column("response_status", Integer(), nullable=True),
        Column("response_body", LargeBinary(), nullable=True),
        PrimaryKeyConstraint("user_id", "key"),
        schema=schema,
    )
    Index(f"ix_{name}_created_at", table.c.created_at)
    return table
