"""The auto-assign use case: preview, apply, what it reports and who may run it."""

from __future__ import annotations

import pytest

from aquastream.domain.crews.errors import CrewForbidden, EventClosed
from aquastream.domain.crews.model import CrewType, Participation
from aquastream.domain.crews.planning import UnplacedReason
from tests.unit.crews.crews_world import CrewsWorld


async def test_a_dry_run_reports_the_plan_and_writes_nothing(world: CrewsWorld) -> None:
    event_id = world.new_event()
    boats = [await world.crew(event_id, f"Boat {i}", capacity=2) for i in range(2)]
    users = [world.participant(event_id) for _ in range(3)]

    report = await world.auto_assign(world.organizer, event_id, CrewType.CREW, dry_run=True)

    assert not report.applied
    assert sorted(p.user_id for p in report.plan.placements) == sorted(u.user_id for u in users)
    assert report.assignment_ids == {}
    assert [world.stored_crew(b.id).size for b in boats] == [0, 0]
    assert world.outbox() == []
    again = await world.auto_assign(world.organizer, event_id, CrewType.CREW, dry_run=True)
    assert again.plan == report.plan


async def test_applying_places_the_unassigned_and_reports_the_rest(world: CrewsWorld) -> None:
    event_id = world.new_event()
    boat = await world.crew(event_id, "Boat", capacity=3)
    small = await world.crew(event_id, "Small boat", capacity=1)
    await world.crew(event_id, "Tent", CrewType.TENT, capacity=9)
    seated = world.participant(event_id)
    await world.seat(boat, seated)
    users = [world.participant(event_id) for _ in range(4)]
    # A pair that wants to join someone already seated goes first, and whole.
    await world.set_preferences(users[0], event_id, [seated.user_id, users[1].user_id], [])

    report = await world.auto_assign(world.organizer, event_id, CrewType.CREW, dry_run=False)

    assert report.applied
    assert len(report.plan.placements) == 3
    assert [u.reason for u in report.plan.unplaced] == [UnplacedReason.NO_FREE_SEAT]
    assert (report.plan.preferences_satisfied, report.plan.preferences_considered) == (2, 2)
    assert (world.stored_crew(boat.id).size, world.stored_crew(small.id).size) == (3, 1)
    assert set(report.assignment_ids) == {p.user_id for p in report.plan.placements}
    assert {users[0].user_id, users[1].user_id} <= set(report.assignment_ids)
    assert world.outbox_names().count("CrewAssigned") == 4  # the manual one and three placed
    world.check_sizes()
    second = await world.auto_assign(world.organizer, event_id, CrewType.CREW, dry_run=False)
    assert second.plan.placements == ()


async def test_avoid_pairs_are_kept_apart_when_applied(world: CrewsWorld) -> None:
    event_id = world.new_event()
    boats = [await world.crew(event_id, f"Boat {i}", capacity=2) for i in range(2)]
    a, b, c, d = (world.participant(event_id) for _ in range(4))
    await world.set_preferences(a, event_id, [b.user_id], [c.user_id])
    await world.set_preferences(d, event_id, [], [b.user_id])

    await world.auto_assign(world.organizer, event_id, CrewType.CREW, dry_run=False)

    crews_of = {
        m.user_id: view.crew.id
        for view in await world.list_crews(world.organizer, event_id)
        for m in view.members
    }
    assert crews_of[a.user_id] == crews_of[b.user_id] != crews_of[c.user_id] == crews_of[d.user_id]
    assert {world.stored_crew(b_.id).size for b_ in boats} == {2}


async def test_only_the_organizer_auto_assigns_an_open_event(world: CrewsWorld) -> None:
    event_id = world.new_event()
    with pytest.raises(CrewForbidden):
        await world.auto_assign(world.participant(event_id), event_id, CrewType.CREW, dry_run=True)
    world.close(event_id)
    with pytest.raises(EventClosed):
        await world.auto_assign(world.organizer, event_id, CrewType.CREW, dry_run=True)


async def test_wishes_about_people_no_longer_confirmed_are_not_counted(world: CrewsWorld) -> None:
    event_id = world.new_event()
    await world.crew(event_id, capacity=4)
    me, friend, gone = (world.participant(event_id) for _ in range(3))
    await world.set_preferences(me, event_id, [friend.user_id, gone.user_id], [])
    await world.set_preferences(gone, event_id, [me.user_id], [])
    world.participants.set(event_id, gone.user_id, Participation.NONE)

    report = await world.auto_assign(world.organizer, event_id, CrewType.CREW, dry_run=True)

    assert {p.user_id for p in report.plan.placements} == {me.user_id, friend.user_id}
    assert (report.plan.preferences_satisfied, report.plan.preferences_considered) == (1, 1)
