"""GET /events through the real app on SQLite: every filter, text search, order and paging."""

from __future__ import annotations

from typing import Any

import pytest

from aquastream.adapters.memory.clock import FrozenClock
from tests.api.catalog.kit import API, Cast, at, book_seat, create_event, published_event
from tests.api.identity.conftest import Client, assert_problem


@pytest.fixture
async def catalog(api: Client, cast: Cast) -> dict[str, str]:
    """Four published events (and a draft and a cancelled one that never show), by start."""
    ids = {}
    ids["msta"] = (
        await published_event(
            api,
            cast.anna,
            "river-rats",
            title="Msta rafting",
            dateStart=at(10),
            dateEnd=at(11),
            price="1500",
            tags=["river", "beginners"],
            capacity=1,
        )
    )["id"]
    ids["karelia"] = (
        await published_event(
            api,
            cast.anna,
            "river-rats",
            type="KAYAK",
            title="Karelia sea kayak",
            dateStart=at(20),
            dateEnd=at(25),
            price=None,
            tags=["sea"],
            location={"address": "Harbour", "city": "Petrozavodsk"},
            description="Islands, seals and white nights.",
        )
    )["id"]
    ids["hike"] = (
        await published_event(
            api,
            cast.boris,
            "forest-club",
            type="HIKE",
            title="Valdai hike",
            dateStart=at(30),
            dateEnd=at(32),
            price="4000.00",
            tags=["forest", "Beginners"],
            location={"address": "Station", "city": "  VELIKY   novgorod"},
        )
    )["id"]
    ids["camp"] = (
        await published_event(
            api,
            cast.boris,
            "forest-club",
            type="CAMP",
            title="Summer camp",
            dateStart=at(40),
            dateEnd=at(50),
            price="25000",
            tags=["kids"],
            location={"address": "Lake shore", "city": "Valdai"},
        )
    )["id"]
    await create_event(api, cast.anna, "river-rats", title="Secret draft", dateStart=at(5), dateEnd=at(6))
    cancelled = await published_event(api, cast.anna, "river-rats", title="Cancelled trip")
    await api.post(f"{API}/events/{cancelled['id']}/cancel", headers=cast.anna.auth)
    return ids


async def _titles(api: Client, **params: Any) -> list[str]:
    response = await api.get(f"{API}/events", params=params)
    assert response.status_code == 200, response.text
    return [event["title"] for event in response.json()["items"]]


async def test_the_catalog_lists_published_events_by_start(api: Client, catalog: dict[str, str]) -> None:
    assert await _titles(api) == ["Msta rafting", "Karelia sea kayak", "Valdai hike", "Summer camp"]


async def test_filters_narrow_the_catalog(api: Client, cast: Cast, catalog: dict[str, str]) -> None:
    assert await _titles(api, organizer="forest-club") == ["Valdai hike", "Summer camp"]
    assert await _titles(api, organizer="nobody-here") == []
    assert await _titles(api, type=["hike", "CAMP"]) == ["Valdai hike", "Summer camp"]
    assert await _titles(api, tags="sea,kids") == ["Karelia sea kayak", "Summer camp"]
    assert await _titles(api, tags=["BEGINNERS", "kids"]) == ["Msta rafting", "Valdai hike", "Summer camp"]
    assert await _titles(api, priceMin="1500", priceMax="4000") == ["Msta rafting", "Valdai hike"]
    assert await _titles(api, priceMax="0") == ["Karelia sea kayak"]
    assert await _titles(api, dateFrom=at(20), dateTo=at(30)) == ["Karelia sea kayak", "Valdai hike"]
    assert await _titles(api, city="veliky NOVGOROD") == ["Msta rafting", "Valdai hike"]
    assert await _titles(api, organizer="river-rats", city="Veliky Novgorod") == ["Msta rafting"]

    await book_seat(api, catalog["msta"], cast.vera)
    assert await _titles(api, hasFreeSeats="true") == ["Karelia sea kayak", "Valdai hike", "Summer camp"]


async def test_text_search_matches_every_word_of_title_description_and_tags(
    api: Client, catalog: dict[str, str]
) -> None:
    assert await _titles(api, q="kayak") == ["Karelia sea kayak"]
    assert await _titles(api, q="seals islands") == ["Karelia sea kayak"]
    assert await _titles(api, q="beginners") == ["Msta rafting", "Valdai hike"]
    assert await _titles(api, q="beginners forest") == ["Valdai hike"]
    assert await _titles(api, q="secret") == []


