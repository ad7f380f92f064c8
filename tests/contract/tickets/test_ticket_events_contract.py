"""What the catalog serves tickets (``CatalogTicketEvents``), on SQLite and PostgreSQL: an
event's organizer and end, whether the caller manages it, an organizer's id by slug or id."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert

from aquastream.adapters.sql.catalog.served import CatalogTicketEvents
from aquastream.adapters.sql.tables.catalog import events, organizers
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.principal import Principal, Role

from .kit import NOW, TicketsKit


async def test_the_catalog_tells_tickets_about_events_and_organizers(sql_kit: TicketsKit) -> None:
    assert sql_kit.engine is not None
    organizer_id, event_id, owner = new_id(), new_id(), sql_kit.owner
    slug = f"org-{organizer_id.hex[:12]}"
    async with sql_kit.engine.begin() as connection:
        await connection.execute(
            insert(organizers).values(
                id=organizer_id,
                slug=slug,
                name="River Rats",
                owner_user_id=owner.user_id,
                search_text="river rats",
                created_at=NOW,
                updated_at=NOW,
            )
        )
        await connection.execute(
            insert(events).values(
                id=event_id,
                organizer_id=organizer_id,
                type="RAFTING",
                title="Msta",
                date_start=NOW + timedelta(days=30),
                date_end=NOW + timedelta(days=31),
                capacity=10,
                status="PUBLISHED",
                tags=[],
                search_text="msta",
                created_at=NOW,
                updated_at=NOW,
            )
        )
    served = CatalogTicketEvents(sql_kit.engine)

    event = await served.event(event_id, owner)
    assert event is not None
    assert (event.organizer_id, event.title, event.ends_at, event.caller_manages) == (
        organizer_id,
        "Msta",
        NOW + timedelta(days=31),
        True,
    )
    demoted = Principal(owner.user_id, Role.USER)
    for caller, manages in ((None, False), (demoted, False), (Principal(new_id(), Role.ADMIN), True)):
        found = await served.event(event_id, caller)
        assert found is not None
        assert found.caller_manages is manages
    assert await served.event(new_id(), owner) is None
    assert await served.organizer_id(slug) == organizer_id
    assert await served.organizer_id(str(organizer_id)) == organizer_id
    assert await served.organizer_id("nobody") is None
    assert await served.organizer_id(str(new_id())) is None
