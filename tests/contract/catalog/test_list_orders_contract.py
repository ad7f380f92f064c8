"""Contract of the catalog lists' orders (``sort``): the same order on every adapter, ties by id in
the direction of the sort, and pages that cut that one order without overlap or gap."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from aquastream.domain.catalog.model import Event, EventSearch, EventStatus, Favorite
from aquastream.domain.catalog.ordering import (
    EVENTS_BY_START,
    NEWEST_FAVORITES,
    EventSortKey,
    FavoriteSortKey,
    OrganizerSortKey,
)
from aquastream.domain.shared.paging import PageRequest
from aquastream.domain.shared.sorting import Sort

from .conftest import CatalogBackend
from .factories import NOW, an_event, an_organizer, store

PUBLISHED = frozenset({EventStatus.PUBLISHED})


async def _events(catalog: CatalogBackend) -> dict[str, Event]:
    """Five events: two share a start, two share a price, one is free (no price: 0)."""
    organizer = an_organizer()
    events = {
        "soon_cheap": an_event(organizer, starts_in=timedelta(days=1), price=Decimal("100.00")),
        "soon_free": an_event(organizer, starts_in=timedelta(days=1), price=None),
        "mid_dear": an_event(organizer, starts_in=timedelta(days=5), price=Decimal("9000.00")),
        "late_cheap": an_event(organizer, starts_in=timedelta(days=9), price=Decimal("100.00")),
        "late_mid": an_event(organizer, starts_in=timedelta(days=12), price=Decimal("2500.50")),
    }
    await store(catalog.uow(), organizer, *events.values())
    return events


def _in_order(events: dict[str, Event], names: list[str]) -> list[uuid.UUID]:
    return [events[name].id for name in names]


async def _searched(catalog: CatalogBackend, sort: Sort[EventSortKey], size: int = 100) -> list[uuid.UUID]:
    """Every page of the search, one after another."""
    found: list[uuid.UUID] = []
    async with catalog.uow() as uow:
        for page in range(5):
            result = await uow.events.search(EventSearch(PUBLISHED, sort=sort), PageRequest(page, size))
            found += [event.id for event in result.items]
    return found


def _by_id(events: dict[str, Event], *names: str, descending: bool = False) -> list[str]:
    return sorted(names, key=lambda name: events[name].id, reverse=descending)


async def test_events_come_by_start_by_default_ties_by_id(catalog: CatalogBackend) -> None:
    events = await _events(catalog)

    found = await _searched(catalog, EVENTS_BY_START)

    soon = _by_id(events, "soon_cheap", "soon_free")
    assert found == _in_order(events, [*soon, "mid_dear", "late_cheap", "late_mid"])


async def test_events_by_start_descending_tie_by_id_descending(catalog: CatalogBackend) -> None:
    events = await _events(catalog)

    found = await _searched(catalog, Sort(EventSortKey.DATE_START, descending=True))

    soon = _by_id(events, "soon_cheap", "soon_free", descending=True)
    assert found == _in_order(events, ["late_mid", "late_cheap", "mid_dear", *soon])


async def test_events_by_price_count_a_free_event_as_zero(catalog: CatalogBackend) -> None:
    events = await _events(catalog)

    ascending = await _searched(catalog, Sort(EventSortKey.PRICE))
    descending = await _searched(catalog, Sort(EventSortKey.PRICE, descending=True))

    cheap = _by_id(events, "soon_cheap", "late_cheap")
    assert ascending == _in_order(events, ["soon_free", *cheap, "late_mid", "mid_dear"])
    assert descending == list(reversed(ascending))


async def test_pages_of_a_sorted_search_cut_one_order(catalog: CatalogBackend) -> None:
    await _events(catalog)
    price = Sort(EventSortKey.PRICE, descending=True)

    assert await _searched(catalog, price, size=2) == await _searched(catalog, price)


async def test_favorites_come_in_the_order_asked_for(catalog: CatalogBackend) -> None:
    events = await _events(catalog)
    user = uuid.uuid4()
    favorited = ["late_mid", "soon_free", "mid_dear", "soon_cheap"]
    async with catalog.uow() as uow:
        for minute, name in enumerate(favorited):
            await uow.favorites.add(Favorite(user, events[name].id, NOW + timedelta(minutes=minute)))
        await uow.commit()

    async def listed(sort: Sort[FavoriteSortKey], size: int = 10) -> list[uuid.UUID]:
        async with catalog.uow() as uow:
            pages = [await uow.favorites.list_for_user(user, PageRequest(p, size), sort) for p in range(4)]
        return [favorite.event_id for page in pages for favorite in page.items]

    soon = _by_id(events, "soon_cheap", "soon_free")
    assert await listed(NEWEST_FAVORITES) == _in_order(events, list(reversed(favorited)))
    assert await listed(Sort(FavoriteSortKey.FAVORITED_AT)) == _in_order(events, favorited)
    assert await listed(Sort(FavoriteSortKey.DATE_START)) == _in_order(
        events, [*soon, "mid_dear", "late_mid"]
    )
    assert await listed(Sort(FavoriteSortKey.PRICE, descending=True), size=1) == _in_order(
        events, ["mid_dear", "late_mid", "soon_cheap", "soon_free"]
    )


async def test_organizers_come_by_slug_or_by_when_opened(catalog: CatalogBackend) -> None:
    first = an_organizer("zander-tours", created_at=NOW)
    second = an_organizer("alder-trips", created_at=NOW + timedelta(days=1))
    third = an_organizer("maple-camp", created_at=NOW + timedelta(days=1))
    await store(catalog.uow(), first, second, third)

    async def listed(sort: Sort[OrganizerSortKey]) -> list[str]:
        async with catalog.uow() as uow:
            page = await uow.organizers.search(PageRequest(), sort=sort)
        return [organizer.slug for organizer in page.items]

    opened_later = [o.slug for o in sorted([second, third], key=lambda o: o.id)]
    assert await listed(Sort(OrganizerSortKey.SLUG)) == ["alder-trips", "maple-camp", "zander-tours"]
    assert await listed(Sort(OrganizerSortKey.SLUG, descending=True)) == [
        "zander-tours",
        "maple-camp",
        "alder-trips",
    ]
    assert await listed(Sort(OrganizerSortKey.CREATED_AT)) == ["zander-tours", *opened_later]
    assert await listed(Sort(OrganizerSortKey.CREATED_AT, descending=True)) == [
        *reversed(opened_later),
        "zander-tours",
    ]
