"""The crews repositories behave the same on memory, SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import timedelta

import pytest

from aquastream.domain.crews.errors import AlreadyAssigned, CrewNameTaken, SeatTaken
from aquastream.domain.crews.model import (
    Assignment,
    AssignmentStatus,
    Crew,
    CrewDetails,
    CrewType,
    Preferences,
)
from aquastream.domain.shared.ids import new_id

from .kit import NOW, CrewsKit


def a_crew(
    event_id: uuid.UUID, name: str = "Boat", capacity: int = 2, crew_type: CrewType = CrewType.CREW
) -> Crew:
    details = CrewDetails(
        name, capacity, description="d", boat_type="raft" if crew_type is CrewType.CREW else None
    )
    return Crew(new_id(), event_id, crew_type, details, size=0, created_at=NOW, updated_at=NOW)


def an_assignment(crew: Crew, *, seat: int | None = None, minutes: int = 0) -> Assignment:
    return Assignment(
        id=new_id(),
        crew_id=crew.id,
        event_id=crew.event_id,
        crew_type=crew.type,
        user_id=new_id(),
        status=AssignmentStatus.ACTIVE,
        assigned_at=NOW + timedelta(minutes=minutes),
        assigned_by=None,
        seat_number=seat,
        position="paddler",
    )


async def test_crews_round_trip_in_type_and_name_order(kit: CrewsKit) -> None:
    event_id = new_id()
    tent, boat_b, boat_a = (
        a_crew(event_id, "A", crew_type=CrewType.TENT),
        a_crew(event_id, "B"),
        a_crew(event_id, "A"),
    )
    async with kit.new_uow() as uow:
        for crew in (tent, boat_b, boat_a, a_crew(new_id())):
            await uow.crews.add(crew)
        await uow.commit()
    async with kit.new_uow() as uow:
        assert await uow.crews.get(boat_a.id) == boat_a
        assert await uow.crews.list_for_event(event_id) == [boat_a, boat_b, tent]
        assert await uow.crews.list_for_event(event_id, CrewType.TENT) == [tent]
        locked = await uow.crews.lock_for_event(event_id, CrewType.CREW)
        assert locked == sorted([boat_a, boat_b], key=lambda c: c.id)
        assert await uow.crews.get(new_id()) is None


async def test_a_second_crew_with_the_same_type_and_name_is_refused(kit: CrewsKit) -> None:
    event_id = new_id()
    async with kit.new_uow() as uow:
        await uow.crews.add(a_crew(event_id, "Blue"))
        await uow.commit()
    with pytest.raises(CrewNameTaken):
        async with kit.new_uow() as uow:
            await uow.crews.add(a_crew(event_id, "Blue"))
    async with kit.new_uow() as uow:
        await uow.crews.add(a_crew(event_id, "Blue", crew_type=CrewType.TENT))
        await uow.commit()
        assert len(await uow.crews.list_for_event(event_id)) == 2


async def test_the_counter_never_passes_capacity_nor_goes_negative(kit: CrewsKit) -> None:
    crew = a_crew(new_id(), capacity=2)
    async with kit.new_uow() as uow:
        await uow.crews.add(crew)
        taken = [await uow.crews.take_seat(crew.id) for _ in range(3)]
        assert [t.size if t else None for t in taken] == [1, 2, None]
        for _ in range(3):
            await uow.crews.release_seat(crew.id)
        current = await uow.crews.get(crew.id)
        assert current is not None
        assert current.size == 0
        assert await uow.crews.take_seat(new_id()) is None


async def test_several_places_are_taken_at_once_only_when_all_fit(kit: CrewsKit) -> None:
    crew = a_crew(new_id(), capacity=5)
    async with kit.new_uow() as uow:
        await uow.crews.add(crew)
        three = await uow.crews.take_seat(crew.id, 3)
        three_more = await uow.crews.take_seat(crew.id, 3)  # only 2 free: nothing taken
        two = await uow.crews.take_seat(crew.id, 2)

    assert three is not None
    assert three.size == 3
    assert three_more is None
    assert two is not None
    assert two.size == 5


async def test_many_assignments_go_in_at_once_and_a_refused_one_is_named(kit: CrewsKit) -> None:
    event_id = new_id()
    boat, other_boat = a_crew(event_id, "A", capacity=6), a_crew(event_id, "B", capacity=6)
    placed = [an_assignment(boat, minutes=i) for i in range(4)]
    async with kit.new_uow() as uow:
        await uow.crews.add(boat)
        await uow.crews.add(other_boat)
        await uow.assignments.add_many(placed)
        await uow.assignments.add_many([])
        await uow.commit()
    async with kit.new_uow() as uow:
        active = await uow.assignments.active_for_event(event_id)
    assert sorted(a.id for a in active) == sorted(a.id for a in placed)

    again = dataclasses.replace(an_assignment(other_boat), user_id=placed[2].user_id)
    with pytest.raises(AlreadyAssigned) as refused:
        async with kit.new_uow() as uow:
            await uow.assignments.add_many([an_assignment(other_boat), again])
    assert refused.value.extra == {"existingAssignmentId": str(placed[2].id)}


async def test_an_update_respects_size_and_type_guards(kit: CrewsKit) -> None:
    event_id = new_id()
    crew, other = a_crew(event_id, capacity=3), a_crew(event_id, "Other")
    async with kit.new_uow() as uow:
        await uow.crews.add(crew)
        await uow.crews.add(other)
        await uow.crews.take_seat(crew.id)
        await uow.crews.take_seat(crew.id)
        later = NOW + timedelta(hours=1)
        assert await uow.crews.update(crew.id, CrewType.CREW, CrewDetails("Boat", 1), now=later) is None
        assert await uow.crews.update(crew.id, CrewType.TENT, CrewDetails("Boat", 3), now=later) is None
        updated = await uow.crews.update(crew.id, CrewType.CREW, CrewDetails("Renamed", 2, "new"), now=later)
        assert updated is not None
        assert (updated.name, updated.capacity, updated.size, updated.updated_at) == ("Renamed", 2, 2, later)
        assert (
            await uow.crews.update(other.id, CrewType.TABLE, CrewDetails("Table 1", 8), now=later) is not None
        )
        await uow.commit()
    async with kit.new_uow() as uow:
        await uow.crews.add(a_crew(event_id, "Other"))  # the first "Other" is "Table 1" now
        await uow.commit()
    with pytest.raises(CrewNameTaken):
        async with kit.new_uow() as uow:
            await uow.crews.update(crew.id, CrewType.CREW, CrewDetails("Other", 2), now=NOW)


async def test_only_an_empty_crew_is_deleted_with_its_history(kit: CrewsKit) -> None:
    crew = a_crew(new_id())
    async with kit.new_uow() as uow:
        await uow.crews.add(crew)
        await uow.crews.take_seat(crew.id)
        assignment = an_assignment(crew)
        await uow.assignments.add(assignment)
        assert not await uow.crews.delete_if_empty(crew.id)
        await uow.assignments.end(assignment.id, status=AssignmentStatus.REMOVED, now=NOW, actor_id=None)
        await uow.crews.release_seat(crew.id)
        assert await uow.crews.delete_if_empty(crew.id)
        await uow.commit()
    async with kit.new_uow() as uow:
        assert await uow.crews.get(crew.id) is None
        assert await uow.assignments.get(assignment.id) is None


async def test_one_active_place_per_type_and_one_person_per_seat(kit: CrewsKit) -> None:
    event_id = new_id()
    boat, other_boat, tent = (
        a_crew(event_id, "A"),
        a_crew(event_id, "B"),
        a_crew(event_id, "T", crew_type=CrewType.TENT),
    )
    first = an_assignment(boat, seat=1)
    async with kit.new_uow() as uow:
        for crew in (boat, other_boat, tent):
            await uow.crews.add(crew)
        await uow.assignments.add(first)
        await uow.commit()
    duplicate = dataclasses.replace(an_assignment(other_boat), user_id=first.user_id)
    with pytest.raises(AlreadyAssigned) as refused:
        async with kit.new_uow() as uow:
            await uow.assignments.add(duplicate)
    assert refused.value.extra == {"existingAssignmentId": str(first.id)}
    with pytest.raises(SeatTaken):
        async with kit.new_uow() as uow:
            await uow.assignments.add(an_assignment(boat, seat=1))
    async with kit.new_uow() as uow:
        await uow.assignments.add(dataclasses.replace(an_assignment(tent), user_id=first.user_id))
        await uow.assignments.end(first.id, status=AssignmentStatus.REMOVED, now=NOW, actor_id=None)
        await uow.assignments.add(duplicate)  # the first place ended: a new one is fine
        await uow.assignments.add(an_assignment(boat, seat=1))  # and its seat is free again
        await uow.commit()


async def test_ending_keeps_the_row_and_happens_once(kit: CrewsKit) -> None:
    crew = a_crew(new_id())
    assignment = an_assignment(crew)
    actor, successor = new_id(), new_id()
    async with kit.new_uow() as uow:
        await uow.crews.add(crew)
        await uow.assignments.add(assignment)
        ended = await uow.assignments.end(
            assignment.id,
            status=AssignmentStatus.TRANSFERRED,
            now=NOW,
            actor_id=actor,
            transferred_to=successor,
        )
        assert ended is not None
        assert (ended.status, ended.ended_at, ended.ended_by, ended.transferred_to) == (
            AssignmentStatus.TRANSFERRED,
            NOW,
            actor,
            successor,
        )
        assert (
            await uow.assignments.end(assignment.id, status=AssignmentStatus.REMOVED, now=NOW, actor_id=None)
            is None
        )
        await uow.commit()
    async with kit.new_uow() as uow:
        assert await uow.assignments.get(assignment.id) == ended
        assert await uow.assignments.history_of_crew(crew.id) == [ended]
        assert await uow.assignments.active_for_event(crew.event_id) == []


async def test_active_places_come_by_crew_then_seat_with_unnumbered_last(kit: CrewsKit) -> None:
    event_id = new_id()
    boat, tent = a_crew(event_id, capacity=5), a_crew(event_id, "T", crew_type=CrewType.TENT)
    unnumbered, second, first = (
        an_assignment(boat, minutes=0),
        an_assignment(boat, seat=2, minutes=1),
        an_assignment(boat, seat=1, minutes=2),
    )
    camper = an_assignment(tent)
    async with kit.new_uow() as uow:
        await uow.crews.add(boat)
        await uow.crews.add(tent)
        for assignment in (unnumbered, second, first, camper):
            await uow.assignments.add(assignment)
        await uow.commit()
    async with kit.new_uow() as uow:
        in_boat = await uow.assignments.active_for_event(event_id, CrewType.CREW)
        assert [a.id for a in in_boat] == [first.id, second.id, unnumbered.id]
        everyone = await uow.assignments.active_for_event(event_id)
        assert {a.id for a in everyone} == {first.id, second.id, unnumbered.id, camper.id}
        assert await uow.assignments.active_for_user(event_id, camper.user_id) == [camper]


async def test_preferences_are_replaced_whole_and_listed_by_user(kit: CrewsKit) -> None:
    event_id = new_id()
    a, b, c, d = sorted(new_id() for _ in range(4))
    async with kit.new_uow() as uow:
        await uow.preferences.put(Preferences(event_id, b, prefer=(d, c), avoid=(a,)), now=NOW)
        await uow.preferences.put(Preferences(event_id, a, prefer=(b,)), now=NOW)
        await uow.preferences.put(Preferences(new_id(), a, prefer=(c,)), now=NOW)
        await uow.commit()
    async with kit.new_uow() as uow:
        assert await uow.preferences.get(event_id, b) == Preferences(event_id, b, (d, c), (a,))
        assert await uow.preferences.for_event(event_id) == [
            Preferences(event_id, a, (b,), ()),
            Preferences(event_id, b, (d, c), (a,)),
        ]
        await uow.preferences.put(Preferences(event_id, b), now=NOW)
        await uow.commit()
    async with kit.new_uow() as uow:
        assert await uow.preferences.get(event_id, b) == Preferences(event_id, b)
        assert await uow.preferences.get(event_id, c) == Preferences(event_id, c)
        assert [p.user_id for p in await uow.preferences.for_event(event_id)] == [a]


async def test_a_users_places_in_every_event_are_listed_oldest_first_ended_ones_too(kit: CrewsKit) -> None:
    rafting, hike = a_crew(new_id()), a_crew(new_id(), crew_type=CrewType.TENT)
    earlier = an_assignment(hike, minutes=0)
    later = dataclasses.replace(an_assignment(rafting, minutes=5), user_id=earlier.user_id)
    async with kit.new_uow() as uow:
        await uow.crews.add(rafting)
        await uow.crews.add(hike)
        for assignment in (later, earlier, an_assignment(rafting)):
            await uow.assignments.add(assignment)
        ended = await uow.assignments.end(later.id, status=AssignmentStatus.REMOVED, now=NOW, actor_id=None)
        await uow.commit()
    async with kit.new_uow() as uow:
        assert await uow.assignments.list_for_user(earlier.user_id) == [earlier, ended]
        assert await uow.assignments.list_for_user(new_id()) == []


async def test_a_users_preferences_are_listed_by_event_and_deleted_leaving_others_lists(
    kit: CrewsKit,
) -> None:
    first, second = sorted(new_id() for _ in range(2))
    me, mate = new_id(), new_id()
    async with kit.new_uow() as uow:
        await uow.preferences.put(Preferences(second, me, avoid=(mate,)), now=NOW)
        await uow.preferences.put(Preferences(first, me, prefer=(mate,)), now=NOW)
        await uow.preferences.put(Preferences(first, mate, prefer=(me,)), now=NOW)
        await uow.commit()
    async with kit.new_uow() as uow:
        assert await uow.preferences.for_user(me) == [
            Preferences(first, me, (mate,), ()),
            Preferences(second, me, (), (mate,)),
        ]
        await uow.preferences.delete_for_user(me)
        await uow.preferences.delete_for_user(me)
        await uow.commit()
    async with kit.new_uow() as uow:
        assert await uow.preferences.for_user(me) == []
        assert await uow.preferences.get(first, me) == Preferences(first, me)
        assert await uow.preferences.for_user(mate) == [Preferences(first, mate, (me,), ())]
