"""Tables of the identity domain (PostgreSQL schema ``identity``).

Foreign keys stay inside the schema; the audit log keeps bare ids so that its entries
outlive whatever they mention.
"""

from __future__ import annotations

import uuid

from advanced_alchemy.types import GUID, DateTimeUTC, JsonB
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    false,
    func,
    text,
)

from aquastream.adapters.sql.tables.base import metadata
from aquastream.adapters.sql.tables.spine import deliveries_table, outbox_table
from aquastream.domain.identity.model import USER_AGENT_MAX_LENGTH

SCHEMA = "identity"

USERS_EMAIL_UNIQUE = "uq_users_email"


def _user_id_column() -> Column[uuid.UUID]:
    return Column(
        "user_id",
        GUID(),
        ForeignKey(f"{SCHEMA}.users.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


users = Table(
    "users",
    metadata,
    Column("id", GUID(), primary_key=True),
    Column("email", String(320), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(16), nullable=False),
    Column("is_active", Boolean(), nullable=False),
    Column("created_at", DateTimeUTC(), nullable=False, index=True),
    Column("updated_at", DateTimeUTC(), nullable=False),
    Column("deleted_at", DateTimeUTC(), nullable=True),
    Column("tokens_not_before", DateTimeUTC(), nullable=True),
    Column("email_verified_at", DateTimeUTC(), nullable=True),
    schema=SCHEMA,
)
# On the lower-cased email, so the uniqueness holds even for a caller that forgot to normalise.
Index(USERS_EMAIL_UNIQUE, func.lower(users.c.email), unique=True)
MARKED_USER = text("tokens_not_before IS NOT NULL")
Index(
    "ix_users_marked_tokens_not_before",
    users.c.tokens_not_before,
    postgresql_where=MARKED_USER,
    sqlite_where=MARKED_USER,
)

profiles = Table(
    "profiles",
    metadata,
    Column(
        "user_id",
        GUID(),
        ForeignKey(f"{SCHEMA}.users.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("updated_at", DateTimeUTC(), nullable=False),
    Column("phone", String(32), nullable=True),
    Column("telegram", String(64), nullable=True),
    Column("telegram_verified", Boolean(), nullable=False, server_default=false()),
    # Not unique: linking a chat to a second account must not fail with a database error.
    Column("telegram_chat_id", BigInteger(), nullable=True, index=True),
    Column("first_name", String(200), nullable=True),
    Column("last_name", String(200), nullable=True),
    Column("birth_date", Date(), nullable=True),
    Column("extra", JsonB, nullable=False),
    schema=SCHEMA,
)

refresh_sessions = Table(
    "refresh_sessions",
    metadata,
    Column("id", GUID(), primary_key=True),
    _user_id_column(),
    Column("family_id", GUID(), nullable=False, index=True),
    Column("token_hash", String(128), nullable=False),
    Column("created_at", DateTimeUTC(), nullable=False),
    Column("expires_at", DateTimeUTC(), nullable=False),
    Column("revoked_at", DateTimeUTC(), nullable=True),
    Column("replaced_by", GUID(), nullable=True),
    # The device of the request that made the row (see ``RefreshSession``).
    Column("signed_in_at", DateTimeUTC(), nullable=True),
    Column("user_agent", String(USER_AGENT_MAX_LENGTH), nullable=True),
    Column("ip", String(64), nullable=True),
    UniqueConstraint("token_hash"),
    schema=SCHEMA,
)
# Every instance of the edge reads, every second, the sessions ended (not rotated) and the
# users marked within the lifetime of an access token: few rows, found by these two indexes.
ENDED_SESSION = text("revoked_at IS NOT NULL AND replaced_by IS NULL")
Index(
    "ix_refresh_sessions_ended_revoked_at",
    refresh_sessions.c.revoked_at,
    postgresql_where=ENDED_SESSION,
    sqlite_where=ENDED_SESSION,
)

recovery_requests = Table(
    "recovery_requests",
    metadata,
    Column("id", GUID(), primary_key=True),
    _user_id_column(),
    Column("code_hash", String(128), nullable=False),
    Column("created_at", DateTimeUTC(), nullable=False),
    Column("expires_at", DateTimeUTC(), nullable=False),
    Column("attempts", Integer(), nullable=False, server_default="0"),
    Column("verified_at", DateTimeUTC(), nullable=True),
    Column("reset_token_hash", String(128), nullable=True),
    Column("reset_expires_at", DateTimeUTC(), nullable=True),
    Column("used_at", DateTimeUTC(), nullable=True),
    # Which ``CodePurpose``; the address an email-verification code was sent to.
    Column("purpose", String(24), nullable=False, server_default="PASSWORD_RESET"),
    Column("email", String(320), nullable=True),
    UniqueConstraint("reset_token_hash"),
    schema=SCHEMA,
)

telegram_link_codes = Table(
    "telegram_link_codes",
    metadata,
    Column("code_hash", String(128), primary_key=True),
    _user_id_column(),
    Column("created_at", DateTimeUTC(), nullable=False),
    Column("expires_at", DateTimeUTC(), nullable=False),
    Column("used_at", DateTimeUTC(), nullable=True),
    schema=SCHEMA,
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", GUID(), primary_key=True),
    Column("action", String(40), nullable=False),
    Column("created_at", DateTimeUTC(), nullable=False),
    Column("actor_id", GUID(), nullable=True),
    Column("target_id", GUID(), nullable=True),
    Column("payload", JsonB, nullable=False),
    Column("ip", String(64), nullable=True),
    schema=SCHEMA,
)
# A user's audit page reads entries about them or by them, newest first.
Index(None, audit_log.c.target_id, audit_log.c.created_at)
Index(None, audit_log.c.actor_id, audit_log.c.created_at)
# The retention job deletes the oldest entries first.
Index("ix_audit_log_created_at", audit_log.c.created_at)

outbox = outbox_table("identity", SCHEMA)
deliveries = deliveries_table("identity", SCHEMA)
