"""What booking lists answer: which event, when and with whom for the participant; who booked
for the organizer; and ``sort`` over the documented fields."""

from __future__ import annotations

from typing import Any

from aquastream.adapters.memory.clock import FrozenClock
from tests.api.booking.conftest import People
from tests.api.booking.kit import booked
from tests.api.catalog.kit import API, Cast, at, published_event
from tests.api.identity.conftest import Client, assert_problem


def _ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [b["id"] for b in response.json()["items"]]


async def test_my_bookings_name_each_event_its_start_and_its_organizer(
    api: Client, cast: Cast, people: People
) -> None:
    event = await published_event(
        api, cast.anna, "river-rats", title="Сплав по Мсте", dateStart=at(12), dateEnd=at(13)
    )
    booking = await booked(api, people.rita, event["id"])
    organizer = (await api.get(f"{API}/organizers/river-rats")).json()

    listed = await api.get(f"{API}/bookings", headers=people.rita.auth)
    shown = await api.get(f"{API}/bookings/{booking['id']}", headers=people.rita.auth)

    assert listed.status_code == 200, listed.text
    (item,) = listed.json()["items"]
    assert item["event"] == {
        "id": event["id"],
        "title": "Сплав по Мсте",
        "startsAt": at(12),
        "endsAt": at(13),
        "organizer": {"id": organizer["id"], "slug": "river-rats", "name": "River Rats"},
    }
    assert item["participant"] is None  # the participant is not shown themselves
    assert shown.json() == item
    assert listed.headers["cache-control"] == "no-store"


async def test_the_organizers_list_shows_who_booked_with_their_contacts(
    api: Client, cast: Cast, people: People
) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    await booked(api, people.pavel, event["id"])
    await api.put(f"{API}/users/me", json={"telegram": "@pavel_rafts"}, headers=people.pavel.auth)
    profile = (await api.get(f"{API}/users/me", headers=people.pavel.auth)).json()

    for account in (cast.anna, cast.root):
        listed = await api.get(f"{API}/events/{event['id']}/bookings", headers=account.auth)
        assert listed.status_code == 200, listed.text
        (item,) = listed.json()["items"]
        assert item["participant"] == {
            "firstName": "Павел",
            "lastName": "Смирнов",
            "email": "pavel@example.com",
            "phone": profile["phone"],
            "telegram": "@pavel_rafts",
        }
        assert item["event"]["organizer"]["name"] == "River Rats"
        assert listed.headers["cache-control"] == "no-store"


async def test_my_bookings_sort_by_start_status_and_creation(
    api: Client, cast: Cast, people: People, clock: FrozenClock
) -> None:
    later = await booked(api, people.sasha, (await published_event(api, cast.anna, "river-rats"))["id"])
    clock.advance(minutes=1)
    soon = await published_event(api, cast.boris, "forest-club", dateStart=at(3), dateEnd=at(4))
    sooner = await booked(api, people.sasha, soon["id"])
    clock.advance(minutes=1)
    cancelled = await booked(api, people.sasha, (await published_event(api, cast.anna, "river-rats"))["id"])
    await api.post(f"{API}/bookings/{cancelled['id']}/cancel", headers=people.sasha.auth)
    url, auth = f"{API}/bookings", people.sasha.auth

    assert _ids(await api.get(url, headers=auth)) == [cancelled["id"], sooner["id"], later["id"]]
    assert _ids(await api.get(url, params={"sort": "startsAt"}, headers=auth)) == [
        sooner["id"],
        cancelled["id"],  # two events start together: newest first breaks the tie
        later["id"],
    ]
    by_status = await api.get(url, params={"sort": "status,-startsAt"}, headers=auth)
    assert _ids(by_status) == [later["id"], sooner["id"], cancelled["id"]]
    repeated = await api.get(url, params=[("sort", "status"), ("sort", "-startsAt")], headers=auth)
    assert _ids(repeated) == _ids(by_status)
    assert _ids(await api.get(url, params={"sort": "createdAt"}, headers=auth)) == [
        later["id"],
        sooner["id"],
        cancelled["id"],
    ]
    pages = [
        _ids(await api.get(url, params={"sort": "-startsAt", "size": 1, "page": p}, headers=auth))
        for p in range(3)
    ]
    assert pages == [[cancelled["id"]], [later["id"]], [sooner["id"]]]


async def test_the_organizer_sorts_an_events_bookings_by_status(
    api: Client, cast: Cast, people: People, clock: FrozenClock
) -> None:
    event = await published_event(api, cast.anna, "river-rats", price="900")
    first = await booked(api, people.pavel, event["id"])
    clock.advance(minutes=1)
    second = await booked(api, people.rita, event["id"])
    await api.post(f"{API}/bookings/{second['id']}/confirm", headers=cast.anna.auth)
    url = f"{API}/events/{event['id']}/bookings"

    by_status = await api.get(url, params={"sort": "-status"}, headers=cast.anna.auth)
    newest = await api.get(url, params={"sort": "-createdAt"}, headers=cast.anna.auth)

    assert _ids(by_status) == [second["id"], first["id"]]  # CONFIRMED after PENDING, reversed
    assert _ids(newest) == [second["id"], first["id"]]


async def test_an_unknown_or_repeated_sort_field_is_a_400_naming_the_allowed_ones(
    api: Client, cast: Cast, people: People
) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    cases = (
        (f"{API}/bookings", people.pavel.auth, "createdAt, updatedAt, startsAt, status"),
        (f"{API}/events/{event['id']}/bookings", cast.anna.auth, "createdAt, updatedAt, status"),
    )
    for url, auth, allowed in cases:
        for sort in ("price", "-title", "status,-status", "startsAt;drop"):
            response = await api.get(url, params={"sort": sort}, headers=auth)
            problem = assert_problem(response, 400, "validation.failed")
            (error,) = problem["errors"]
            assert error["field"] == "sort"
            assert allowed in error["message"]
    # One event's bookings all start together: not a field of that list.
    response = await api.get(cases[1][0], params={"sort": "startsAt"}, headers=cast.anna.auth)
    assert_problem(response, 400, "validation.failed")


async def test_the_openapi_document_lists_the_sort_fields_as_an_enum(api: Client) -> None:
    document = (await api.get(f"{API}/openapi.json")).json()

    def sort_items(path: str) -> list[str]:
        (parameter,) = [p for p in document["paths"][path]["get"]["parameters"] if p["name"] == "sort"]
        enum: list[str] = parameter["schema"]["items"]["enum"]
        return enum

    assert sort_items("/api/v1/bookings") == [
        "createdAt",
        "-createdAt",
        "updatedAt",
        "-updatedAt",
        "startsAt",
        "-startsAt",
        "status",
        "-status",
    ]
    assert "startsAt" not in sort_items("/api/v1/events/{event_id}/bookings")
