"""Tables of the catalog domain (PostgreSQL schema ``catalog``).

Text search (the rule: ``aquastream.adapters.text_search``): ``events.search_vector`` is a
generated ``tsvector`` with a GIN index on PostgreSQL, made with the built-in ``russian``
configuration (Snowball's Russian stemmer for Cyrillic words, its English one for Latin
words, their stop lists) over the title (weight A), the tags (B) and the description (D),
with ``ё`` read as ``е``; the database needs a UTF-8 ``LC_CTYPE`` such as ``C.UTF-8`` for
the parser to see Cyrillic letters. SQLite has no full-text type: there the column is an
always-NULL stand-in that keeps both schemas alike, and the search reads ``search_text``,
the stems of the same fields made in Python (``text_search.event_document``), written on
both databases. ``city_key`` is the case-folded city (SQLite's ``lower`` folds ASCII only).

Favorites, calendar feeds and team members' linked accounts keep bare user ids: users live
in another schema.
"""

from __future__ import annotations

from typing import Any

from advanced_alchemy.types import GUID, DateTimeUTC, JsonB
from sqlalchemy import (
    CheckConstraint,
    Column,
    Computed,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from aquastream.adapters.sql.tables.base import metadata
from aquastream.adapters.sql.tables.spine import deliveries_table, outbox_table

SCHEMA = "catalog"

ORGANIZERS_SLUG_UNIQUE = "uq_organizers_slug"
TEAM_MEMBERS_ACCOUNT_UNIQUE = "uq_team_members_organizer_id_user_id"

# The document of an event's full-text search, as PostgreSQL builds it.
EVENT_SEARCH_DOCUMENT = (
    "setweight(to_tsvector('russian'::regconfig, translate(title, 'ёЁ', 'ее')), 'A')"
    " || setweight(to_tsvector('russian'::regconfig,"
    " translate(coalesce(tags, '[]'::jsonb)::text, 'ёЁ', 'ее')::jsonb), 'B')"
    " || to_tsvector('russian'::regconfig, translate(coalesce(description, ''), 'ёЁ', 'ее'))"
)


class event_search_document(FunctionElement[Any]):
    """The generated expression of ``events.search_vector``: the document on PostgreSQL,
    NULL elsewhere."""

    inherit_cache = True


@compiles(event_search_document)
def _search_document_elsewhere(element: event_search_document, compiler: Any, **kw: Any) -> str:
    return "NULL"


@compiles(event_search_document, "postgresql")
def _search_document_on_postgresql(element: event_search_document, compiler: Any, **kw: Any) -> str:
    return EVENT_SEARCH_DOCUMENT


def _url(name: str) -> Column[str]:
    return Column(name, String(2000), nullable=True)


def _organizer_id(*, cascade: bool) -> Column[Any]:
    return Column(
        "organizer_id",
        GUID(),
        ForeignKey(f"{SCHEMA}.organizers.id", ondelete="CASCADE" if cascade else "RESTRICT"),
        nullable=False,
    )


organizers = Table(
    "organizers",
    metadata,
    Column("id", GUID(), primary_key=True),
    Column("slug", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("description", Text(), nullable=True),
    Column("logo_media_id", GUID(), nullable=True),
    _url("logo_url"),
    Column("contact_email", String(254), nullable=True),
    Column("contact_phone", String(32), nullable=True),
    Column("contact_telegram", String(40), nullable=True),
    _url("website"),
    Column("brand_color", String(7), nullable=True),
    Column("owner_user_id", GUID(), nullable=False, index=True),
    Column("search_text", Text(), nullable=False),
    Column("created_at", DateTimeUTC(), nullable=False),
    Column("updated_at", DateTimeUTC(), nullable=False),
    UniqueConstraint("slug"),
    schema=SCHEMA,
)

team_members = Table(
    "team_members",
    metadata,
    Column("id", GUID(), primary_key=True),
    _organizer_id(cascade=True),
    Column("name", String(200), nullable=False),
    Column("role", String(200), nullable=True),
    _url("photo_url"),
    Column("bio", Text(), nullable=True),
    Column("sort_order", Integer(), nullable=False),
    # The linked account (identity's user id): it checks seats in at the organizer's events.
    Column("user_id", GUID(), nullable=True),
    schema=SCHEMA,
)
Index(None, team_members.c.organizer_id, team_members.c.sort_order)
# One member per account and organizer (unlinked members, NULL, are never equal). An index, not
# a constraint: SQLite adds it without copying the table.
Index(TEAM_MEMBERS_ACCOUNT_UNIQUE, team_members.c.organizer_id, team_members.c.user_id, unique=True)

faq_items = Table(
    "faq_items",
    metadata,
    Column("id", GUID(), primary_key=True),
    _organizer_id(cascade=True),
    Column("question", String(500), nullable=False),
    Column("answer", Text(), nullable=False),
    Column("sort_order", Integer(), nullable=False),
    schema=SCHEMA,
)
Index(None, faq_items.c.organizer_id, faq_items.c.sort_order)

events = Table(
    "events",
    metadata,
    Column("id", GUID(), primary_key=True),
    # RESTRICT: an organizer with events is never deleted by accident.
    _organizer_id(cascade=False),
    Column("type", String(16), nullable=False),
    Column("title", String(500), nullable=False),
    Column("description", Text(), nullable=True),
    Column("date_start", DateTimeUTC(), nullable=False),
    Column("date_end", DateTimeUTC(), nullable=False),
    Column("address", String(500), nullable=True),
    Column("city", String(200), nullable=True),
    Column("city_key", String(200), nullable=True, index=True),
    Column("latitude", Float(), nullable=True),
    Column("longitude", Float(), nullable=True),
    Column("price", Numeric(13, 3), nullable=True),
    Column("currency", String(3), nullable=False, server_default="RUB"),
    Column("capacity", Integer(), nullable=False),
    Column("status", String(16), nullable=False),
    Column("tags", JsonB, nullable=False),
    _url("cover_url"),
    Column("created_at", DateTimeUTC(), nullable=False),
    Column("updated_at", DateTimeUTC(), nullable=False),
    Column("published_at", DateTimeUTC(), nullable=True),
    Column("cancelled_at", DateTimeUTC(), nullable=True),
    Column("completed_at", DateTimeUTC(), nullable=True),
    Column("cancel_reason", Text(), nullable=True),
    Column("search_text", Text(), nullable=False),
    Column(
        "search_vector",
        TSVECTOR().with_variant(Text(), "sqlite"),
        Computed(event_search_document(), persisted=True),
        nullable=True,
    ),
    CheckConstraint("capacity > 0", name="capacity_positive"),
    CheckConstraint("price IS NULL OR price >= 0", name="price_not_negative"),
    CheckConstraint("date_start < date_end", name="starts_before_end"),
    CheckConstraint("status IN ('DRAFT', 'PUBLISHED', 'COMPLETED', 'CANCELLED')", name="status_known"),
    schema=SCHEMA,
)
# The catalog lists by status and start; the completion job scans by status and end.
Index(None, events.c.status, events.c.date_start)
Index(None, events.c.status, events.c.date_end)
Index(None, events.c.organizer_id, events.c.date_start)
Index("ix_events_search_vector", events.c.search_vector, postgresql_using="gin")

favorites = Table(
    "favorites",
    metadata,
    Column("user_id", GUID(), primary_key=True),
    Column(
        "event_id",
        GUID(),
        ForeignKey(f"{SCHEMA}.events.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
    Column("created_at", DateTimeUTC(), nullable=False),
    schema=SCHEMA,
)
Index(None, favorites.c.user_id, favorites.c.created_at)

calendar_feeds = Table(
    "calendar_feeds",
    metadata,
    Column("user_id", GUID(), primary_key=True),
    Column("nonce", String(64), nullable=False),
    Column("token_hash", String(128), nullable=False),
    Column("created_at", DateTimeUTC(), nullable=False),
    Column("revoked_at", DateTimeUTC(), nullable=True),
    UniqueConstraint("token_hash"),
    schema=SCHEMA,
)

outbox = outbox_table("catalog", SCHEMA)
deliveries = deliveries_table("catalog", SCHEMA)
