"""The inbox's migration on PostgreSQL and SQLite: messages written before it are copied into
the inbox (those a channel delivered as read), and the way down drops the inbox."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, inspect, select

from aquastream.adapters.sql.engine import create_engine
from aquastream.adapters.sql.migrate import downgrade, upgrade
from aquastream.adapters.sql.notifications.inbox import entry_from_row
from aquastream.adapters.sql.tables.notifications import inbox, messages
from aquastream.domain.notifications.model import InboxEntry
from aquastream.domain.shared.ids import new_id
from tests.contract.factories import NOW

BEFORE = "0026_search_stemming"
INBOX = "0027_notification_inbox"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'inbox.db'}"
    url: str = request.getfixturevalue("empty_postgres_url")
    return url


def a_message(status: str, *, title: str, minutes: int) -> dict[str, Any]:
    return {
        "id": new_id(),
        "user_id": USER,
        "category": "BOOKING_STATUS",
        "subject": f"booking:{new_id()}:created",
        "channel": "EMAIL",
        "address": "ann@example.com",
        "language": "en",
        "title": title,
        "body": f"{title}.",
        "status": status,
        "attempts": 1,
        "created_at": NOW + timedelta(minutes=minutes),
        "next_attempt_at": NOW,
    }


USER = new_id()


async def test_messages_from_before_the_inbox_are_copied_in_the_delivered_ones_read(
    empty_database_url: str,
) -> None:
    await upgrade(empty_database_url, BEFORE)
    engine = create_engine(empty_database_url)
    rows = [
        a_message("SENT", title="Delivered", minutes=0),
        a_message("PENDING", title="On its way", minutes=1),
        a_message("FAILED", title="Reached nobody", minutes=2),
    ]
    try:
        async with engine.begin() as connection:
            await connection.execute(insert(messages).values(rows))

        await upgrade(empty_database_url, INBOX)

        async with engine.connect() as connection:
            found = [entry_from_row(r) for r in (await connection.execute(select(inbox))).mappings()]
    finally:
        await engine.dispose()

    by_title = {entry.title: entry for entry in found}
    assert set(by_title) == {"Delivered", "On its way", "Reached nobody"}
    delivered = by_title["Delivered"]
    assert delivered == InboxEntry(
        id=rows[0]["id"],
        user_id=USER,
        category=delivered.category,
        subject=rows[0]["subject"],
        template=None,
        language=delivered.language,
        title="Delivered",
        body="Delivered.",
        created_at=NOW,
        read_at=NOW,
    )
    assert (by_title["On its way"].read_at, by_title["Reached nobody"].read_at) == (None, None)


async def test_the_way_down_drops_the_inbox(empty_database_url: str) -> None:
    await upgrade(empty_database_url, INBOX)
    await downgrade(empty_database_url, BEFORE)
    engine = create_engine(empty_database_url)
    try:
        async with engine.connect() as connection:
            # On SQLite every schema is the one file.
            tables = await connection.run_sync(
                lambda sync: inspect(sync).get_table_names(
                    schema="notifications" if sync.dialect.name == "postgresql" else None
                )
            )
    finally:
        await engine.dispose()

    assert "inbox" not in tables
    assert "messages" in tables
