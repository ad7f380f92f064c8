"""``/events/{id}/crews`` and ``/crews/{id}``: organizers make and edit crews, participants see them."""

from __future__ import annotations

import uuid

from tests.api.booking.conftest import People
from tests.api.catalog.kit import API, Cast, create_event
from tests.api.crews.conftest import Trip
from tests.api.crews.kit import assign, assigned, crew_view, new_crew
from tests.api.identity.conftest import Client, assert_problem


async def test_the_organizer_creates_a_boat_with_its_details(api: Client, cast: Cast, trip: Trip) -> None:
    crew = await new_crew(
        api,
        cast.anna,
        trip.event_id,
        name="Raft Alpha",
        capacity=6,
        description="The fast one",
        boatType="raft",
        boatNumber="7",
        boatCondition="new",
    )

    assert {k: crew[k] for k in ("eventId", "type", "name", "capacity", "size", "freeSeats", "members")} == {
        "eventId": trip.event_id,
        "type": "CREW",
        "name": "Raft Alpha",
        "capacity": 6,
        "size": 0,
        "freeSeats": 6,
        "members": [],
    }
    assert (crew["boatType"], crew["boatNumber"], crew["boatCondition"], crew["tentDetails"]) == (
        "raft",
        "7",
        "new",
        None,
    )
    tent = await new_crew(api, cast.root, trip.event_id, name="Tent 1", type="TENT", tentDetails="Nordway 4")
    assert tent["tentDetails"] == "Nordway 4"


async def test_only_the_organizer_creates_crews(api: Client, cast: Cast, people: People, trip: Trip) -> None:
    url = f"{API}/events/{trip.event_id}/crews"
    body = {"type": "CREW", "name": "Mine", "capacity": 2}
    for account in (cast.boris, people.pavel):
        assert_problem(await api.post(url, json=body, headers=account.auth), 403, "crew.forbidden")
    assert_problem(await api.post(url, json=body), 401, "auth.unauthenticated")
    unknown = await api.post(f"{API}/events/{uuid.uuid4()}/crews", json=body, headers=cast.anna.auth)
    assert_problem(unknown, 404, "event.not_found")


async def test_crews_can_be_prepared_on_a_draft(api: Client, cast: Cast) -> None:
    draft = await create_event(api, cast.anna, "river-rats")
    crew = await new_crew(api, cast.anna, draft["id"])
    assert crew["eventId"] == draft["id"]


async def test_bad_crews_are_refused(api: Client, cast: Cast, trip: Trip) -> None:
    url = f"{API}/events/{trip.event_id}/crews"
    await new_crew(api, cast.anna, trip.event_id, name="Blue")

    taken = await api.post(url, json={"type": "CREW", "name": "Blue", "capacity": 2}, headers=cast.anna.auth)
    assert_problem(taken, 409, "crew.name_taken")
    for bad in (
        {"type": "CREW", "name": "Zero", "capacity": 0},
        {"type": "BOAT", "name": "Unknown type", "capacity": 2},
        {"type": "CREW", "name": "", "capacity": 2},
        {"type": "CREW", "name": "Extra", "capacity": 2, "colour": "red"},
    ):
        assert_problem(await api.post(url, json=bad, headers=cast.anna.auth), 400, "validation.failed")
    misplaced = await api.post(
        url, json={"type": "TABLE", "name": "T", "capacity": 8, "tentDetails": "x"}, headers=cast.anna.auth
    )
    body = assert_problem(misplaced, 400, "crew.details_mismatch")
    assert body["errors"] == [{"field": "tentDetails", "message": "not allowed for this crew type"}]


