"""The crews domain's part of a user's data export, and what a deleted account leaves behind."""

from __future__ import annotations

from aquastream.domain.crews.model import CrewType, Participation, Preferences
from aquastream.domain.crews.privacy import ExportMyCrewData, ForgetCrewsUser
from aquastream.domain.shared.privacy import ERASED_NAME
from tests.unit.crews.crews_world import CrewsWorld


async def test_export_holds_every_place_and_the_users_own_preferences(world: CrewsWorld) -> None:
    rafting, hike = world.new_event(), world.new_event()
    me, mate = world.participant(rafting), world.participant(rafting)
    world.participants.set(hike, me.user_id, Participation.CONFIRMED)
    boat = await world.crew(rafting, "Boat 1")
    tent = await world.crew(hike, "Tent 7", CrewType.TENT, capacity=3)
    ended = await world.seat(boat, me, seat_number=2)
    await world.unassign(world.organizer, ended.id)
    await world.seat(tent, me)
    await world.seat(boat, mate)
    await world.set_preferences(me, rafting, [mate.user_id], [])
    await world.set_preferences(mate, rafting, [], [me.user_id])

    section = await ExportMyCrewData(world.new_uow())(me.user_id)

    places = [(a["crewName"], a["crewType"], a["status"], a["seatNumber"]) for a in section["assignments"]]
    assert places == [("Boat 1", "CREW", "REMOVED", 2), ("Tent 7", "TENT", "ACTIVE", None)]
    assert section["assignments"][0]["endedAt"].endswith("Z")
    assert section["preferences"] == [{"eventId": str(rafting), "prefer": [str(mate.user_id)], "avoid": []}]


async def test_forgetting_a_user_drops_their_preferences_and_keeps_the_seating_history(
    world: CrewsWorld,
) -> None:
    rafting, hike = world.new_event(), world.new_event()
    me, mate = world.participant(rafting), world.participant(rafting)
    for user in (me, mate):
        world.participants.set(hike, user.user_id, Participation.CONFIRMED)
    boat = await world.crew(rafting)
    await world.seat(boat, me)
    await world.set_preferences(me, rafting, [mate.user_id], [])
    await world.set_preferences(me, hike, [], [mate.user_id])
    await world.set_preferences(mate, rafting, [me.user_id], [])
    forget = ForgetCrewsUser(world.new_uow(), world.participants)

    await forget(me.user_id)
    await forget(me.user_id)

    section = await ExportMyCrewData(world.new_uow())(me.user_id)
    assert section["preferences"] == []
    assert [a["status"] for a in section["assignments"]] == ["ACTIVE"]
    async with world.new_uow() as uow:
        assert await uow.preferences.for_user(mate.user_id) == [
            Preferences(rafting, mate.user_id, (me.user_id,))
        ]


async def test_forgetting_a_user_erases_the_names_of_their_companions(world: CrewsWorld) -> None:
    rafting = world.new_event()
    me, mate = world.participant(rafting), world.participant(rafting)
    world.participants.set(rafting, me.user_id, Participation.CONFIRMED, companions=2)
    world.participants.set(rafting, mate.user_id, Participation.CONFIRMED, companions=1)

    await ForgetCrewsUser(world.new_uow(), world.participants)(me.user_id)

    assert await world.participants.companions(rafting) == {
        (me.user_id, 1): ERASED_NAME,
        (me.user_id, 2): ERASED_NAME,
        (mate.user_id, 1): "Companion 1",
    }
