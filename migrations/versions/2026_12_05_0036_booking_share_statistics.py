"""PostgreSQL keeps statistics of the last byte of a booking's event id (issue 9): the expiry
sweep's lanes each claim the due holds of one share of the events, a range of that byte
(``EventShare``), and the planner needs to know such a range holds about its share of the
rows to keep walking the due holds' index rather than read and sort the whole table.

Statistics only (``CREATE STATISTICS`` on the expression), filled by the next ANALYZE; no
index to keep up on every booking. SQLite has one lane: nothing changes there.

Revision ID: 0036_booking_share_statistics
Revises: 0035_spine_notify_trigger
Create Date: 2026-12-05 00:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0036_booking_share_statistics"
down_revision: str | Sequence[str] | None = "0035_spine_notify_trigger"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATISTICS = "booking.st_bookings_event_last_byte"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"CREATE STATISTICS {STATISTICS} ON (get_byte(uuid_send(event_id), 15)) FROM booking.bookings")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP STATISTICS {STATISTICS}")