async def test_text_search_finds_word_forms_and_beginnings_best_matches_first(
    api: Client, cast: Cast, catalog: dict[str, str]
) -> None:
    await published_event(
        api,
        cast.anna,
        "river-rats",
        title="Водопады Рускеалы",
        dateStart=at(60),
        dateEnd=at(61),
        description="Ночёвка возле водопадов, каякинг по шхерам",
        tags=["карелия"],
    )
    await published_event(
        api,
        cast.boris,
        "forest-club",
        title="Lake day",
        dateStart=at(15),
        dateEnd=at(16),
        description="Kayaking on the lake",
    )
    assert await _titles(api, q="водопад") == ["Водопады Рускеалы"]
    assert await _titles(api, q="Руске ШХЕРЫ") == ["Водопады Рускеалы"]
    assert await _titles(api, q="ночевка") == ["Водопады Рускеалы"]
    assert await _titles(api, q="seal island") == ["Karelia sea kayak"]
    # The title's kayak before the description's, though "Lake day" starts first.
    assert await _titles(api, q="kayaks") == ["Karelia sea kayak", "Lake day"]


@pytest.mark.parametrize("text", ["a & | !", "'", '"kayak', "kayak:*", "!(", "\\", "<->", "и", "&&&"])
async def test_query_syntax_in_the_search_text_is_no_error(
    api: Client, catalog: dict[str, str], text: str
) -> None:
    titles = await _titles(api, q=text)
    assert titles == (["Karelia sea kayak"] if "kayak" in text else [])


async def test_past_events_show_only_when_asked(
    api: Client, clock: FrozenClock, catalog: dict[str, str]
) -> None:
    clock.advance(days=15)
    assert await _titles(api) == ["Karelia sea kayak", "Valdai hike", "Summer camp"]
    assert await _titles(api, includePast="true") == [
        "Msta rafting",
        "Karelia sea kayak",
        "Valdai hike",
        "Summer camp",
    ]


async def test_paging_of_the_catalog(api: Client, catalog: dict[str, str]) -> None:
    page = (await api.get(f"{API}/events", params={"page": 1, "size": 3})).json()
    assert [e["title"] for e in page["items"]] == ["Summer camp"]
    assert (page["total"], page["page"], page["size"], page["totalPages"]) == (4, 1, 3, 2)
    beyond = (await api.get(f"{API}/events", params={"page": 9})).json()
    assert (beyond["items"], beyond["total"]) == ([], 4)


@pytest.mark.parametrize(
    "params",
    [
        {"page": -1},
        {"size": 0},
        {"size": 101},
        {"page": "first"},
        {"type": "yachting"},
        {"tags": "!!!"},
        {"priceMin": "-1"},
        {"priceMin": "cheap"},
        {"priceMin": "100", "priceMax": "10"},
        {"dateFrom": "tomorrow"},
        {"dateFrom": "2030-03-01T00:00:00"},
        {"dateFrom": at(30), "dateTo": at(20)},
        {"hasFreeSeats": "maybe"},
        {"includePast": "maybe"},
        {"sort": "title"},
        {"q": "x" * 201},
    ],
)
async def test_bad_filters_and_paging_are_400(api: Client, params: dict[str, Any]) -> None:
    assert_problem(await api.get(f"{API}/events", params=params), 400, "validation.failed")


async def test_an_absurd_price_bound_matches_nothing_rather_than_failing(
    api: Client, catalog: dict[str, str]
) -> None:
    assert await _titles(api, priceMin="1e30") == []
    assert len(await _titles(api, priceMax="1e30")) == 4


async def test_an_organizers_events_include_past_and_completed_ones_for_the_public(
    api: Client, cast: Cast, clock: FrozenClock, catalog: dict[str, str]
) -> None:
    clock.advance(days=15)
    listed = (await api.get(f"{API}/organizers/river-rats/events")).json()
    assert [e["title"] for e in listed["items"]] == ["Msta rafting", "Karelia sea kayak"]
    assert listed["items"][0]["isPast"] is True
