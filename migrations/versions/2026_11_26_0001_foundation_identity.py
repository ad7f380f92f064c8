"""Foundation and identity: the outbox, job leases, users, profiles, sessions, recovery, audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-26 01:04:17.543356+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC, JsonB
from alembic import op

from aquastream.adapters.sql.migration_ops import create_schemas, drop_schemas

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMAS = ("infra", "identity")


def _user_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["user_id"], ["identity.users.id"], name=f"fk_{table}_user_id_users", ondelete="CASCADE"
    )


def upgrade() -> None:
    create_schemas(*SCHEMAS)
    _create_infra()
    _create_identity()


def _create_infra() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("event_name", sa.String(length=200), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("available_at", DateTimeUTC(), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("locked_until", DateTimeUTC(), nullable=True),
        sa.Column("delivered_at", DateTimeUTC(), nullable=True),
        sa.Column("dead", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        schema="infra",
    )
    # Each dialect spells "not dead" its own way; the predicate must read like the query's.
    op.create_index(
        "ix_outbox_pending",
        "outbox",
        ["created_at", "id"],
        schema="infra",
        postgresql_where=sa.text("delivered_at IS NULL AND NOT dead"),
        sqlite_where=sa.text("delivered_at IS NULL AND dead = 0"),
    )
    op.create_table(
        "job_leases",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("next_run_at", DateTimeUTC(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_job_leases"),
        schema="infra",
    )


def _create_identity() -> None:
    op.create_table(
        "users",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("updated_at", DateTimeUTC(), nullable=False),
        sa.Column("deleted_at", DateTimeUTC(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        schema="identity",
    )
    op.create_index("ix_users_created_at", "users", ["created_at"], schema="identity")
    op.create_index(
        "uq_users_email", "users", [sa.literal_column("lower(email)")], unique=True, schema="identity"
    )
    op.create_table(
        "profiles",
        sa.Column("user_id", GUID(), nullable=False),
        sa.Column("updated_at", DateTimeUTC(), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("telegram", sa.String(length=64), nullable=True),
        sa.Column("telegram_verified", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("telegram_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("first_name", sa.String(length=200), nullable=True),
        sa.Column("last_name", sa.String(length=200), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("extra", JsonB, nullable=False),
        _user_fk("profiles"),
        sa.PrimaryKeyConstraint("user_id", name="pk_profiles"),
        schema="identity",
    )
    op.create_index("ix_profiles_telegram_chat_id", "profiles", ["telegram_chat_id"], schema="identity")
    op.create_table(
        "refresh_sessions",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("user_id", GUID(), nullable=False),
        sa.Column("family_id", GUID(), nullable=False),
        sa.Column("token_hash", sa.String(length=128), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("expires_at", DateTimeUTC(), nullable=False),
        sa.Column("revoked_at", DateTimeUTC(), nullable=True),
        sa.Column("replaced_by", GUID(), nullable=True),
        _user_fk("refresh_sessions"),
        sa.PrimaryKeyConstraint("id", name="pk_refresh_sessions"),
        sa.UniqueConstraint("token_hash", name="uq_refresh_sessions_token_hash"),
        schema="identity",
    )
    op.create_index("ix_refresh_sessions_user_id", "refresh_sessions", ["user_id"], schema="identity")
    op.create_index("ix_refresh_sessions_family_id", "refresh_sessions", ["family_id"], schema="identity")
    op.create_table(
        "recovery_requests",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("user_id", GUID(), nullable=False),
        sa.Column("code_hash", sa.String(length=128), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("expires_at", DateTimeUTC(), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("verified_at", DateTimeUTC(), nullable=True),
        sa.Column("reset_token_hash", sa.String(length=128), nullable=True),
        sa.Column("reset_expires_at", DateTimeUTC(), nullable=True),
        sa.Column("used_at", DateTimeUTC(), nullable=True),
        _user_fk("recovery_requests"),
        sa.PrimaryKeyConstraint("id", name="pk_recovery_requests"),
        sa.UniqueConstraint("reset_token_hash", name="uq_recovery_requests_reset_token_hash"),
        schema="identity",
    )
    op.create_index("ix_recovery_requests_user_id", "recovery_requests", ["user_id"], schema="identity")
    op.create_table(
        "telegram_link_codes",
        sa.Column("code_hash", sa.String(length=128), nullable=False),
        sa.Column("user_id", GUID(), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("expires_at", DateTimeUTC(), nullable=False),
        sa.Column("used_at", DateTimeUTC(), nullable=True),
        _user_fk("telegram_link_codes"),
        sa.PrimaryKeyConstraint("code_hash", name="pk_telegram_link_codes"),
        schema="identity",
    )
    op.create_index("ix_telegram_link_codes_user_id", "telegram_link_codes", ["user_id"], schema="identity")
    op.create_table(
        "audit_log",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("actor_id", GUID(), nullable=True),
        sa.Column("target_id", GUID(), nullable=True),
        sa.Column("payload", JsonB, nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
        schema="identity",
    )
    op.create_index(
        "ix_audit_log_target_id_created_at", "audit_log", ["target_id", "created_at"], schema="identity"
    )
    op.create_index(
        "ix_audit_log_actor_id_created_at", "audit_log", ["actor_id", "created_at"], schema="identity"
    )


def downgrade() -> None:
    # Dropping a table drops its indexes; children go before the users they point at.
    for table in ("audit_log", "telegram_link_codes", "recovery_requests", "refresh_sessions", "profiles"):
        op.drop_table(table, schema="identity")
    op.drop_table("users", schema="identity")
    op.drop_table("job_leases", schema="infra")
    op.drop_table("outbox", schema="infra")
    drop_schemas(*reversed(SCHEMAS))
