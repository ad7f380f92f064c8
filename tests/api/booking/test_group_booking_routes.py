"""Group bookings and the group waitlist through the HTTP API (SPEC §12)."""

from __future__ import annotations

import csv
import io
from typing import Any

from tests.api.booking.conftest import People
from tests.api.booking.kit import seats_left
from tests.api.catalog.kit import API, Cast, published_event
from tests.api.identity.conftest import Account, Client, assert_problem
from tests.api.payments.kit import complete_in_sandbox, fetched, started
from tests.api.worker import drain_outbox

COMPANIONS = [{"name": "  Ольга Петрова ", "phone": "+7 999 000-11-22"}, {"name": "Пётр"}]


async def book_party(api: Client, account: Account, event_id: str, companions: list[Any]) -> Any:
    return await api.post(
        f"{API}/bookings", json={"eventId": event_id, "companions": companions}, headers=account.auth
    )


async def test_a_party_books_its_seats_at_n_times_the_price(api: Client, cast: Cast, people: People) -> None:
    event = await published_event(api, cast.anna, "river-rats", capacity=5)

    response = await book_party(api, people.pavel, event["id"], COMPANIONS)

    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["partySize"], body["amount"]) == (3, "4500.00")
    assert body["seats"] == [
        {"number": 0, "name": None, "phone": None},
        {"number": 1, "name": "Ольга Петрова", "phone": "+79990001122"},
        {"number": 2, "name": "Пётр", "phone": None},
    ]
    assert await seats_left(api, event["id"]) == 2
    shown = await fetched(api, people.pavel, f"/bookings/{body['id']}")
    assert shown["seats"] == body["seats"]


async def test_bad_parties_are_refused_and_change_nothing(api: Client, cast: Cast, people: People) -> None:
    event = await published_event(api, cast.anna, "river-rats", capacity=10)

    too_many = await book_party(api, people.pavel, event["id"], [{"name": f"N{n}"} for n in range(6)])
    assert_problem(too_many, 422, "booking.party_too_large")
    blank = assert_problem(
        await book_party(api, people.pavel, event["id"], [{"name": "  "}]), 400, "validation.failed"
    )
    assert [e["field"] for e in blank["errors"]] == ["companions[0].name"]
    assert_problem(
        await book_party(api, people.pavel, event["id"], [{"name": "A", "age": 3}]), 400, "validation.failed"
    )
    assert_problem(
        await book_party(api, people.pavel, event["id"], [{"name": "A\u0007"}]), 400, "validation.failed"
    )
    assert await seats_left(api, event["id"]) == 10
    party_too_big = await published_event(api, cast.anna, "river-rats", capacity=2)
    assert_problem(await book_party(api, people.pavel, party_too_big["id"], COMPANIONS), 409, "event.full")
    assert await seats_left(api, party_too_big["id"]) == 2


