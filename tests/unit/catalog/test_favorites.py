"""Favorites: a user marks public events; events show how many users did."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from aquastream.domain.catalog.browsing import GetEvent
from aquastream.domain.catalog.errors import EventNotFound
from aquastream.domain.catalog.favorites import AddFavorite, ListFavorites, RemoveFavorite
from aquastream.domain.shared.errors import ValidationFailed
from aquastream.domain.shared.paging import PageRequest
from tests.unit.catalog.catalog_kit import CatalogKit, principal


async def test_favoriting_is_counted_once_per_user(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    event = (await kit.published("vuoksa")).event
    add = AddFavorite(kit.uow(), kit.clock)
    someone_else = principal()

    await add(kit.user, event.id)
    again = await add(kit.user, event.id)
    after_second_user = await add(someone_else, event.id)

    assert (again.favorites_count, again.is_favorite) == (1, True)
    assert after_second_user.favorites_count == 2
    anonymous_view = await GetEvent(kit.uow(), kit.clock)(event.id)
    assert (anonymous_view.favorites_count, anonymous_view.is_favorite) == (2, False)


async def test_removing_a_favorite_is_idempotent(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    event = (await kit.published("vuoksa")).event
    await AddFavorite(kit.uow(), kit.clock)(kit.user, event.id)
    remove = RemoveFavorite(kit.uow())

    await remove(kit.user, event.id)
    await remove(kit.user, event.id)

    view = await GetEvent(kit.uow(), kit.clock)(event.id, viewer=kit.user)
    assert (view.favorites_count, view.is_favorite) == (0, False)


async def test_drafts_and_unknown_events_cannot_be_favorited(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    draft = (await kit.draft("vuoksa")).event
    add = AddFavorite(kit.uow(), kit.clock)

    with pytest.raises(EventNotFound):
        await add(kit.owner, draft.id)
    with pytest.raises(EventNotFound):
        await add(kit.user, uuid.uuid4())


async def test_my_favorites_are_listed_newest_first_and_paged(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    events = [(await kit.published("vuoksa", title=f"Trip {n}")).event for n in range(3)]
    add = AddFavorite(kit.uow(), kit.clock)
    for event in events:
        await add(kit.user, event.id)
        kit.clock.advance(minutes=1)
    await add(principal(), events[0].id)
    listing = ListFavorites(kit.uow(), kit.clock)

    first = await listing(kit.user, PageRequest(size=2))
    second = await listing(kit.user, PageRequest(page=1, size=2))

    assert [v.event.title for v in first.items] == ["Trip 2", "Trip 1"]
    assert [v.event.title for v in second.items] == ["Trip 0"]
    assert (first.total, first.total_pages) == (3, 2)
    assert second.items[0].favorites_count == 2
    assert all(view.is_favorite for view in first.items)
    assert (await listing(kit.admin, PageRequest())).total == 0


async def test_my_favorites_sort_by_their_events_or_oldest_first(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    late_start, soon_start = kit.now + timedelta(days=20), kit.now + timedelta(days=2)
    late = (
        await kit.published("vuoksa", title="Late", date_start=late_start, date_end=late_start + timedelta(1))
    ).event
    soon = (
        await kit.published("vuoksa", title="Soon", date_start=soon_start, date_end=soon_start + timedelta(1))
    ).event
    add = AddFavorite(kit.uow(), kit.clock)
    for event in (late, soon):
        await add(kit.user, event.id)
        kit.clock.advance(minutes=1)
    listing = ListFavorites(kit.uow(), kit.clock)

    async def titles(sort: str) -> list[str]:
        return [view.event.title for view in (await listing(kit.user, PageRequest(), sort=sort)).items]

    assert await titles("dateStart") == ["Soon", "Late"]
    assert await titles("-dateStart") == ["Late", "Soon"]
    assert await titles("favoritedAt") == ["Late", "Soon"]
    with pytest.raises(ValidationFailed) as caught:
        await titles("title")
    assert caught.value.errors[0].message.startswith("expected one of favoritedAt, -favoritedAt, dateStart")
