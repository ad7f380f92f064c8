"""The event spine's tables, a pair in each domain's schema: the outbox of the facts the
domain publishes, and the deliveries of facts to its own subscribers (one row per fact and
subscriber). Named after the domain: SQLite keeps every schema's tables in one namespace."""

from __future__ import annotations

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import (
    Boolean,
    Column,
    ColumnElement,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from aquastream.adapters.sql.tables.base import metadata

TRACE_CONTEXT_LENGTH = 128


def outbox_table(domain: str, schema: str) -> Table:
    table = Table(
        f"{domain}_outbox",
        metadata,
        Column("id", GUID(), primary_key=True),
        Column("event_name", String(200), nullable=False),
        # The JSON text of the event exactly as encoded: readable in psql, byte-exact on decode.
        Column("payload", Text(), nullable=False),
        Column("created_at", DateTimeUTC(), nullable=False),
        Column("locked_until", DateTimeUTC(), nullable=True),
        Column("relayed_at", DateTimeUTC(), nullable=True),
        # The W3C traceparent of the trace that raised the fact (adapters.trace_context).
        Column("trace_context", String(TRACE_CONTEXT_LENGTH), nullable=True),
        schema=schema,
    )
    # Relayed facts pile up; the relay only ever scans the others.
    Index(
        f"ix_{domain}_outbox_unrelayed",
        table.c.created_at,
        table.c.id,
        postgresql_where=unrelayed(table),
        sqlite_where=unrelayed(table),
    )
    return table


def unrelayed(table: Table) -> ColumnElement[bool]:
    return table.c.relayed_at.is_(None)


def deliveries_table(domain: str, schema: str) -> Table:
    table = Table(
        f"{domain}_deliveries",
        metadata,
        Column("id", GUID(), primary_key=True),
        Column("message_id", GUID(), nullable=False),
        Column("subscriber", String(200), nullable=False),
        Column("event_name", String(200), nullable=False),
        Column("payload", Text(), nullable=False),
        Column("created_at", DateTimeUTC(), nullable=False),  # when the fact happened
        Column("available_at", DateTimeUTC(), nullable=False),
        Column("attempts", Integer(), nullable=False, server_default="0"),
        Column("locked_until", DateTimeUTC(), nullable=True),
        Column("delivered_at", DateTimeUTC(), nullable=True),
        Column("dead", Boolean(), nullable=False, server_default=false()),
        Column("last_error", Text(), nullable=True),
        Column("trace_context", String(TRACE_CONTEXT_LENGTH), nullable=True),  # its fact's
        UniqueConstraint("message_id", "subscriber", name=f"uq_{domain}_deliveries_message_subscriber"),
        schema=schema,
    )
    Index(
        f"ix_{domain}_deliveries_pending",
        table.c.created_at,
        table.c.id,
        postgresql_where=pending(table),
        sqlite_where=pending(table),
    )
    Index(
        f"ix_{domain}_deliveries_dead",
        table.c.created_at,
        postgresql_where=table.c.dead,
        sqlite_where=table.c.dead,
    )
    return table


def pending(table: Table) -> ColumnElement[bool]:
    """Neither delivered nor given up; rendered as the partial indexes state it."""
    return table.c.delivered_at.is_(None) & ~table.c.dead
