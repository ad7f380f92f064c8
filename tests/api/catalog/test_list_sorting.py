"""``sort`` on the catalog's lists through the real app: the catalog, an organizer's events,
favorites and organizers; an unknown field is a 400 naming the allowed ones."""

from __future__ import annotations

from typing import Any

import pytest

from aquastream.adapters.memory.clock import FrozenClock
from tests.api.catalog.kit import API, Cast, at, open_page, published_event
from tests.api.identity.conftest import Client, assert_problem


@pytest.fixture
async def trips(api: Client, cast: Cast) -> dict[str, str]:
    """Three published events of river-rats and one of forest-club, prices apart from starts."""
    specs = [
        ("river-rats", cast.anna, "Msta rafting", 10, "1500"),
        ("river-rats", cast.anna, "Free paddle", 20, None),
        ("river-rats", cast.anna, "Ladoga expedition", 30, "30000"),
        ("forest-club", cast.boris, "Valdai hike", 15, "4000.00"),
    ]
    ids = {}
    for slug, owner, title, day, price in specs:
        event = await published_event(
            api, owner, slug, title=title, dateStart=at(day), dateEnd=at(day + 1), price=price
        )
        ids[title] = event["id"]
    return ids


async def _titles(api: Client, url: str, headers: dict[str, str] | None = None, **params: Any) -> list[str]:
    response = await api.get(url, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [item["title"] for item in response.json()["items"]]


async def test_the_catalog_sorts_by_start_or_price_either_way(api: Client, trips: dict[str, str]) -> None:
    url = f"{API}/events"

    assert await _titles(api, url) == ["Msta rafting", "Valdai hike", "Free paddle", "Ladoga expedition"]
    assert await _titles(api, url, sort="dateStart") == await _titles(api, url)
    assert await _titles(api, url, sort="-dateStart") == [
        "Ladoga expedition",
        "Free paddle",
        "Valdai hike",
        "Msta rafting",
    ]
    assert await _titles(api, url, sort="price") == [
        "Free paddle",
        "Msta rafting",
        "Valdai hike",
        "Ladoga expedition",
    ]
    assert await _titles(api, url, sort="-price", size=2, page=1) == ["Msta rafting", "Free paddle"]


async def test_an_organizers_events_sort_like_the_catalog(api: Client, trips: dict[str, str]) -> None:
    url = f"{API}/organizers/river-rats/events"

    assert await _titles(api, url, sort="-price") == ["Ladoga expedition", "Msta rafting", "Free paddle"]
    assert await _titles(api, url, sort="-dateStart") == ["Ladoga expedition", "Free paddle", "Msta rafting"]


async def test_favorites_sort_by_when_favorited_or_by_their_events(
    api: Client, cast: Cast, clock: FrozenClock, trips: dict[str, str]
) -> None:
    for title in ("Valdai hike", "Ladoga expedition", "Msta rafting"):
        marked = await api.post(f"{API}/events/{trips[title]}/favorite", headers=cast.vera.auth)
        assert marked.status_code == 200, marked.text
        clock.advance(minutes=1)
    url, auth = f"{API}/users/me/favorites", cast.vera.auth

    assert await _titles(api, url, headers=auth) == ["Msta rafting", "Ladoga expedition", "Valdai hike"]
    assert await _titles(api, url, headers=auth, sort="favoritedAt") == [
        "Valdai hike",
        "Ladoga expedition",
        "Msta rafting",
    ]
    assert await _titles(api, url, headers=auth, sort="dateStart") == [
        "Msta rafting",
        "Valdai hike",
        "Ladoga expedition",
    ]
    assert await _titles(api, url, headers=auth, sort="-price") == [
        "Ladoga expedition",
        "Valdai hike",
        "Msta rafting",
    ]


async def test_organizers_sort_by_slug_or_when_opened(api: Client, cast: Cast, clock: FrozenClock) -> None:
    clock.advance(minutes=1)
    await open_page(api, cast.anna, "alpha-kayak", "Alpha Kayak")

    async def slugs(**params: str) -> list[str]:
        response = await api.get(f"{API}/organizers", params=params)
        assert response.status_code == 200, response.text
        return [organizer["slug"] for organizer in response.json()["items"]]

    assert await slugs() == ["alpha-kayak", "forest-club", "river-rats"]
    assert await slugs(sort="-slug") == ["river-rats", "forest-club", "alpha-kayak"]
    assert (await slugs(sort="-createdAt"))[0] == "alpha-kayak"
    assert (await slugs(sort="createdAt"))[-1] == "alpha-kayak"


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("/events", "dateStart, -dateStart, price, -price"),
        ("/organizers/river-rats/events", "dateStart, -dateStart, price, -price"),
        ("/users/me/favorites", "favoritedAt, -favoritedAt, dateStart, -dateStart, price, -price"),
        ("/organizers", "slug, -slug, createdAt, -createdAt"),
    ],
)
@pytest.mark.parametrize("sort", ["title", "", "+price", "-"])
async def test_an_unknown_sort_field_is_400_naming_the_allowed_ones(
    api: Client, cast: Cast, url: str, allowed: str, sort: str
) -> None:
    response = await api.get(f"{API}{url}", params={"sort": sort}, headers=cast.vera.auth)

    body = assert_problem(response, 400, "validation.failed")
    assert body["errors"] == [{"field": "sort", "message": f"expected one of {allowed}; got {sort}"}]


async def test_the_openapi_document_lists_the_sort_fields(api: Client) -> None:
    document = (await api.get(f"{API}/openapi.json")).json()

    def sort_enum(path: str) -> list[str]:
        (parameter,) = [p for p in document["paths"][path]["get"]["parameters"] if p["name"] == "sort"]
        enum: list[str] = parameter["schema"]["enum"]
        return enum

    assert sort_enum(f"{API}/events") == ["dateStart", "-dateStart", "price", "-price"]
    assert sort_enum(f"{API}/organizers/{{slug}}/events") == sort_enum(f"{API}/events")
    assert sort_enum(f"{API}/users/me/favorites")[:2] == ["favoritedAt", "-favoritedAt"]
    assert sort_enum(f"{API}/organizers") == ["slug", "-slug", "createdAt", "-createdAt"]
