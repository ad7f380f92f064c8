"""Calendars through the real app: an event's .ics and the private, rotatable, revocable feed."""

from __future__ import annotations

from urllib.parse import urlsplit

from icalendar import Calendar

from tests.api.catalog.kit import API, Cast, at, book_seat, create_event, published_event
from tests.api.conftest import Serve
from tests.api.identity.conftest import Client, assert_problem, register


def _parsed(body: bytes) -> Calendar:
    return Calendar.from_ical(body)


async def test_a_published_event_downloads_as_an_icalendar_attachment(api: Client, cast: Cast) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    response = await api.get(f"{API}/events/{event['id']}/calendar.ics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert response.headers["content-disposition"].startswith("attachment;")
    assert ".ics" in response.headers["content-disposition"]
    (vevent,) = _parsed(response.content).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Rafting on the Msta"
    assert str(vevent["UID"]) == f"{event['id']}@aquastream"
    assert vevent.decoded("DTSTART").isoformat() == "2030-01-31T12:00:00+00:00"
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert "Pier 3" in str(vevent["LOCATION"])


async def test_a_cancelled_event_downloads_marked_cancelled_and_drafts_only_for_managers(
    api: Client, cast: Cast
) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    await api.post(f"{API}/events/{event['id']}/cancel", headers=cast.anna.auth)
    (vevent,) = _parsed((await api.get(f"{API}/events/{event['id']}/calendar.ics")).content).walk("VEVENT")
    assert str(vevent["STATUS"]) == "CANCELLED"

    draft = await create_event(api, cast.anna, "river-rats")
    assert (
        await api.get(f"{API}/events/{draft['id']}/calendar.ics", headers=cast.anna.auth)
    ).status_code == 200


async def test_the_private_feed_lists_the_events_of_confirmed_bookings(api: Client, cast: Cast) -> None:
    free = await published_event(
        api, cast.anna, "river-rats", title="Free paddle", price=None, dateStart=at(5), dateEnd=at(6)
    )
    paid = await published_event(api, cast.anna, "river-rats", title="Paid paddle", price="100")
    await published_event(api, cast.boris, "forest-club", title="Not booked")
    await book_seat(api, free["id"], cast.vera)
    await book_seat(api, paid["id"], cast.vera)  # PENDING until paid: not in the feed yet

    response = await api.get(f"{API}/users/me/calendar-feed", headers=cast.vera.auth)
    assert response.status_code == 200, response.text
    link = response.json()
    assert link["url"].startswith("http://testserver.local/api/v1/calendar/")
    assert link["url"].endswith(".ics")
    assert link["createdAt"] == "2030-01-01T12:00:00Z"

    feed = await api.get(link["url"])
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    assert [str(e["SUMMARY"]) for e in _parsed(feed.content).walk("VEVENT")] == ["Free paddle"]

    same = (await api.get(f"{API}/users/me/calendar-feed", headers=cast.vera.auth)).json()
    assert same["url"] == link["url"]
    others = (await api.get(f"{API}/users/me/calendar-feed", headers=cast.boris.auth)).json()
    assert others["url"] != link["url"]
    assert list(_parsed((await api.get(others["url"])).content).walk("VEVENT")) == []


async def test_rotating_the_feed_kills_the_old_url(api: Client, cast: Cast) -> None:
    old = (await api.get(f"{API}/users/me/calendar-feed", headers=cast.vera.auth)).json()["url"]
    rotated = await api.get(
        f"{API}/users/me/calendar-feed", params={"rotate": "true"}, headers=cast.vera.auth
    )
    new = rotated.json()["url"]
    assert new != old
    assert_problem(await api.get(old), 404, "calendar.feed_not_found")
    assert (await api.get(new)).status_code == 200


async def test_revoking_the_feed_kills_the_url_and_the_next_request_issues_a_new_one(
    api: Client, cast: Cast
) -> None:
    old = (await api.get(f"{API}/users/me/calendar-feed", headers=cast.vera.auth)).json()["url"]
    assert (await api.delete(f"{API}/users/me/calendar-feed", headers=cast.vera.auth)).status_code == 204
    assert (await api.delete(f"{API}/users/me/calendar-feed", headers=cast.vera.auth)).status_code == 204
    assert_problem(await api.get(old), 404, "calendar.feed_not_found")
    fresh = (await api.get(f"{API}/users/me/calendar-feed", headers=cast.vera.auth)).json()["url"]
    assert fresh != old
    assert (await api.get(fresh)).status_code == 200


async def test_the_feed_urls_are_the_users_own(api: Client) -> None:
    assert_problem(await api.get(f"{API}/users/me/calendar-feed"), 401, "auth.unauthenticated")
    assert_problem(await api.delete(f"{API}/users/me/calendar-feed"), 401, "auth.unauthenticated")
    assert_problem(await api.get(f"{API}/calendar/made-up-token.ics"), 404, "calendar.feed_not_found")
    assert_problem(await api.get(f"{API}/calendar/.ics"), 404, "calendar.feed_not_found")


async def test_the_feed_is_rate_limited_like_any_route(serve: Serve) -> None:
    async with serve(rate_limit_default="3/minute") as client:
        vera = await register(client, "vera@example.com")
        url = (await client.get(f"{API}/users/me/calendar-feed", headers=vera.auth)).json()["url"]
        path = urlsplit(url).path
        answers = [await client.get(path) for _ in range(4)]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        assert answers[0].headers["x-ratelimit-limit"] == "3"
        assert_problem(answers[3], 429, "rate_limit.exceeded")
