"""The catalog's part of a user's data export, and what a deleted account leaves behind."""

from __future__ import annotations

from aquastream.domain.catalog.calendar import GetCalendarFeed
from aquastream.domain.catalog.favorites import AddFavorite
from aquastream.domain.catalog.privacy import ExportMyCatalogData, ForgetCatalogUser
from aquastream.domain.shared.paging import PageRequest
from tests.unit.catalog.catalog_kit import CatalogKit, principal


async def test_export_holds_favorites_the_feed_and_owned_organizer_pages(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    await kit.organizer("katun", owner=kit.other_organizer)
    event = (await kit.published("vuoksa")).event
    await AddFavorite(kit.uow(), kit.clock)(kit.owner, event.id)
    await AddFavorite(kit.uow(), kit.clock)(kit.user, event.id)
    link = await GetCalendarFeed(kit.uow(), kit.signer, kit.clock)(kit.owner)

    section = await ExportMyCatalogData(kit.uow())(kit.owner.user_id)

    assert section["favorites"] == [
        {"eventId": str(event.id), "createdAt": section["favorites"][0]["createdAt"]}
    ]
    assert section["favorites"][0]["createdAt"].endswith("Z")
    assert section["calendarFeed"] == {"createdAt": section["calendarFeed"]["createdAt"], "revokedAt": None}
    assert link.token not in str(section)
    assert [o["slug"] for o in section["organizers"]] == ["vuoksa"]
    assert section["organizers"][0]["contacts"] == {
        "email": None,
        "phone": None,
        "telegram": None,
        "website": None,
    }


async def test_a_user_with_nothing_in_the_catalog_exports_empty_parts(kit: CatalogKit) -> None:
    section = await ExportMyCatalogData(kit.uow())(principal().user_id)

    assert section == {"favorites": [], "calendarFeed": None, "organizers": [], "teamMemberships": []}


async def test_forgetting_a_user_drops_favorites_and_revokes_the_feed_idempotently(kit: CatalogKit) -> None:
    organizer = await kit.organizer("vuoksa")
    events = [(await kit.published("vuoksa", title=f"Trip {n}")).event for n in range(3)]
    for event in events:
        await AddFavorite(kit.uow(), kit.clock)(kit.user, event.id)
    await AddFavorite(kit.uow(), kit.clock)(kit.owner, events[0].id)
    await GetCalendarFeed(kit.uow(), kit.signer, kit.clock)(kit.user)
    forget = ForgetCatalogUser(kit.uow(), kit.clock)

    await forget(kit.user.user_id)
    await forget(kit.user.user_id)

    gone = await ExportMyCatalogData(kit.uow())(kit.user.user_id)
    assert gone["favorites"] == []
    assert gone["calendarFeed"]["revokedAt"] == kit.clock.now().isoformat().replace("+00:00", "Z")
    async with kit.uow() as uow:
        assert (await uow.favorites.counts([events[0].id]))[events[0].id] == 1
        kept = await uow.organizers.search(PageRequest(), owner_user_id=kit.owner.user_id)
    assert [o.id for o in kept.items] == [organizer.id]
