"""Companions in crews through the HTTP API (issue 12): a party's seats are participants the
organizer assigns one by one, named in the crew lists, and a companion cancelled alone leaves
their crew once crews has heard of it."""

from __future__ import annotations

from typing import Any

from tests.api.booking.conftest import People
from tests.api.catalog.kit import API, Cast, published_event
from tests.api.crews.kit import assign, assigned, crew_view, new_crew
from tests.api.identity.conftest import Client, assert_problem
from tests.api.worker import drain_outbox


def members(view: dict[str, Any]) -> list[tuple[str, int, str | None]]:
    return [(m["userId"], m["partySeat"], m["name"]) for m in view["members"]]


async def test_each_seat_of_a_party_is_assigned_named_and_leaves_when_cancelled_alone(
    api: Client, cast: Cast, people: People
) -> None:
    event = await published_event(api, cast.anna, "river-rats", price="0", capacity=10)
    booked = await api.post(
        f"{API}/bookings",
        json={"eventId": event["id"], "companions": [{"name": "Ольга Петрова"}, {"name": "Пётр"}]},
        headers=people.pavel.auth,
    )
    assert booked.status_code == 201, booked.text
    booking = booked.json()
    assert booking["status"] == "CONFIRMED"  # a free event
    await drain_outbox(api)  # crews hears of the confirmed booking and its three seats
    boat = await new_crew(api, cast.anna, event["id"], capacity=2)
    raft = await new_crew(api, cast.anna, event["id"], name="Raft Beta", capacity=2)
    pavel = people.pavel.id

    await assigned(api, cast.anna, boat["id"], pavel)  # a request naming only the user: seat 0
    olga = await api.post(
        f"{API}/crews/{boat['id']}/assignments",
        json={"bookingId": booking["id"], "seat": 1},
        headers=cast.anna.auth,
    )
    assert olga.status_code == 201, olga.text
    assert (olga.json()["userId"], olga.json()["partySeat"]) == (pavel, 1)
    assert_problem(await assign(api, cast.anna, boat["id"], pavel, seat=2), 409, "crew.full")
    await assigned(api, cast.anna, raft["id"], pavel, seat=2)
    assert_problem(
        await assign(api, cast.anna, raft["id"], pavel, seat=3), 422, "crew.participant_not_confirmed"
    )
    no_one = await api.post(f"{API}/crews/{raft['id']}/assignments", json={"seat": 1}, headers=cast.anna.auth)
    assert_problem(no_one, 400, "validation.failed")

    listed = await api.get(f"{API}/events/{event['id']}/crews", headers=cast.anna.auth)
    assert listed.status_code == 200, listed.text
    assert [members(c) for c in listed.json()] == [
        [(pavel, 0, "Павел Смирнов"), (pavel, 1, "Ольга Петрова")],
        [(pavel, 2, "Пётр")],
    ]
    mine = await api.get(f"{API}/events/{event['id']}/crews/me", headers=people.pavel.auth)
    assert mine.status_code == 200, mine.text
    assert [(p["assignment"]["partySeat"], p["crew"]["name"], p["name"]) for p in mine.json()["places"]] == [
        (0, "Raft Alpha", None),
        (1, "Raft Alpha", "Ольга Петрова"),
        (2, "Raft Beta", "Пётр"),
    ]

    cancelled = await api.post(
        f"{API}/bookings/{booking['id']}/companions/1/cancel", headers=people.pavel.auth
    )
    assert cancelled.status_code == 200, cancelled.text
    await drain_outbox(api)

    shown = await crew_view(api, cast.anna, boat["id"])
    assert (members(shown), shown["size"]) == ([(pavel, 0, "Павел Смирнов")], 1)
    assert [(h["partySeat"], h["status"], h["name"]) for h in shown["history"]] == [
        (1, "REMOVED", "Ольга Петрова")
    ]
    assert members(await crew_view(api, cast.anna, raft["id"])) == [(pavel, 2, "Пётр")]
    assert_problem(
        await assign(api, cast.anna, boat["id"], pavel, seat=1), 422, "crew.participant_not_confirmed"
    )
