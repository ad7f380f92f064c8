"""Bad input to the catalog answers 400 with problem+json and changes nothing, never 500."""

from __future__ import annotations

import pytest
from icalendar import Calendar

from tests.api.catalog.kit import API, Cast, create_event, event_body, published_event
from tests.api.identity.conftest import Client, assert_problem


@pytest.mark.parametrize(
    ("title", "field"),
    [
        ("Rafting\r\nDTSTART:20300101T000000Z", "title"),
        ("Rafting\ton the Msta", "title"),
        ("Rafting\u2028on the Msta", "title"),
        ("Rafting\x7fon the Msta", "title"),
    ],
)
async def test_a_single_line_field_refuses_control_characters(
    api: Client, cast: Cast, title: str, field: str
) -> None:
    before = (await api.get(f"{API}/organizers/river-rats/events", headers=cast.anna.auth)).json()

    response = await api.post(
        f"{API}/events", json=event_body("river-rats", title=title), headers=cast.anna.auth
    )

    body = assert_problem(response, 400, "validation.failed")
    assert {"field": field, "message": "must be one line without control characters"} in body["errors"]
    after = (await api.get(f"{API}/organizers/river-rats/events", headers=cast.anna.auth)).json()
    assert after == before


async def test_a_title_with_a_line_break_is_refused_and_the_calendar_stays_valid(
    api: Client, cast: Cast
) -> None:
    draft = await create_event(api, cast.anna, "river-rats")

    refused = await api.put(
        f"{API}/events/{draft['id']}", json={"title": "Rafting\r\nEND:VEVENT"}, headers=cast.anna.auth
    )
    await api.post(f"{API}/events/{draft['id']}/publish", headers=cast.anna.auth)
    response = await api.get(f"{API}/events/{draft['id']}/calendar.ics")

    assert_problem(refused, 400, "validation.failed")
    (vevent,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Rafting on the Msta"
    assert b"\r\nEND:VEVENT\r\nEND:VCALENDAR" in response.content
    assert response.content.count(b"BEGIN:VEVENT") == 1


async def test_a_description_keeps_its_line_breaks_and_the_calendar_stays_valid(
    api: Client, cast: Cast
) -> None:
    event = await published_event(
        api, cast.anna, "river-rats", description="Day one: the river.\r\nDay two:\tthe lake."
    )

    response = await api.get(f"{API}/events/{event['id']}/calendar.ics")

    (vevent,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Rafting on the Msta"
    assert "Day two:\tthe lake." in str(vevent["DESCRIPTION"])


async def test_a_city_with_a_line_break_is_refused_on_edit(api: Client, cast: Cast) -> None:
    event = await create_event(api, cast.anna, "river-rats")

    response = await api.put(
        f"{API}/events/{event['id']}",
        json={"location": {"address": "Pier 3", "city": "Veliky\nNovgorod"}},
        headers=cast.anna.auth,
    )

    body = assert_problem(response, 400, "validation.failed")
    assert any(error["field"].endswith("city") for error in body["errors"])


@pytest.mark.parametrize("bound", ["NaN", "Infinity", "-Infinity", "-1", "sNaN"])
async def test_a_price_bound_that_is_no_number_is_refused(api: Client, bound: str) -> None:
    response = await api.get(f"{API}/events", params={"priceMax": bound, "priceMin": "0"})

    body = assert_problem(response, 400, "validation.failed")
    assert [error["field"] for error in body["errors"]] == ["priceMax"]


async def test_a_price_bound_beyond_any_price_bounds_nothing(api: Client, cast: Cast) -> None:
    await published_event(api, cast.anna, "river-rats")

    response = await api.get(f"{API}/events", params={"priceMax": "1e999"})

    assert response.status_code == 200
    assert response.json()["total"] == 1
