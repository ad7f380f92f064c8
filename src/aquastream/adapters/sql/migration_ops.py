"""Helpers for migration scripts that must run on PostgreSQL and on SQLite alike.

``op.create_table``/``op.create_index``/``op.drop_table`` with ``schema="identity"`` work on
both: they go through SQLAlchemy's DDL compiler, which applies the engine's schema
translation (every schema becomes the one SQLite file). Alembic's own ALTER statements
(``op.batch_alter_table``, ``op.add_column`` …) are rendered by Alembic and skip that
translation, so they name their schema through ``alter_schema``.

Caveats of ``op.batch_alter_table`` on SQLite when it has to copy a table (changing a
type, dropping a column): reflection reads ``GUID`` columns (``BINARY(16)``) back as
``NUMERIC(16)`` and cannot see expression indexes such as ``uq_users_email``; pass the
columns again in ``reflect_args=[sa.Column("id", GUID()), …]`` and create such indexes
again after the batch.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def on_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def alter_schema(name: str) -> str | None:
    """The schema to pass to Alembic's ALTER operations: ``name``, or None on SQLite."""
    return name if on_postgresql() else None


def create_schemas(*names: str) -> None:
    """Create the PostgreSQL schemas of a domain (nothing to do on SQLite)."""
    if on_postgresql():
        for name in names:
            op.execute(sa.schema.CreateSchema(name, if_not_exists=True))


def drop_schemas(*names: str) -> None:
    """Drop emptied PostgreSQL schemas; not CASCADE, so a schema still holding tables of a
    later revision stops the downgrade instead of losing them."""
    if on_postgresql():
        for name in names:
            op.execute(sa.schema.DropSchema(name, if_exists=True))
