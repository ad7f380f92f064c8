"""The organizer's team at the door, through the real app: a team member the owner linked to
an account checks seats in and reads the roster; a second scan names them; they manage nothing
else; unlinked or removed, they check nothing in any more."""

from __future__ import annotations

from typing import Any

import pytest

from aquastream.adapters.sql.catalog import served
from tests.api.booking.conftest import People
from tests.api.booking.kit import participant
from tests.api.catalog.kit import API, Cast
from tests.api.identity.conftest import Account, Client, assert_problem

from .conftest import Trip

TEAM = f"{API}/organizers/river-rats/team"


@pytest.fixture
async def guide(api: Client, cast: Cast) -> tuple[Account, str]:
    """Oleg, a participant's account, linked by Anna to the team member Oleg of river-rats."""
    oleg = await participant(api, "oleg@example.com", firstName="Олег", lastName="Гидов")
    member = await api.post(TEAM, json={"name": "Oleg", "role": "Guide"}, headers=cast.anna.auth)
    assert member.status_code == 201, member.text
    linked = await api.put(
        f"{TEAM}/{member.json()['id']}/account", json={"email": oleg.email}, headers=cast.anna.auth
    )
    assert linked.status_code == 200, linked.text
    return oleg, member.json()["id"]


async def _code(api: Client, holder: Account, trip: Trip) -> str:
    booking_id = trip.bookings[holder.email]["id"]
    response = await api.get(f"{API}/bookings/{booking_id}/tickets", headers=holder.auth)
    assert response.status_code == 200, response.text
    code: str = response.json()["items"][0]["code"]
    return code


async def _check_in(api: Client, account: Account, event_id: str, code: str) -> Any:
    return await api.post(f"{API}/events/{event_id}/check-ins", json={"code": code}, headers=account.auth)


async def test_a_linked_team_member_checks_seats_in_and_reads_the_roster(
    api: Client, cast: Cast, people: People, trip: Trip, guide: tuple[Account, str]
) -> None:
    oleg, _ = guide
    code = await _code(api, people.pavel, trip)

    first = await _check_in(api, oleg, trip.event_id, code)
    assert first.status_code == 201, first.text
    assert (first.json()["status"], first.json()["checkedInBy"]) == ("CHECKED_IN", oleg.id)

    again = assert_problem(
        await _check_in(api, cast.anna, trip.event_id, code), 409, "ticket.already_checked_in"
    )
    assert (again["checkedInBy"], again["checkedInByName"]) == (oleg.id, "Олег Гидов")
    roster = await api.get(f"{API}/events/{trip.event_id}/roster", headers=oleg.auth)
    assert roster.status_code == 200, roster.text
    assert [(s["status"], s["checkedInBy"]) for s in roster.json()["items"]] == [
        ("CHECKED_IN", oleg.id),
        ("CONFIRMED", None),
    ]


async def test_a_team_member_manages_nothing_else(
    api: Client, cast: Cast, people: People, trip: Trip, guide: tuple[Account, str]
) -> None:
    oleg, member_id = guide
    booking_id = trip.bookings[people.pavel.email]["id"]

    tickets = await api.get(f"{API}/bookings/{booking_id}/tickets", headers=oleg.auth)
    assert_problem(tickets, 404, "ticket.not_found")
    cancel = await api.post(f"{API}/events/{trip.event_id}/cancel", headers=oleg.auth)
    assert_problem(cancel, 403, "organizer.forbidden")
    rename = await api.put(f"{API}/organizers/river-rats", json={"name": "Mine"}, headers=oleg.auth)
    assert_problem(rename, 403, "organizer.forbidden")
    unlink = await api.delete(f"{TEAM}/{member_id}/account", headers=oleg.auth)
    assert_problem(unlink, 403, "organizer.forbidden")


async def test_an_unlinked_or_removed_team_member_and_a_stranger_are_refused(
    api: Client,
    cast: Cast,
    people: People,
    trip: Trip,
    guide: tuple[Account, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The door keeps an event's facts for a second; here every scan reads them afresh.
    monkeypatch.setattr(served, "TICKET_EVENT_SECONDS", 0.0)
    oleg, member_id = guide
    code = await _code(api, people.pavel, trip)
    assert (await api.get(f"{API}/events/{trip.event_id}/roster", headers=oleg.auth)).status_code == 200
    assert (await api.delete(f"{TEAM}/{member_id}/account", headers=cast.anna.auth)).status_code == 204

    for caller in (oleg, cast.vera, cast.boris):
        assert_problem(await _check_in(api, caller, trip.event_id, code), 403, "ticket.forbidden")
        roster = await api.get(f"{API}/events/{trip.event_id}/roster", headers=caller.auth)
        assert_problem(roster, 403, "ticket.forbidden")

    linked = await api.put(f"{TEAM}/{member_id}/account", json={"email": oleg.email}, headers=cast.anna.auth)
    assert linked.status_code == 200
    assert (await api.get(f"{API}/events/{trip.event_id}/roster", headers=oleg.auth)).status_code == 200
    assert (await api.delete(f"{TEAM}/{member_id}", headers=cast.anna.auth)).status_code == 204
    assert_problem(await _check_in(api, oleg, trip.event_id, code), 403, "ticket.forbidden")
