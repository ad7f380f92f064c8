"""An organizer's view of their event: its bookings and the participants CSV."""

from __future__ import annotations

import csv
import io
import uuid

from aquastream.adapters.memory.clock import FrozenClock
from tests.api.booking.conftest import People
from tests.api.booking.kit import booked, participant
from tests.api.catalog.kit import API, Cast, at, create_event, published_event
from tests.api.identity.conftest import Client, assert_problem


async def test_the_organizer_lists_the_bookings_of_their_event_in_booking_order(
    api: Client, cast: Cast, people: People, clock: FrozenClock
) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    first = await booked(api, people.pavel, event["id"])
    clock.advance(minutes=1)
    second = await booked(api, people.rita, event["id"])
    clock.advance(minutes=1)
    third = await booked(api, people.sasha, event["id"])
    await api.post(f"{API}/bookings/{second['id']}/cancel", headers=people.rita.auth)
    await booked(api, people.pavel, (await published_event(api, cast.anna, "river-rats"))["id"])
    url = f"{API}/events/{event['id']}/bookings"

    for account in (cast.anna, cast.root):
        listed = await api.get(url, headers=account.auth)
        assert listed.status_code == 200, listed.text
        body = listed.json()
        assert [b["id"] for b in body["items"]] == [first["id"], second["id"], third["id"]]
        assert (body["total"], body["totalPages"]) == (3, 1)
    pending = (await api.get(url, params={"status": "PENDING"}, headers=cast.anna.auth)).json()
    assert [b["id"] for b in pending["items"]] == [first["id"], third["id"]]
    cancelled = (await api.get(url, params={"status": "CANCELLED"}, headers=cast.anna.auth)).json()
    assert [(b["id"], b["userId"]) for b in cancelled["items"]] == [(second["id"], people.rita.id)]
    paged = (await api.get(url, params={"size": 2, "page": 1}, headers=cast.anna.auth)).json()
    assert ([b["id"] for b in paged["items"]], paged["totalPages"]) == ([third["id"]], 2)


async def test_only_the_events_organizer_and_admins_see_its_bookings(
    api: Client, cast: Cast, people: People
) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    await booked(api, people.pavel, event["id"])
    for path in ("bookings", "participants.csv"):
        url = f"{API}/events/{event['id']}/{path}"
        for account in (cast.boris, people.pavel):
            assert_problem(await api.get(url, headers=account.auth), 403, "booking.forbidden")
        assert_problem(await api.get(url), 401, "auth.unauthenticated")
        draft = await create_event(api, cast.anna, "river-rats")
        missing = await api.get(f"{API}/events/{draft['id']}/{path}", headers=cast.anna.auth)
        assert_problem(missing, 404, "event.not_found")
        unknown = await api.get(f"{API}/events/{uuid.uuid4()}/{path}", headers=cast.root.auth)
        assert_problem(unknown, 404, "event.not_found")


async def test_event_bookings_refuse_bad_paging_and_unknown_statuses(
    api: Client, cast: Cast, people: People
) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    url = f"{API}/events/{event['id']}/bookings"
    for params in ({"size": 0}, {"size": 500}, {"page": -1}, {"status": "LOST"}):
        assert_problem(await api.get(url, params=params, headers=cast.anna.auth), 400, "validation.failed")
    csv_url = f"{API}/events/{event['id']}/participants.csv"
    bad = await api.get(csv_url, params={"status": "LOST"}, headers=cast.anna.auth)
    assert_problem(bad, 400, "validation.failed")


def _rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


async def test_the_participants_csv_opens_in_excel_with_cyrillic_names_and_contacts(
    api: Client, cast: Cast, people: People
) -> None:
    event = await published_event(api, cast.anna, "river-rats", price="1500")
    first = await booked(api, people.pavel, event["id"])
    second = await booked(api, people.rita, event["id"])
    await api.post(f"{API}/bookings/{second['id']}/confirm", headers=cast.anna.auth)
    gone = await booked(api, people.sasha, event["id"])
    await api.post(f"{API}/bookings/{gone['id']}/cancel", headers=people.sasha.auth)

    response = await api.get(f"{API}/events/{event['id']}/participants.csv", headers=cast.anna.auth)

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="participants-{event["id"]}.csv"'
    )
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in response.content
    header, *rows = _rows(response.content)
    assert header == [
        "Booking ID",
        "Status",
        "Payment status",
        "User ID",
        "First name",
        "Last name",
        "Email",
        "Phone",
        "Telegram",
        "Amount",
        "Currency",
        "Booked at (UTC)",
        "Seat",
    ]
    pavel_phone = (await api.get(f"{API}/users/me", headers=people.pavel.auth)).json()["phone"]
    assert rows == [
        [
            first["id"],
            "PENDING",
            "PENDING",
            people.pavel.id,
            "Павел",
            "Смирнов",
            "pavel@example.com",
            "'" + pavel_phone,
            "",
            "1500.00",
            "RUB",
            at(0),
            "0",
        ],
        [
            second["id"],
            "CONFIRMED",
            "PAID",
            people.rita.id,
            "",
            "",
            "rita@example.com",
            rows[1][7],
            "",
            "1500.00",
            "RUB",
            at(0),
            "0",
        ],
    ]
    confirmed = await api.get(
        f"{API}/events/{event['id']}/participants.csv",
        params={"status": "CONFIRMED"},
        headers=cast.root.auth,
    )
    assert [row[0] for row in _rows(confirmed.content)[1:]] == [second["id"]]


async def test_the_participants_csv_defuses_formulas_in_names(api: Client, cast: Cast) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    attacker = await participant(
        api,
        "mallory@example.com",
        firstName='=HYPERLINK("https://evil.example","click")',
        lastName="@SUM(A1:A9)",
        telegram="@mallory",
    )
    plain = await participant(api, "minus@example.com", firstName="-Anna", lastName='+Bo, "Jr"')
    await booked(api, attacker, event["id"])
    await booked(api, plain, event["id"])

    response = await api.get(f"{API}/events/{event['id']}/participants.csv", headers=cast.anna.auth)
    _, first, second = _rows(response.content)

    assert first[4:7] == [
        '\'=HYPERLINK("https://evil.example","click")',
        "'@SUM(A1:A9)",
        "mallory@example.com",
    ]
    assert first[8] == "'@mallory"
    assert second[4:6] == ["'-Anna", '\'+Bo, "Jr"']
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in (first, second) for cell in row)
