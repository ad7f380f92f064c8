"""Creating, editing and deleting crews: who may, and the rules on names, capacity, type and details."""

from __future__ import annotations

import pytest

from aquastream.domain.crews.crews import CrewChanges
from aquastream.domain.crews.errors import (
    CapacityBelowSize,
    CrewForbidden,
    CrewNameTaken,
    CrewNotEmpty,
    CrewNotFound,
    CrewTypeLocked,
    DetailsMismatch,
    EventClosed,
    EventNotFound,
)
from aquastream.domain.crews.model import CrewDetails, CrewType
from aquastream.domain.shared.errors import ValidationFailed
from aquastream.domain.shared.ids import new_id
from tests.unit.crews.crews_world import CrewsWorld


async def test_organizer_creates_a_boat_with_its_details(world: CrewsWorld) -> None:
    event_id = world.new_event()

    crew = await world.crew(
        event_id, "  Raft Alpha ", capacity=6, boat_type="raft", boat_number="7", boat_condition="new"
    )

    assert (crew.name, crew.capacity, crew.size, crew.type) == ("Raft Alpha", 6, 0, CrewType.CREW)
    assert (crew.details.boat_type, crew.details.boat_number, crew.details.boat_condition) == (
        "raft",
        "7",
        "new",
    )
    assert world.stored_crew(crew.id) == crew


async def test_an_admin_may_create_a_crew_for_any_event(world: CrewsWorld) -> None:
    event_id = world.new_event()
    crew = await world.create_crew(world.admin, event_id, CrewType.BUS, CrewDetails("Bus", 40))
    assert crew.type is CrewType.BUS


async def test_only_the_organizer_of_the_event_creates_crews(world: CrewsWorld) -> None:
    event_id = world.new_event()
    participant = world.participant(event_id)
    for outsider in (world.rival, participant):
        with pytest.raises(CrewForbidden):
            await world.create_crew(outsider, event_id, CrewType.CREW, CrewDetails("Boat", 4))
    assert await world.list_crews(world.organizer, event_id) == []


async def test_a_crew_needs_an_existing_open_event(world: CrewsWorld) -> None:
    with pytest.raises(EventNotFound):
        await world.crew(new_id())
    closed = world.new_event(is_open=False)
    with pytest.raises(EventClosed):
        await world.crew(closed)


async def test_names_are_unique_within_event_and_type(world: CrewsWorld) -> None:
    event_id = world.new_event()
    await world.crew(event_id, "Blue")

    with pytest.raises(CrewNameTaken):
        await world.crew(event_id, "Blue")
    tent = await world.crew(event_id, "Blue", CrewType.TENT)
    other_event = await world.crew(world.new_event(), "Blue")
    assert tent.name == other_event.name == "Blue"


async def test_details_must_fit_the_type(world: CrewsWorld) -> None:
    event_id = world.new_event()
    with pytest.raises(DetailsMismatch) as refused:
        await world.crew(event_id, crew_type=CrewType.CREW, tent_details="2 places")
    assert [e.field for e in refused.value.errors] == ["tentDetails"]
    with pytest.raises(DetailsMismatch) as refused:
        await world.crew(event_id, crew_type=CrewType.TABLE, boat_type="raft", boat_number="1")
    assert [e.field for e in refused.value.errors] == ["boatType", "boatNumber"]
    tent = await world.crew(event_id, "T1", CrewType.TENT, tent_details="Nordway 3, brought by Anna")
    assert tent.details.tent_details == "Nordway 3, brought by Anna"


async def test_a_blank_name_or_no_capacity_is_refused(world: CrewsWorld) -> None:
    event_id = world.new_event()
    with pytest.raises(ValidationFailed) as refused:
        await world.crew(event_id, "   ", capacity=0)
    assert {e.field for e in refused.value.errors} == {"name", "capacity"}


async def test_capacity_never_goes_below_the_people_assigned(world: CrewsWorld) -> None:
    event_id = world.new_event()
    crew = await world.crew(event_id, capacity=4)
    for _ in range(2):
        await world.seat(crew, world.participant(event_id))

    with pytest.raises(CapacityBelowSize) as refused:
        await world.update_crew(world.organizer, crew.id, CrewChanges(capacity=1))
    assert refused.value.extra == {"size": 2}
    shrunk = await world.update_crew(
        world.organizer, crew.id, CrewChanges(capacity=2, description="Two paddlers")
    )
    assert (shrunk.capacity, shrunk.size, shrunk.details.description) == (2, 2, "Two paddlers")


async def test_the_type_changes_only_while_nobody_is_assigned(world: CrewsWorld) -> None:
    event_id = world.new_event()
    crew = await world.crew(event_id, boat_type="kayak")

    with pytest.raises(DetailsMismatch):
        await world.update_crew(world.organizer, crew.id, CrewChanges(type=CrewType.TENT))
    tent = await world.update_crew(world.organizer, crew.id, CrewChanges(type=CrewType.TENT, boat_type=None))
    assert tent.type is CrewType.TENT
    await world.seat(tent, world.participant(event_id))

    with pytest.raises(CrewTypeLocked):
        await world.update_crew(world.organizer, crew.id, CrewChanges(type=CrewType.BUS))
    assert world.stored_crew(crew.id).type is CrewType.TENT


async def test_renaming_to_a_taken_name_is_refused(world: CrewsWorld) -> None:
    event_id = world.new_event()
    await world.crew(event_id, "Blue")
    red = await world.crew(event_id, "Red")
    with pytest.raises(CrewNameTaken):
        await world.update_crew(world.organizer, red.id, CrewChanges(name="Blue"))
    assert world.stored_crew(red.id).name == "Red"


async def test_participants_may_not_edit_and_strangers_do_not_see_the_crew(world: CrewsWorld) -> None:
    event_id = world.new_event()
    crew = await world.crew(event_id)
    with pytest.raises(CrewForbidden):
        await world.update_crew(world.participant(event_id), crew.id, CrewChanges(name="Mine"))
    with pytest.raises(CrewNotFound):
        await world.update_crew(world.rival, crew.id, CrewChanges(name="Mine"))
    with pytest.raises(CrewNotFound):
        await world.delete_crew(world.organizer, new_id())


async def test_only_an_empty_crew_is_deleted_and_its_history_goes_with_it(world: CrewsWorld) -> None:
    event_id = world.new_event()
    crew = await world.crew(event_id)
    assignment = await world.seat(crew, world.participant(event_id))

    with pytest.raises(CrewNotEmpty):
        await world.delete_crew(world.organizer, crew.id)
    await world.unassign(world.organizer, assignment.id)
    await world.delete_crew(world.organizer, crew.id)

    assert await world.list_crews(world.organizer, event_id) == []
    assert assignment.id not in world.db.table("crews.assignments")


async def test_crews_of_a_closed_event_are_read_only(world: CrewsWorld) -> None:
    event_id = world.new_event()
    crew = await world.crew(event_id)
    world.close(event_id)
    with pytest.raises(EventClosed):
        await world.update_crew(world.organizer, crew.id, CrewChanges(name="Late"))
    with pytest.raises(EventClosed):
        await world.delete_crew(world.organizer, crew.id)
