"""Caching headers through the real app: nothing personal is stored by a cache; public catalog
reads carry an ETag and answer 304 to a client that has that version."""

from __future__ import annotations

from tests.api.catalog.kit import API, Cast, published_event
from tests.api.identity.conftest import PASSWORD, Client


async def test_tokens_personal_data_and_changes_are_never_stored(api: Client, cast: Cast) -> None:
    login = await api.post(f"{API}/auth/login", json={"email": "vera@example.com", "password": PASSWORD})
    me = await api.get(f"{API}/users/me", headers=cast.vera.auth)
    feed_link = await api.get(f"{API}/users/me/calendar-feed", headers=cast.vera.auth)
    feed = await api.get(API + feed_link.json()["url"].split("/api/v1", 1)[1])
    event = await published_event(api, cast.anna, "river-rats")
    read_by_a_user = await api.get(f"{API}/events/{event['id']}", headers=cast.vera.auth)

    for response in (login, me, feed_link, feed, read_by_a_user):
        assert response.status_code == 200, response.text
        assert "no-store" in response.headers["cache-control"]
        assert "etag" not in response.headers


async def test_a_public_read_is_tagged_and_answers_304_until_it_changes(api: Client, cast: Cast) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    url = f"{API}/events/{event['id']}"

    first = await api.get(url)
    again = await api.get(url, headers={"If-None-Match": first.headers["etag"]})
    edited = await api.put(url, json={"description": "Two days, and a sauna."}, headers=cast.anna.auth)
    assert edited.status_code == 200, edited.text
    changed = await api.get(url, headers={"If-None-Match": first.headers["etag"]})

    assert first.status_code == 200
    assert first.headers["etag"].startswith('W/"')
    assert first.headers["cache-control"] == "no-cache"
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == first.headers["etag"]
    assert changed.status_code == 200
    assert changed.json()["description"] == "Two days, and a sauna."
    assert changed.headers["etag"] != first.headers["etag"]


async def test_the_catalog_list_is_tagged_and_an_error_is_not(api: Client, cast: Cast) -> None:
    await published_event(api, cast.anna, "river-rats")

    listing = await api.get(f"{API}/events")
    any_version = await api.get(f"{API}/events", headers={"If-None-Match": "*"})
    missing = await api.get(f"{API}/events/00000000-0000-0000-0000-000000000000")

    assert listing.status_code == 200
    assert "etag" in listing.headers
    assert any_version.status_code == 304
    assert missing.status_code == 404
    assert "etag" not in missing.headers