async def test_a_cancelled_events_crews_are_read_only(
    api: Client, cast: Cast, people: People, trip: Trip
) -> None:
    crew = await new_crew(api, cast.anna, trip.event_id)
    other = await new_crew(api, cast.anna, trip.event_id, name="Other")
    place = await assigned(api, cast.anna, crew["id"], people.pavel.id)
    cancelled = await api.post(
        f"{API}/events/{trip.event_id}/cancel", json={"reason": "flood"}, headers=cast.anna.auth
    )
    assert cancelled.status_code == 200, cancelled.text

    late = await api.post(
        f"{API}/events/{trip.event_id}/crews",
        json={"type": "BUS", "name": "Bus", "capacity": 30},
        headers=cast.anna.auth,
    )
    assert_problem(late, 422, "crew.event_closed")
    edit = await api.put(f"{API}/crews/{crew['id']}", json={"name": "Late"}, headers=cast.anna.auth)
    assert_problem(edit, 422, "crew.event_closed")
    closed = [
        await api.delete(f"{API}/crews/{other['id']}", headers=cast.anna.auth),
        await assign(api, cast.anna, other["id"], people.rita.id),
        await api.delete(f"{API}/assignments/{place['id']}", headers=cast.anna.auth),
        await api.post(
            f"{API}/assignments/{place['id']}/transfer", json={"crewId": other["id"]}, headers=cast.anna.auth
        ),
        await api.post(
            f"{API}/events/{trip.event_id}/crews/auto-assign", json={"type": "CREW"}, headers=cast.anna.auth
        ),
        await api.put(f"{API}/events/{trip.event_id}/crews/preferences", json={}, headers=people.rita.auth),
    ]
    for response in closed:
        assert_problem(response, 422, "crew.event_closed")
    listed = await api.get(f"{API}/events/{trip.event_id}/crews", headers=cast.anna.auth)
    assert [c["name"] for c in listed.json()] == ["Other", "Raft Alpha"]


async def test_event_routes_of_an_unknown_event_are_404(api: Client, cast: Cast, people: People) -> None:
    unknown = f"{API}/events/{uuid.uuid4()}/crews"
    for response in (
        await api.post(f"{unknown}/auto-assign", json={"type": "CREW"}, headers=cast.anna.auth),
        await api.put(f"{unknown}/preferences", json={}, headers=people.pavel.auth),
        await api.get(f"{unknown}/me", headers=people.pavel.auth),
        await api.get(unknown, headers=cast.root.auth),
    ):
        assert_problem(response, 404, "event.not_found")


async def test_organizer_and_participants_list_the_crews_with_members(
    api: Client, cast: Cast, people: People, trip: Trip
) -> None:
    boat = await new_crew(api, cast.anna, trip.event_id, name="Boat")
    await new_crew(api, cast.anna, trip.event_id, name="Tent", type="TENT", capacity=2)
    await assigned(api, cast.anna, boat["id"], people.rita.id, seatNumber=1, position="helmsman")
    url = f"{API}/events/{trip.event_id}/crews"

    for account in (cast.anna, cast.root, people.pavel):
        listed = await api.get(url, headers=account.auth)
        assert listed.status_code == 200, listed.text
        assert [(c["type"], c["name"], c["size"]) for c in listed.json()] == [
            ("CREW", "Boat", 1),
            ("TENT", "Tent", 0),
        ]
        member = listed.json()[0]["members"][0]
        assert (member["userId"], member["seatNumber"], member["position"], member["status"]) == (
            people.rita.id,
            1,
            "helmsman",
            "ACTIVE",
        )
    tents = await api.get(url, params={"type": "TENT"}, headers=people.pavel.auth)
    assert [c["name"] for c in tents.json()] == ["Tent"]
    assert_problem(
        await api.get(url, params={"type": "BOAT"}, headers=cast.anna.auth), 400, "validation.failed"
    )


async def test_others_do_not_see_an_events_crews(api: Client, cast: Cast, trip: Trip) -> None:
    crew = await new_crew(api, cast.anna, trip.event_id)
    assert_problem(
        await api.get(f"{API}/events/{trip.event_id}/crews", headers=cast.vera.auth),
        403,
        "crew.not_participant",
    )
    assert_problem(
        await api.get(f"{API}/events/{uuid.uuid4()}/crews", headers=cast.anna.auth), 404, "event.not_found"
    )
    assert_problem(await api.get(f"{API}/crews/{crew['id']}", headers=cast.vera.auth), 404, "crew.not_found")
    assert_problem(
        await api.get(f"{API}/crews/{uuid.uuid4()}", headers=cast.anna.auth), 404, "crew.not_found"
    )
    assert_problem(await api.get(f"{API}/crews/{crew['id']}"), 401, "auth.unauthenticated")


