"""Catalog: organizers with team and FAQ, events with full-text search, favorites, calendar feeds.

Revision ID: 0002_catalog
Revises: 0001
Create Date: 2026-11-26 03:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC, JsonB
from alembic import op
from sqlalchemy.dialects import postgresql

from aquastream.adapters.sql.migration_ops import create_schemas, drop_schemas, on_postgresql

revision: str = "0002_catalog"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "catalog"

# Written out here, not imported: a migration keeps the expression of its day.
EVENT_SEARCH_DOCUMENT = (
    "to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || coalesce(description, ''))"
    " || to_tsvector('simple'::regconfig, coalesce(tags, '[]'::jsonb))"
)


def _organizer_fk(table: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["organizer_id"],
        [f"{SCHEMA}.organizers.id"],
        name=f"fk_{table}_organizer_id_organizers",
        ondelete=ondelete,
    )


def _search_vector() -> sa.Column[str]:
    # SQLite has no tsvector: an always-NULL stand-in keeps the two schemas alike.
    if on_postgresql():
        return sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed(sa.text(EVENT_SEARCH_DOCUMENT), persisted=True),
            nullable=True,
        )
    return sa.Column("search_vector", sa.Text(), sa.Computed(sa.text("NULL"), persisted=True), nullable=True)


def upgrade() -> None:
    create_schemas(SCHEMA)
    _create_organizers()
    _create_events()
    _create_user_tables()


def _create_organizers() -> None:
    op.create_table(
        "organizers",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("logo_media_id", GUID(), nullable=True),
        sa.Column("logo_url", sa.String(length=2000), nullable=True),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column("contact_phone", sa.String(length=32), nullable=True),
        sa.Column("contact_telegram", sa.String(length=40), nullable=True),
        sa.Column("website", sa.String(length=2000), nullable=True),
        sa.Column("brand_color", sa.String(length=7), nullable=True),
        sa.Column("owner_user_id", GUID(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("updated_at", DateTimeUTC(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_organizers"),
        sa.UniqueConstraint("slug", name="uq_organizers_slug"),
        schema=SCHEMA,
    )
    op.create_index("ix_organizers_owner_user_id", "organizers", ["owner_user_id"], schema=SCHEMA)
    op.create_table(
        "team_members",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("organizer_id", GUID(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=True),
        sa.Column("photo_url", sa.String(length=2000), nullable=True),
        sa.Column("bio", sa.Text(), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        _organizer_fk("team_members", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_team_members"),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_team_members_organizer_id_sort_order",
        "team_members",
        ["organizer_id", "sort_order"],
        schema=SCHEMA,
    )
    op.create_table(
        "faq_items",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("organizer_id", GUID(), nullable=False),
        sa.Column("question", sa.String(length=500), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        _organizer_fk("faq_items", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_faq_items"),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_faq_items_organizer_id_sort_order", "faq_items", ["organizer_id", "sort_order"], schema=SCHEMA
    )


def _create_events() -> None:
    op.create_table(
        "events",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("organizer_id", GUID(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("date_start", DateTimeUTC(), nullable=False),
        sa.Column("date_end", DateTimeUTC(), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=True),
        sa.Column("city", sa.String(length=200), nullable=True),
        sa.Column("city_key", sa.String(length=200), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("price", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("currency", sa.String(length=3), server_default="RUB", nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("tags", JsonB, nullable=False),
        sa.Column("cover_url", sa.String(length=2000), nullable=True),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("updated_at", DateTimeUTC(), nullable=False),
        sa.Column("published_at", DateTimeUTC(), nullable=True),
        sa.Column("cancelled_at", DateTimeUTC(), nullable=True),
        sa.Column("completed_at", DateTimeUTC(), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.Column("search_text", sa.Text(), nullable=False),
        _search_vector(),
        sa.CheckConstraint("capacity > 0", name="ck_events_capacity_positive"),
        sa.CheckConstraint("price IS NULL OR price >= 0", name="ck_events_price_not_negative"),
        sa.CheckConstraint("date_start < date_end", name="ck_events_starts_before_end"),
        sa.CheckConstraint(
            "status IN ('DRAFT', 'PUBLISHED', 'COMPLETED', 'CANCELLED')", name="ck_events_status_known"
        ),
        _organizer_fk("events", "RESTRICT"),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
        schema=SCHEMA,
    )
    for name, columns in (
        ("ix_events_city_key", ["city_key"]),
        ("ix_events_status_date_start", ["status", "date_start"]),
        ("ix_events_status_date_end", ["status", "date_end"]),
        ("ix_events_organizer_id_date_start", ["organizer_id", "date_start"]),
    ):
        op.create_index(name, "events", columns, schema=SCHEMA)
    op.create_index(
        "ix_events_search_vector", "events", ["search_vector"], schema=SCHEMA, postgresql_using="gin"
    )


def _create_user_tables() -> None:
    op.create_table(
        "favorites",
        sa.Column("user_id", GUID(), nullable=False),
        sa.Column("event_id", GUID(), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], [f"{SCHEMA}.events.id"], name="fk_favorites_event_id_events", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "event_id", name="pk_favorites"),
        schema=SCHEMA,
    )
    op.create_index("ix_favorites_event_id", "favorites", ["event_id"], schema=SCHEMA)
    op.create_index("ix_favorites_user_id_created_at", "favorites", ["user_id", "created_at"], schema=SCHEMA)
    op.create_table(
        "calendar_feeds",
        sa.Column("user_id", GUID(), nullable=False),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("token_hash", sa.String(length=128), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("revoked_at", DateTimeUTC(), nullable=True),
        sa.PrimaryKeyConstraint("user_id", name="pk_calendar_feeds"),
        sa.UniqueConstraint("token_hash", name="uq_calendar_feeds_token_hash"),
        schema=SCHEMA,
    )


def downgrade() -> None:
    # Dropping a table drops its indexes; children go before the tables they point at.
    for table in ("calendar_feeds", "favorites", "events", "faq_items", "team_members", "organizers"):
        op.drop_table(table, schema=SCHEMA)
    drop_schemas(SCHEMA)
