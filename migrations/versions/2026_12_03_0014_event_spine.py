"""The event spine: each domain's outbox and inbox of deliveries in its own schema, instead of
one shared outbox whose every message fed its subscribers in a chain.

Facts not yet delivered from the shared outbox (given-up ones included) move to their
publishing domain's outbox as facts to relay, so every subscriber gets them: subscribers are
idempotent, so one that had already succeeded takes the repeat in its stride. Going down,
the facts not yet relayed and those with deliveries still pending go back to the shared
outbox.

Revision ID: 0014_event_spine
Revises: 0011_idempotency_keys_per_domain
Create Date: 2026-12-03 20:30:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

from aquastream.adapters.sql.migration_ops import on_postgresql

revision: str = "0014_event_spine"
down_revision: str | Sequence[str] | None = "0011_idempotency_keys_per_domain"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Who published which fact at this revision (a migration keeps the knowledge of its day).
PUBLISHERS = {
    "identity": (
        "TelegramLinked",
        "UserBlocked",
        "UserDeleted",
        "UserRegistered",
        "UserRoleChanged",
        "UserUnblocked",
    ),
    "catalog": ("EventCancelled", "EventCapacityChanged", "EventCompleted", "EventPublished"),
    "booking": (
        "BookingCancelled",
        "BookingConfirmed",
        "BookingCreated",
        "BookingExpired",
        "BookingMarkedNoShow",
        "RefundRequested",
        "WaitlistClosed",
        "WaitlistSeatOffered",
    ),
    "payments": (
        "DuplicatePaymentReceived",
        "PaymentFailed",
        "PaymentProofSubmitted",
        "PaymentRefunded",
        "PaymentRejected",
        "PaymentSucceeded",
    ),
    "notifications": (),
    "crews": ("CrewAssigned", "CrewAssignmentEnded"),
    "media": ("MediaDeleted", "MediaUploaded"),
}


def _schema(name: str) -> str | None:
    return name if on_postgresql() else None


def _create_spine(domain: str) -> None:
    unrelayed = sa.text("relayed_at IS NULL")
    op.create_table(
        f"{domain}_outbox",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("event_name", sa.String(200), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("locked_until", DateTimeUTC(), nullable=True),
        sa.Column("relayed_at", DateTimeUTC(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=f"pk_{domain}_outbox"),
        schema=domain,
    )
    op.create_index(
        f"ix_{domain}_outbox_unrelayed",
        f"{domain}_outbox",
        ["created_at", "id"],
        schema=domain,
        postgresql_where=unrelayed,
        sqlite_where=unrelayed,
    )
    pending = sa.text("delivered_at IS NULL AND NOT dead")
    dead = sa.text("dead")
    op.create_table(
        f"{domain}_deliveries",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("message_id", GUID(), nullable=False),
        sa.Column("subscriber", sa.String(200), nullable=False),
        sa.Column("event_name", sa.String(200), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("available_at", DateTimeUTC(), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("locked_until", DateTimeUTC(), nullable=True),
        sa.Column("delivered_at", DateTimeUTC(), nullable=True),
        sa.Column("dead", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=f"pk_{domain}_deliveries"),
        sa.UniqueConstraint("message_id", "subscriber", name=f"uq_{domain}_deliveries_message_subscriber"),
        schema=domain,
    )
    op.create_index(
        f"ix_{domain}_deliveries_pending",
        f"{domain}_deliveries",
        ["created_at", "id"],
        schema=domain,
        postgresql_where=pending,
        sqlite_where=pending,
    )
    op.create_index(
        f"ix_{domain}_deliveries_dead",
        f"{domain}_deliveries",
        ["created_at"],
        schema=domain,
        postgresql_where=dead,
        sqlite_where=dead,
    )


def _shared_outbox() -> sa.TableClause:
    return sa.table(
        "outbox",
        sa.column("id"),
        sa.column("event_name"),
        sa.column("payload"),
        sa.column("created_at"),
        sa.column("available_at"),
        sa.column("delivered_at"),
        schema=_schema("infra"),
    )


def _domain_outbox(domain: str) -> sa.TableClause:
    return sa.table(
        f"{domain}_outbox",
        sa.column("id"),
        sa.column("event_name"),
        sa.column("payload"),
        sa.column("created_at"),
        sa.column("relayed_at"),
        schema=_schema(domain),
    )


def upgrade() -> None:
    for domain in PUBLISHERS:
        _create_spine(domain)
    shared = _shared_outbox()
    for domain, event_names in PUBLISHERS.items():
        if not event_names:
            continue
        target = _domain_outbox(domain)
        moved = sa.select(shared.c.id, shared.c.event_name, shared.c.payload, shared.c.created_at).where(
            shared.c.delivered_at.is_(None), shared.c.event_name.in_(event_names)
        )
        op.execute(target.insert().from_select(["id", "event_name", "payload", "created_at"], moved))
    op.drop_table("outbox", schema="infra")


def downgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("event_name", sa.String(200), nullable=False),
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
    pending = sa.text("delivered_at IS NULL AND NOT dead")
    op.create_index(
        "ix_outbox_pending",
        "outbox",
        ["created_at", "id"],
        schema="infra",
        postgresql_where=pending,
        sqlite_where=pending,
    )
    # A fact is not over while a delivery of it waits in any inbox.
    waiting = sa.union(
        *(
            sa.select(deliveries.c.message_id).where(deliveries.c.delivered_at.is_(None))
            for deliveries in (
                sa.table(
                    f"{domain}_deliveries",
                    sa.column("message_id"),
                    sa.column("delivered_at"),
                    schema=_schema(domain),
                )
                for domain in PUBLISHERS
            )
        )
    )
    shared = _shared_outbox()
    for domain in PUBLISHERS:
        source = _domain_outbox(domain)
        back = sa.select(
            source.c.id, source.c.event_name, source.c.payload, source.c.created_at, source.c.created_at
        ).where(sa.or_(source.c.relayed_at.is_(None), source.c.id.in_(waiting)))
        op.execute(
            shared.insert().from_select(["id", "event_name", "payload", "created_at", "available_at"], back)
        )
    for domain in PUBLISHERS:
        op.drop_table(f"{domain}_deliveries", schema=domain)
        op.drop_table(f"{domain}_outbox", schema=domain)
