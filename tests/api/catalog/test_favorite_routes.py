"""Favorites through the real app: marking, counting, listing and unmarking."""

from __future__ import annotations

from tests.api.catalog.kit import API, Cast, at, create_event, published_event
from tests.api.identity.conftest import Client, assert_problem, register


async def test_favoriting_is_idempotent_and_counted(api: Client, cast: Cast) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    url = f"{API}/events/{event['id']}/favorite"
    first = await api.post(url, headers=cast.vera.auth)
    assert first.status_code == 200, first.text
    assert (first.json()["favoritesCount"], first.json()["isFavorite"]) == (1, True)
    again = await api.post(url, headers=cast.vera.auth)
    assert (again.json()["favoritesCount"], again.json()["isFavorite"]) == (1, True)
    by_boris = await api.post(url, headers=cast.boris.auth)
    assert by_boris.json()["favoritesCount"] == 2

    public = (await api.get(f"{API}/events/{event['id']}")).json()
    assert (public["favoritesCount"], public["isFavorite"]) == (2, False)
    mine = (await api.get(f"{API}/events/{event['id']}", headers=cast.vera.auth)).json()
    assert mine["isFavorite"] is True
    listed = (await api.get(f"{API}/events", headers=cast.vera.auth)).json()["items"]
    assert (listed[0]["favoritesCount"], listed[0]["isFavorite"]) == (2, True)


async def test_unfavoriting_is_204_and_idempotent(api: Client, cast: Cast) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    url = f"{API}/events/{event['id']}/favorite"
    await api.post(url, headers=cast.vera.auth)
    assert (await api.delete(url, headers=cast.vera.auth)).status_code == 204
    assert (await api.delete(url, headers=cast.vera.auth)).status_code == 204
    shown = (await api.get(f"{API}/events/{event['id']}", headers=cast.vera.auth)).json()
    assert (shown["favoritesCount"], shown["isFavorite"]) == (0, False)


async def test_my_favorites_are_listed_most_recent_first_with_paging(api: Client, cast: Cast) -> None:
    first = await published_event(
        api, cast.anna, "river-rats", title="First trip", dateStart=at(10), dateEnd=at(11)
    )
    second = await published_event(
        api, cast.anna, "river-rats", title="Second trip", dateStart=at(20), dateEnd=at(21)
    )
    await api.post(f"{API}/events/{first['id']}/favorite", headers=cast.vera.auth)
    await api.post(f"{API}/events/{second['id']}/favorite", headers=cast.vera.auth)
    page = (await api.get(f"{API}/users/me/favorites", headers=cast.vera.auth)).json()
    assert page["total"] == 2
    assert {e["title"] for e in page["items"]} == {"First trip", "Second trip"}
    assert all(e["isFavorite"] for e in page["items"])
    one = (
        await api.get(f"{API}/users/me/favorites", params={"size": 1, "page": 1}, headers=cast.vera.auth)
    ).json()
    assert (len(one["items"]), one["totalPages"]) == (1, 2)
    other = await register(api, "other@example.com")
    assert (await api.get(f"{API}/users/me/favorites", headers=other.auth)).json()["total"] == 0
    for params in ({"size": 0}, {"page": -1}):
        response = await api.get(f"{API}/users/me/favorites", params=params, headers=cast.vera.auth)
        assert_problem(response, 400, "validation.failed")


async def test_favorites_need_an_account_and_a_public_event(api: Client, cast: Cast) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    draft = await create_event(api, cast.anna, "river-rats")
    assert_problem(await api.post(f"{API}/events/{event['id']}/favorite"), 401, "auth.unauthenticated")
    assert_problem(await api.delete(f"{API}/events/{event['id']}/favorite"), 401, "auth.unauthenticated")
    assert_problem(await api.get(f"{API}/users/me/favorites"), 401, "auth.unauthenticated")
    assert_problem(
        await api.post(f"{API}/events/{draft['id']}/favorite", headers=cast.vera.auth), 404, "event.not_found"
    )
    assert_problem(
        await api.post(f"{API}/events/{draft['id']}/favorite", headers=cast.anna.auth), 404, "event.not_found"
    )