async def test_a_companion_seat_is_cancelled_alone_and_refunded_its_share(
    api: Client, cast: Cast, people: People
) -> None:
    event = await published_event(api, cast.anna, "river-rats", capacity=5)
    booking = (await book_party(api, people.pavel, event["id"], COMPANIONS)).json()
    payment = await started(api, people.pavel, booking["id"])
    assert payment["amount"] == "4500.00"
    await complete_in_sandbox(api, payment)
    await drain_outbox(api)

    cancelled = await api.post(
        f"{API}/bookings/{booking['id']}/companions/2/cancel", headers=people.pavel.auth
    )
    assert cancelled.status_code == 200, cancelled.text
    assert (cancelled.json()["partySize"], cancelled.json()["amount"]) == (2, "3000.00")
    assert [seat["number"] for seat in cancelled.json()["seats"]] == [0, 1]
    assert await seats_left(api, event["id"]) == 3
    await drain_outbox(api)
    await drain_outbox(api)  # the refund's own facts

    refunded = await fetched(api, people.pavel, f"/payments/{payment['id']}")
    assert (refunded["status"], refunded["refundedAmount"]) == ("PARTIALLY_REFUNDED", "1500.00")
    assert [(r["amount"], r["reason"]) for r in refunded["refunds"]] == [("1500.00", "COMPANION_SEAT:2")]
    shown = await fetched(api, people.pavel, f"/bookings/{booking['id']}")
    assert (shown["status"], shown["paymentStatus"]) == ("CONFIRMED", "PARTIALLY_REFUNDED")
    assert_problem(
        await api.post(f"{API}/bookings/{booking['id']}/companions/2/cancel", headers=people.pavel.auth),
        404,
        "booking.companion_not_found",
    )
    assert_problem(
        await api.post(f"{API}/bookings/{booking['id']}/companions/1/cancel", headers=people.rita.auth),
        404,
        "booking.not_found",
    )

    # The whole booking goes: what is left is refunded, and no more.
    await api.post(f"{API}/bookings/{booking['id']}/cancel", headers=people.pavel.auth)
    await drain_outbox(api)
    await drain_outbox(api)
    final = await fetched(api, people.pavel, f"/payments/{payment['id']}")
    assert (final["status"], final["refundedAmount"]) == ("REFUNDED", "4500.00")
    assert await seats_left(api, event["id"]) == 5


async def test_companions_are_in_the_organizers_list_and_csv(api: Client, cast: Cast, people: People) -> None:
    event = await published_event(api, cast.anna, "river-rats", capacity=5)
    booking = (await book_party(api, people.pavel, event["id"], COMPANIONS)).json()

    listed = await api.get(f"{API}/events/{event['id']}/bookings", headers=cast.anna.auth)
    assert [seat["name"] for seat in listed.json()["items"][0]["seats"]] == [None, "Ольга Петрова", "Пётр"]
    exported = await api.get(f"{API}/events/{event['id']}/participants.csv", headers=cast.anna.auth)
    header, *rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))

    assert header[-1] == "Seat"
    assert [(row[0], row[4], row[9], row[-1]) for row in rows] == [
        (booking["id"], "Павел", "1500.00", "0"),
        (booking["id"], "Ольга Петрова", "1500.00", "1"),
        (booking["id"], "Пётр", "1500.00", "2"),
    ]


async def test_a_party_queues_for_its_seats(api: Client, cast: Cast, people: People) -> None:
    event = await published_event(api, cast.anna, "river-rats", capacity=3)
    first = (await book_party(api, people.pavel, event["id"], COMPANIONS)).json()

    joined = await api.post(
        f"{API}/events/{event['id']}/waitlist", json={"partySize": 2}, headers=people.rita.auth
    )
    assert joined.status_code == 201, joined.text
    assert (joined.json()["partySize"], joined.json()["status"]) == (2, "WAITING")
    assert_problem(
        await api.post(
            f"{API}/events/{event['id']}/waitlist", json={"partySize": 4}, headers=people.sasha.auth
        ),
        422,
        "booking.party_too_large",
    )
    single = await api.post(f"{API}/events/{event['id']}/waitlist", headers=people.sasha.auth)
    assert single.status_code == 201, single.text
    assert single.json()["partySize"] == 1

    await api.post(f"{API}/bookings/{first['id']}/companions/1/cancel", headers=people.pavel.auth)
    mine = await fetched(api, people.rita, f"/events/{event['id']}/waitlist/me")
    assert mine["status"] == "WAITING"  # one seat is free, the head needs two; nobody skips it
    assert (await fetched(api, people.sasha, f"/events/{event['id']}/waitlist/me"))["status"] == "WAITING"
    await api.post(f"{API}/bookings/{first['id']}/companions/2/cancel", headers=people.pavel.auth)
    assert (await fetched(api, people.rita, f"/events/{event['id']}/waitlist/me"))["status"] == "NOTIFIED"

    booked = await book_party(api, people.rita, event["id"], [{"name": "Друг"}])
    assert booked.status_code == 201, booked.text
    assert booked.json()["partySize"] == 2
