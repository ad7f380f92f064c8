"""An event's .ics through the real app: with a token it names the caller's own tickets (every
seat of the bookings they hold) and is never cached; without one it is the public document,
the same for everyone, cached as any catalog read."""

from __future__ import annotations

from typing import Any

from icalendar import Calendar

from tests.api.booking.conftest import People
from tests.api.catalog.kit import API, Cast, published_event
from tests.api.identity.conftest import Account, Client
from tests.api.worker import drain_outbox

from .conftest import Trip

COMPANIONS = [{"name": "Ольга Петрова", "phone": "+7 999 000-11-22"}, {"name": "Пётр"}]


def _description(response: Any) -> str:
    assert response.status_code == 200, response.text
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    return str(event.get("DESCRIPTION"))


async def _short_codes(api: Client, account: Account, booking_id: str) -> list[str]:
    response = await api.get(f"{API}/bookings/{booking_id}/tickets", headers=account.auth)
    assert response.status_code == 200, response.text
    return [ticket["shortCode"] for ticket in response.json()["items"]]


async def test_a_signed_in_holder_s_download_names_every_seat_of_their_booking(
    api: Client, cast: Cast, people: People
) -> None:
    event = await published_event(api, cast.anna, "river-rats", price="0", capacity=10)
    response = await api.post(
        f"{API}/bookings", json={"eventId": event["id"], "companions": COMPANIONS}, headers=people.pavel.auth
    )
    assert response.status_code == 201, response.text
    booking_id = response.json()["id"]
    await drain_outbox(api)  # tickets hears of the confirmed booking
    codes = await _short_codes(api, people.pavel, booking_id)

    mine = await api.get(f"{API}/events/{event['id']}/calendar.ics", headers=people.pavel.auth)

    description = _description(mine)
    assert f"{codes[0]} (seat 0)" in description
    assert f"{codes[1]} (Ольга Петрова, seat 1)" in description
    assert f"{codes[2]} (Пётр, seat 2)" in description
    assert f"/api/v1/bookings/{booking_id}/tickets" in description
    assert "+7999" not in description  # companions' phones are not written into calendars
    assert mine.headers["cache-control"] == "private, no-store"
    assert "etag" not in mine.headers
    assert mine.headers["content-disposition"].startswith("attachment;")


async def test_anonymous_downloads_stay_public_and_never_carry_anyone_s_codes(
    api: Client, cast: Cast, people: People, trip: Trip
) -> None:
    url = f"{API}/events/{trip.event_id}/calendar.ics"
    booking_id = trip.bookings[people.pavel.email]["id"]
    (code,) = await _short_codes(api, people.pavel, booking_id)

    before = await api.get(url)
    signed_in = await api.get(url, headers=people.pavel.auth)
    after = await api.get(url)  # within the catalog cache's second
    revalidated = await api.get(url, headers={"If-None-Match": before.headers["etag"]})

    assert code in _description(signed_in)
    for anonymous in (before, after):
        assert "Tickets:" not in _description(anonymous)
        assert anonymous.headers["cache-control"] == "no-cache"
        assert anonymous.headers["etag"] == before.headers["etag"]
    assert after.content == before.content
    assert revalidated.status_code == 304


async def test_a_caller_sees_only_their_own_codes(
    api: Client, cast: Cast, people: People, trip: Trip
) -> None:
    url = f"{API}/events/{trip.event_id}/calendar.ics"
    (pavels,) = await _short_codes(api, people.pavel, trip.bookings[people.pavel.email]["id"])
    (ritas,) = await _short_codes(api, people.rita, trip.bookings[people.rita.email]["id"])

    rita = _description(await api.get(url, headers=people.rita.auth))
    organizer = await api.get(url, headers=cast.anna.auth)
    stranger = await api.get(url, headers=people.sasha.auth)

    assert ritas in rita
    assert pavels not in rita
    assert trip.bookings[people.pavel.email]["id"] not in rita
    assert organizer.content == stranger.content == (await api.get(url)).content
    assert organizer.headers["cache-control"] == stranger.headers["cache-control"] == "private, no-store"