async def test_one_crew_shows_its_members_to_a_participant(
    api: Client, cast: Cast, people: People, trip: Trip
) -> None:
    crew = await new_crew(api, cast.anna, trip.event_id)
    await assigned(api, cast.anna, crew["id"], people.pavel.id)
    shown = await crew_view(api, people.sasha, crew["id"])
    assert ([m["userId"] for m in shown["members"]], shown["size"], shown["freeSeats"]) == (
        [people.pavel.id],
        1,
        3,
    )
    assert shown["members"][0]["name"] == "Павел Смирнов"
    assert shown["history"] is None


async def test_the_organizer_edits_a_crew_within_the_rules(
    api: Client, cast: Cast, people: People, trip: Trip
) -> None:
    crew = await new_crew(api, cast.anna, trip.event_id, capacity=4, boatType="kayak")
    await new_crew(api, cast.anna, trip.event_id, name="Taken")
    url = f"{API}/crews/{crew['id']}"

    edited = await api.put(
        url, json={"name": "Renamed", "capacity": 2, "description": "Slow"}, headers=cast.anna.auth
    )
    assert edited.status_code == 200, edited.text
    assert (edited.json()["name"], edited.json()["capacity"], edited.json()["boatType"]) == (
        "Renamed",
        2,
        "kayak",
    )
    retyped = await api.put(url, json={"type": "TENT", "boatType": None}, headers=cast.anna.auth)
    assert retyped.json()["type"] == "TENT"
    await assigned(api, cast.anna, crew["id"], people.pavel.id)
    await assigned(api, cast.anna, crew["id"], people.rita.id)

    below = assert_problem(
        await api.put(url, json={"capacity": 1}, headers=cast.anna.auth), 409, "crew.capacity_below_size"
    )
    assert below["size"] == 2
    assert_problem(await api.put(url, json={"type": "BUS"}, headers=cast.anna.auth), 409, "crew.type_locked")
    assert_problem(await api.put(url, json={"capacity": 0}, headers=cast.anna.auth), 400, "validation.failed")
    assert_problem(
        await api.put(url, json={"name": "Mine"}, headers=people.pavel.auth), 403, "crew.forbidden"
    )
    assert_problem(await api.put(url, json={"name": "Mine"}, headers=cast.boris.auth), 404, "crew.not_found")


async def test_renaming_to_a_taken_name_is_a_conflict(api: Client, cast: Cast, trip: Trip) -> None:
    await new_crew(api, cast.anna, trip.event_id, name="Blue")
    red = await new_crew(api, cast.anna, trip.event_id, name="Red")
    renamed = await api.put(f"{API}/crews/{red['id']}", json={"name": "Blue"}, headers=cast.anna.auth)
    assert_problem(renamed, 409, "crew.name_taken")


async def test_only_an_empty_crew_is_deleted(api: Client, cast: Cast, people: People, trip: Trip) -> None:
    crew = await new_crew(api, cast.anna, trip.event_id)
    place = await assigned(api, cast.anna, crew["id"], people.pavel.id)
    url = f"{API}/crews/{crew['id']}"

    assert_problem(await api.delete(url, headers=cast.anna.auth), 409, "crew.not_empty")
    assert_problem(await api.delete(url, headers=people.pavel.auth), 403, "crew.forbidden")
    await api.delete(f"{API}/assignments/{place['id']}", headers=cast.anna.auth)
    deleted = await api.delete(url, headers=cast.anna.auth)
    assert deleted.status_code == 204, deleted.text
    assert_problem(await api.get(url, headers=cast.anna.auth), 404, "crew.not_found")
    assert_problem(await api.delete(url, headers=cast.anna.auth), 404, "crew.not_found")
