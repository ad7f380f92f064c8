"""Contract of the favorite and calendar-feed repositories."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from datetime import timedelta

from aquastream.domain.catalog.model import CalendarFeed, Favorite
from aquastream.domain.shared.paging import PageRequest

from .conftest import CatalogBackend
from .factories import NOW, an_event, an_organizer, store


async def test_favorite_is_added_once(catalog: CatalogBackend) -> None:
    organizer = an_organizer()
    event = an_event(organizer)
    await store(catalog.uow(), organizer, event)
    user = uuid.uuid4()

    async with catalog.uow() as uow:
        assert await uow.favorites.add(Favorite(user, event.id, NOW))
        assert not await uow.favorites.add(Favorite(user, event.id, NOW + timedelta(minutes=1)))
        await uow.commit()

    async with catalog.uow() as uow:
        page = await uow.favorites.list_for_user(user, PageRequest())
        assert page.items == [Favorite(user, event.id, NOW)]
        assert await uow.favorites.counts([event.id]) == {event.id: 1}


async def test_concurrent_favorites_of_one_user_make_one_row(catalog: CatalogBackend) -> None:
    organizer = an_organizer()
    event = an_event(organizer)
    await store(catalog.uow(), organizer, event)
    user = uuid.uuid4()

    async def favorite() -> bool:
        async with catalog.uow() as uow:
            added = await uow.favorites.add(Favorite(user, event.id, NOW))
            await uow.commit()
            return added

    outcomes = await asyncio.gather(*(favorite() for _ in range(8)))

    assert outcomes.count(True) == 1
    async with catalog.uow() as uow:
        assert await uow.favorites.counts([event.id]) == {event.id: 1}


async def test_favorites_are_counted_listed_and_removed(catalog: CatalogBackend) -> None:
    organizer = an_organizer()
    first, second, third = an_event(organizer), an_event(organizer), an_event(organizer)
    await store(catalog.uow(), organizer, first, second, third)
    me, other = uuid.uuid4(), uuid.uuid4()

    async with catalog.uow() as uow:
        for minutes, event in enumerate((first, second, third)):
            await uow.favorites.add(Favorite(me, event.id, NOW + timedelta(minutes=minutes)))
        await uow.favorites.add(Favorite(other, first.id, NOW))
        await uow.commit()

    async with catalog.uow() as uow:
        newest = await uow.favorites.list_for_user(me, PageRequest(size=2))
        oldest = await uow.favorites.list_for_user(me, PageRequest(page=1, size=2))
        assert [f.event_id for f in newest.items] == [third.id, second.id]
        assert [f.event_id for f in oldest.items] == [first.id]
        assert newest.total == 3
        assert await uow.favorites.counts([first.id, second.id, uuid.uuid4()]) == {first.id: 2, second.id: 1}
        assert await uow.favorites.counts([]) == {}
        assert await uow.favorites.favorited_by(other, [first.id, second.id]) == {first.id}
        assert await uow.favorites.favorited_by(other, []) == set()
        assert await uow.favorites.remove(me, first.id)
        assert not await uow.favorites.remove(me, first.id)
        await uow.commit()

    async with catalog.uow() as uow:
        assert await uow.favorites.counts([first.id]) == {first.id: 1}
        assert (await uow.favorites.list_for_user(me, PageRequest())).total == 2


async def test_calendar_feed_is_stored_replaced_and_found_while_live(catalog: CatalogBackend) -> None:
    user = uuid.uuid4()
    feed = CalendarFeed(user_id=user, nonce="n1", token_hash="h1", created_at=NOW)

    async with catalog.uow() as uow:
        assert await uow.feeds.get(user) is None
        await uow.feeds.put(feed)
        await uow.commit()

    async with catalog.uow() as uow:
        assert await uow.feeds.get(user) == feed
        assert await uow.feeds.find_live("h1") == feed
        rotated = CalendarFeed(user_id=user, nonce="n2", token_hash="h2", created_at=NOW + timedelta(days=1))
        await uow.feeds.put(rotated)
        await uow.commit()

    async with catalog.uow() as uow:
        assert await uow.feeds.find_live("h1") is None
        assert await uow.feeds.find_live("h2") == rotated
        await uow.feeds.put(dataclasses.replace(rotated, revoked_at=NOW + timedelta(days=2)))
        await uow.commit()

    async with catalog.uow() as uow:
        assert await uow.feeds.find_live("h2") is None
        stored = await uow.feeds.get(user)
        assert stored is not None
        assert stored.revoked_at == NOW + timedelta(days=2)
