"""Event search by word forms: PostgreSQL's ``search_vector`` is made with the ``russian``
configuration (stemming, stop words; title weighted A, tags B, description D; ``ё`` read
as ``е``) instead of ``simple``, and ``search_text`` holds the stems the embedded database
searches (``aquastream.adapters.text_search``).

PostgreSQL cannot change a generated column's expression before version 17: the column
and its GIN index are dropped and made again (the table is rewritten once). SQLite keeps
its always-NULL stand-in. On both, ``search_text`` of every event is made again in Python.
The upgrade makes it with today's ``text_search.event_document`` (the stems cannot be
written out here); a later change of that document comes with a migration of its own that
makes them again. The downgrade writes the case-folded text of before, written out here.

Revision ID: 0026_search_stemming
Revises: 0025_outbox_trace_context
Create Date: 2026-12-04 14:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from advanced_alchemy.types import GUID, JsonB
from alembic import op
from sqlalchemy.dialects import postgresql

from aquastream.adapters.sql.migration_ops import alter_schema, on_postgresql
from aquastream.adapters.text_search import event_document

revision: str = "0026_search_stemming"
down_revision: str | Sequence[str] | None = "0025_outbox_trace_context"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "catalog"
INDEX = "ix_events_search_vector"
BATCH = 1000

STEMMED_DOCUMENT = (
    "setweight(to_tsvector('russian'::regconfig, translate(title, 'ёЁ', 'ее')), 'A')"
    " || setweight(to_tsvector('russian'::regconfig,"
    " translate(coalesce(tags, '[]'::jsonb)::text, 'ёЁ', 'ее')::jsonb), 'B')"
    " || to_tsvector('russian'::regconfig, translate(coalesce(description, ''), 'ёЁ', 'ее'))"
)
SIMPLE_DOCUMENT = (
    "to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || coalesce(description, ''))"
    " || to_tsvector('simple'::regconfig, coalesce(tags, '[]'::jsonb))"
)


def _folded_text(title: str, description: str | None, tags: list[str]) -> str:
    """``search_text`` before this revision: the case-folded words of the three fields."""
    parts = (title, description, " ".join(tags))
    return " ".join(" ".join(part.split()) for part in parts if part).casefold()


def _remake_search_vector(document: str) -> None:
    if not on_postgresql():
        return
    op.drop_index(INDEX, table_name="events", schema=SCHEMA)
    op.drop_column("events", "search_vector", schema=SCHEMA)
    op.add_column(
        "events",
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed(sa.text(document), persisted=True),
            nullable=True,
        ),
        schema=SCHEMA,
    )
    op.create_index(INDEX, "events", ["search_vector"], schema=SCHEMA, postgresql_using="gin")


def _rewrite_search_text(make: Callable[[str, str | None, list[str]], str]) -> None:
    events = sa.table(
        "events",
        sa.column("id", GUID()),
        sa.column("title", sa.String()),
        sa.column("description", sa.Text()),
        sa.column("tags", JsonB),
        sa.column("search_text", sa.Text()),
        schema=alter_schema(SCHEMA),
    )
    connection = op.get_bind()
    update = (
        events.update()
        .where(events.c.id == sa.bindparam("event_id"))
        .values(search_text=sa.bindparam("text"))
    )
    last: Any = None
    while True:
        query = sa.select(events.c.id, events.c.title, events.c.description, events.c.tags).order_by(
            events.c.id
        )
        if last is not None:
            query = query.where(events.c.id > last)
        rows = connection.execute(query.limit(BATCH)).all()
        if not rows:
            return
        connection.execute(
            update,
            [{"event_id": row.id, "text": make(row.title, row.description, list(row.tags))} for row in rows],
        )
        last = rows[-1].id


def upgrade() -> None:
    _remake_search_vector(STEMMED_DOCUMENT)
    _rewrite_search_text(event_document)


def downgrade() -> None:
    _remake_search_vector(SIMPLE_DOCUMENT)
    _rewrite_search_text(_folded_text)
