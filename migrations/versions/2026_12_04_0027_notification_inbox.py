"""The users' in-app inbox (``notifications.inbox``): one entry per (user, category, subject)
for every notice addressed to a user, whether or not a channel carries it, with when the
user read it.

Back-fill: every message already in the outbox is copied in, whatever its status, with its
id, title, text, language and time. The entry is now the record that a fact was told, so
without the copy a fact delivered again after the upgrade would be told a second time in
the inbox; and the user finds what they were sent before. Messages a channel delivered
(``SENT``) come in read as of when they were written: the user was told already, and the
new inbox should not open on a wall of old unread messages; pending and failed ones come in
unread, as a message that reached nobody is now. The outbox kept neither the template nor
the event or booking ids, so those stay empty on copied entries.

Revision ID: 0027_notification_inbox
Revises: 0026_search_stemming
Create Date: 2026-12-04 14:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

from aquastream.adapters.sql.migration_ops import alter_schema

revision: str = "0027_notification_inbox"
down_revision: str | Sequence[str] | None = "0026_search_stemming"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("id", GUID(), primary_key=True),
        sa.Column("user_id", GUID(), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("template", sa.String(64), nullable=True),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("event_id", GUID(), nullable=True),
        sa.Column("booking_id", GUID(), nullable=True),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("read_at", DateTimeUTC(), nullable=True),
        sa.UniqueConstraint("category", "subject", "user_id", name="uq_inbox_category_subject_user_id"),
        schema="notifications",
    )
    op.create_index(
        "ix_inbox_user_id_created_at_id", "inbox", ["user_id", "created_at", "id"], schema="notifications"
    )
    op.create_index(
        "ix_inbox_unread_user_id",
        "inbox",
        ["user_id"],
        schema="notifications",
        postgresql_where=sa.text("read_at IS NULL"),
        sqlite_where=sa.text("read_at IS NULL"),
    )
    op.create_index("ix_inbox_created_at", "inbox", ["created_at"], schema="notifications")
    _copy_messages()


def _copy_messages() -> None:
    schema = alter_schema("notifications")
    columns = ("id", "user_id", "category", "subject", "language", "title", "body", "created_at")
    messages = sa.table("messages", *(sa.column(name) for name in (*columns, "status")), schema=schema)
    inbox = sa.table("inbox", *(sa.column(name) for name in (*columns, "read_at")), schema=schema)
    read_at = sa.case((messages.c.status == "SENT", messages.c.created_at), else_=sa.null())
    copied = sa.select(*(messages.c[name] for name in columns), read_at)
    op.execute(inbox.insert().from_select([*columns, "read_at"], copied))


def downgrade() -> None:
    op.drop_index("ix_inbox_created_at", table_name="inbox", schema="notifications")
    op.drop_index("ix_inbox_unread_user_id", table_name="inbox", schema="notifications")
    op.drop_index("ix_inbox_user_id_created_at_id", table_name="inbox", schema="notifications")
    op.drop_table("inbox", schema="notifications")
