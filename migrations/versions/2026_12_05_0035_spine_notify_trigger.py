"""PostgreSQL wakes the spine's listeners itself (issue 9): each domain's outbox has a trigger
that calls ``pg_notify('aquastream_spine', <schema>)`` once per statement inserting facts.

The unit of work sent that ``SELECT pg_notify(…)`` itself, one round trip more in every
transaction that published a fact (a booking, a payment, a check-in). The notification is
delivered at commit, as before, and once per transaction whatever the number of statements
(PostgreSQL folds identical notifications of one transaction). The function lives in each
domain's schema, beside the outbox it serves; it runs with the rights of the role inserting
(every role may notify). SQLite has no other process to wake: nothing changes there. Going
down drops the triggers and their functions (the code of that revision notifies itself).

Revision ID: 0035_spine_notify_trigger
Revises: 0034_team_accounts
Create Date: 2026-12-05 00:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0035_spine_notify_trigger"
down_revision: str | Sequence[str] | None = "0034_team_accounts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Each domain's schema holds its outbox, ``<domain>.<domain>_outbox``.
DOMAINS = (
    "booking",
    "catalog",
    "crews",
    "identity",
    "media",
    "notifications",
    "payments",
    "tickets",
    "webhooks",
)
CHANNEL = "aquastream_spine"
FUNCTION = "notify_spine"
TRIGGER = "notify_spine_after_insert"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for domain in DOMAINS:
        op.execute(
            f"CREATE FUNCTION {domain}.{FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n  PERFORM pg_notify('{CHANNEL}', TG_TABLE_SCHEMA);\n  RETURN NULL;\nEND\n$$"
        )
        op.execute(
            f"CREATE TRIGGER {TRIGGER} AFTER INSERT ON {domain}.{domain}_outbox"
            f" FOR EACH STATEMENT EXECUTE FUNCTION {domain}.{FUNCTION}()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for domain in DOMAINS:
        op.execute(f"DROP TRIGGER {TRIGGER} ON {domain}.{domain}_outbox")
        op.execute(f"DROP FUNCTION {domain}.{FUNCTION}()")
