"""``POST /events/{id}/crews/auto-assign``: preview, apply, and who may."""

from __future__ import annotations

from tests.api.booking.conftest import People
from tests.api.catalog.kit import API, Cast
from tests.api.crews.conftest import Trip
from tests.api.crews.kit import assigned, crew_view, new_crew
from tests.api.identity.conftest import Client, assert_problem


async def test_a_dry_run_previews_and_applying_places_everyone(
    api: Client, cast: Cast, people: People, trip: Trip
) -> None:
    left = await new_crew(api, cast.anna, trip.event_id, name="Left", capacity=2)
    right = await new_crew(api, cast.anna, trip.event_id, name="Right", capacity=2)
    await assigned(api, cast.anna, left["id"], people.sasha.id)
    await api.put(
        f"{API}/events/{trip.event_id}/crews/preferences",
        json={"prefer": [people.rita.id], "avoid": [people.sasha.id]},
        headers=people.pavel.auth,
    )
    url = f"{API}/events/{trip.event_id}/crews/auto-assign"

    preview = await api.post(url, json={"type": "CREW", "dryRun": True}, headers=cast.anna.auth)
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert (body["type"], body["dryRun"], body["unplaced"]) == ("CREW", True, [])
    assert {(p["userId"], p["crewName"], p["assignmentId"]) for p in body["placed"]} == {
        (people.pavel.id, "Right", None),
        (people.rita.id, "Right", None),
    }
    assert (body["preferencesSatisfied"], body["preferencesConsidered"]) == (1, 1)
    assert (await crew_view(api, cast.anna, right["id"]))["size"] == 0

    applied = await api.post(url, json={"type": "CREW"}, headers=cast.anna.auth)
    assert applied.status_code == 200, applied.text
    assert applied.json()["dryRun"] is False
    assert all(p["assignmentId"] for p in applied.json()["placed"])
    members = (await crew_view(api, people.pavel, right["id"]))["members"]
    assert sorted(m["userId"] for m in members) == sorted([people.pavel.id, people.rita.id])

    again = (await api.post(url, json={"type": "CREW"}, headers=cast.anna.auth)).json()
    assert (again["placed"], again["unplaced"]) == ([], [])


async def test_people_without_room_are_reported_with_the_reason(
    api: Client, cast: Cast, people: People, trip: Trip
) -> None:
    await new_crew(api, cast.anna, trip.event_id, name="Tiny", type="TENT", capacity=1)
    report = await api.post(
        f"{API}/events/{trip.event_id}/crews/auto-assign", json={"type": "TENT"}, headers=cast.anna.auth
    )
    assert report.status_code == 200, report.text
    assert len(report.json()["placed"]) == 1
    assert [u["reason"] for u in report.json()["unplaced"]] == ["NO_FREE_SEAT", "NO_FREE_SEAT"]


async def test_only_the_organizer_auto_assigns(api: Client, cast: Cast, people: People, trip: Trip) -> None:
    url = f"{API}/events/{trip.event_id}/crews/auto-assign"
    for account in (people.pavel, cast.boris):
        assert_problem(
            await api.post(url, json={"type": "CREW"}, headers=account.auth), 403, "crew.forbidden"
        )
    assert_problem(
        await api.post(url, json={"type": "RAFT"}, headers=cast.anna.auth), 400, "validation.failed"
    )
    assert_problem(
        await api.post(url, json={"dryRun": True}, headers=cast.anna.auth), 400, "validation.failed"
    )
