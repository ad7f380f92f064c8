"""``POST /crews/{id}/assignments``, ``DELETE /assignments/{id}``, ``POST /assignments/{id}/transfer``."""

from __future__ import annotations

import uuid

from tests.api.booking.conftest import People
from tests.api.catalog.kit import API, Cast
from tests.api.crews.conftest import Trip
from tests.api.crews.kit import assign, assigned, crew_view, new_crew
from tests.api.identity.conftest import Client, assert_problem


async def test_the_organizer_assigns_a_confirmed_participant(
    api: Client, cast: Cast, people: People, trip: Trip
) -> None:
    crew = await new_crew(api, cast.anna, trip.event_id)

    place = await assigned(api, cast.anna, crew["id"], people.pavel.id, seatNumber=2, position="paddler")

    assert {
        k: place[k] for k in ("crewId", "eventId", "crewType", "userId", "status", "seatNumber", "position")
    } == {
        "crewId": crew["id"],
        "eventId": trip.event_id,
        "crewType": "CREW",
        "userId": people.pavel.id,
        "status": "ACTIVE",
        "seatNumber": 2,
        "position": "paddler",
    }
    assert (place["assignedBy"], place["endedAt"], place["transferredTo"]) == (cast.anna.id, None, None)
    assert (await crew_view(api, cast.anna, crew["id"]))["size"] == 1


async def test_assignments_follow_the_rules(api: Client, cast: Cast, people: People, trip: Trip) -> None:
    crew = await new_crew(api, cast.anna, trip.event_id, capacity=2)
    other = await new_crew(api, cast.anna, trip.event_id, name="Other")
    first = await assigned(api, cast.anna, crew["id"], people.pavel.id, seatNumber=1)

    assert_problem(
        await assign(api, cast.anna, crew["id"], cast.vera.id), 422, "crew.participant_not_confirmed"
    )
    again = assert_problem(
        await assign(api, cast.anna, other["id"], people.pavel.id), 409, "crew.already_assigned"
    )
    assert again["existingAssignmentId"] == first["id"]
    assert_problem(
        await assign(api, cast.anna, crew["id"], people.rita.id, seatNumber=1), 409, "crew.seat_taken"
    )
    assert_problem(
        await assign(api, cast.anna, crew["id"], people.rita.id, seatNumber=3), 422, "crew.seat_out_of_range"
    )
    assert_problem(
        await assign(api, cast.anna, crew["id"], people.rita.id, seatNumber=0), 400, "validation.failed"
    )
    assert_problem(await assign(api, cast.anna, crew["id"], "not-a-uuid"), 400, "validation.failed")
    await assigned(api, cast.anna, crew["id"], people.rita.id)
    assert_problem(await assign(api, cast.anna, crew["id"], people.sasha.id), 409, "crew.full")
    assert (await crew_view(api, cast.anna, crew["id"]))["size"] == 2


async def test_only_the_organizer_assigns(api: Client, cast: Cast, people: People, trip: Trip) -> None:
    crew = await new_crew(api, cast.anna, trip.event_id)
    assert_problem(await assign(api, people.pavel, crew["id"], people.pavel.id), 403, "crew.forbidden")
    assert_problem(await assign(api, cast.boris, crew["id"], people.pavel.id), 404, "crew.not_found")
    assert_problem(await assign(api, cast.anna, str(uuid.uuid4()), people.pavel.id), 404, "crew.not_found")


async def test_unassigning_keeps_the_assignment_as_history(
    api: Client, cast: Cast, people: People, trip: Trip
) -> None:
    crew = await new_crew(api, cast.anna, trip.event_id)
    place = await assigned(api, cast.anna, crew["id"], people.pavel.id)
    url = f"{API}/assignments/{place['id']}"

    assert_problem(await api.delete(url, headers=people.pavel.auth), 403, "crew.forbidden")
    assert_problem(await api.delete(url, headers=cast.boris.auth), 404, "assignment.not_found")
    removed = await api.delete(url, headers=cast.anna.auth)
    assert removed.status_code == 200, removed.text
    assert (removed.json()["status"], removed.json()["endedBy"]) == ("REMOVED", cast.anna.id)
    assert_problem(await api.delete(url, headers=cast.anna.auth), 409, "assignment.not_active")
    assert_problem(
        await api.delete(f"{API}/assignments/{uuid.uuid4()}", headers=cast.anna.auth),
        404,
        "assignment.not_found",
    )
    organizers_view = await crew_view(api, cast.anna, crew["id"])
    assert organizers_view["members"] == []
    assert [(h["id"], h["status"], h["name"]) for h in organizers_view["history"]] == [
        (place["id"], "REMOVED", "Павел Смирнов")
    ]


async def test_a_transfer_moves_the_participant_atomically(
    api: Client, cast: Cast, people: People, trip: Trip
) -> None:
    source = await new_crew(api, cast.anna, trip.event_id, name="A")
    target = await new_crew(api, cast.anna, trip.event_id, name="B", capacity=1)
    place = await assigned(api, cast.anna, source["id"], people.pavel.id, position="helmsman")
    url = f"{API}/assignments/{place['id']}/transfer"

    moved = await api.post(url, json={"crewId": target["id"], "seatNumber": 1}, headers=cast.anna.auth)

    assert moved.status_code == 200, moved.text
    previous, current = moved.json()["previous"], moved.json()["current"]
    assert (previous["status"], previous["transferredTo"]) == ("TRANSFERRED", current["id"])
    assert (current["crewId"], current["status"], current["position"], current["seatNumber"]) == (
        target["id"],
        "ACTIVE",
        "helmsman",
        1,
    )
    assert (await crew_view(api, cast.anna, source["id"]))["size"] == 0
    assert (await crew_view(api, cast.anna, target["id"]))["size"] == 1
    assert_problem(
        await api.post(url, json={"crewId": source["id"]}, headers=cast.anna.auth),
        409,
        "assignment.not_active",
    )


async def test_transfers_that_break_a_rule_change_nothing(
    api: Client, cast: Cast, people: People, trip: Trip
) -> None:
    source = await new_crew(api, cast.anna, trip.event_id, name="A")
    full = await new_crew(api, cast.anna, trip.event_id, name="Full", capacity=1)
    tent = await new_crew(api, cast.anna, trip.event_id, name="Tent", type="TENT")
    await assigned(api, cast.anna, full["id"], people.rita.id)
    place = await assigned(api, cast.anna, source["id"], people.pavel.id)
    url = f"{API}/assignments/{place['id']}/transfer"

    async def transfer_to(crew_id: str) -> object:
        return await api.post(url, json={"crewId": crew_id}, headers=cast.anna.auth)

    assert_problem(await transfer_to(full["id"]), 409, "crew.full")
    assert_problem(await transfer_to(tent["id"]), 422, "crew.transfer_type_mismatch")
    assert_problem(await transfer_to(source["id"]), 422, "crew.transfer_same_crew")
    assert_problem(await transfer_to(str(uuid.uuid4())), 404, "crew.not_found")
    assert_problem(await api.post(url, json={}, headers=cast.anna.auth), 400, "validation.failed")
    refused = await api.post(url, json={"crewId": tent["id"]}, headers=people.pavel.auth)
    assert_problem(refused, 403, "crew.forbidden")
    members = (await crew_view(api, cast.anna, source["id"]))["members"]
    assert [(m["id"], m["status"]) for m in members] == [(place["id"], "ACTIVE")]
