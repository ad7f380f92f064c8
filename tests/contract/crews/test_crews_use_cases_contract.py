"""The crews use cases on every backend: what they write, read back through the adapters."""

from __future__ import annotations

import pytest

from aquastream.domain.crews.crews import CrewChanges
from aquastream.domain.crews.errors import (
    AlreadyAssigned,
    CapacityBelowSize,
    CrewFull,
    ParticipantNotConfirmed,
)
from aquastream.domain.crews.model import AssignmentStatus
from aquastream.domain.shared.ids import new_id

from .kit import CrewsKit


async def test_assign_transfer_and_unassign_keep_counters_and_history(kit: CrewsKit) -> None:
    event_id = await kit.new_event()
    source, target = await kit.crew(event_id, "A", 2), await kit.crew(event_id, "B", 1)
    pavel, rita = await kit.booking(event_id), await kit.booking(event_id)
    first = await kit.assign(source.id, pavel, seat_number=1, position="helmsman")
    kit.clock.advance(minutes=1)  # history is in assignment order
    await kit.assign(source.id, rita)

    moved = await kit.transfer(first.id, target.id)
    with pytest.raises(CrewFull):
        await kit.assign(target.id, await kit.booking(event_id))
    removed = await kit.unassign(moved.current.id)

    assert moved.current.position == "helmsman"
    assert removed.status is AssignmentStatus.REMOVED
    uow = kit.new_uow()
    async with uow:
        history = await uow.assignments.history_of_crew(source.id)
        assert [(a.user_id, a.status) for a in history] == [
            (pavel.user_id, AssignmentStatus.TRANSFERRED),
            (rita.user_id, AssignmentStatus.ACTIVE),
        ]
        assert history[0].transferred_to == moved.current.id
    assert await kit.history_count() == 3
    await kit.check_invariants()


async def test_assignments_need_a_confirmed_booking_and_one_per_type(kit: CrewsKit) -> None:
    event_id = await kit.new_event()
    boat, other = await kit.crew(event_id, "A"), await kit.crew(event_id, "B")
    pending = await kit.booking(event_id, "PENDING")
    with pytest.raises(ParticipantNotConfirmed):
        await kit.assign(boat.id, pending)
    user = await kit.booking(event_id)
    await kit.assign(boat.id, user)
    with pytest.raises(AlreadyAssigned):
        await kit.assign(other.id, user)
    await kit.check_invariants()


async def test_a_cancelled_booking_frees_the_place_once(kit: CrewsKit) -> None:
    event_id = await kit.new_event()
    boat = await kit.crew(event_id)
    user = await kit.booking(event_id)
    await kit.assign(boat.id, user)

    # An older booking of the user ended: this one still confirms them, the place is kept.
    assert await kit.release(event_id, user.user_id, booking_id=new_id()) == 0
    assert await kit.release(event_id, user.user_id) == 1
    assert await kit.release(event_id, user.user_id) == 0
    assert await kit.active_count(boat.id) == 0
    await kit.check_invariants()


async def test_capacity_edits_are_checked_against_the_stored_size(kit: CrewsKit) -> None:
    event_id = await kit.new_event()
    boat = await kit.crew(event_id, capacity=3)
    for _ in range(2):
        await kit.assign(boat.id, await kit.booking(event_id))
    with pytest.raises(CapacityBelowSize):
        await kit.update(boat.id, CrewChanges(capacity=1))
    assert (await kit.update(boat.id, CrewChanges(capacity=2))).capacity == 2


async def test_auto_assignment_applies_the_plan_with_preferences(kit: CrewsKit) -> None:
    event_id = await kit.new_event()
    boats = [await kit.crew(event_id, f"Boat {i}", 3) for i in range(3)]
    people = [await kit.booking(event_id) for _ in range(8)]
    await kit.prefer(people[0], event_id, [people[7].user_id], [people[1].user_id])

    preview = await kit.auto_assign(event_id, dry_run=True)
    assert await kit.active_count() == 0
    applied = await kit.auto_assign(event_id)

    assert applied.plan == preview.plan
    assert len(applied.plan.placements) == 8
    assert (applied.plan.preferences_satisfied, applied.plan.preferences_considered) == (1, 1)
    where = {p.user_id: p.crew_id for p in applied.plan.placements}
    assert where[people[0].user_id] == where[people[7].user_id] != where[people[1].user_id]
    assert sorted([await kit.active_count(b.id) for b in boats]) == [2, 3, 3]
    await kit.check_invariants()


async def test_a_refused_transfer_leaves_everything_as_it_was(kit: CrewsKit) -> None:
    event_id = await kit.new_event()
    source, full = await kit.crew(event_id, "A", 2), await kit.crew(event_id, "B", 1)
    await kit.assign(full.id, await kit.booking(event_id))
    place = await kit.assign(source.id, await kit.booking(event_id))

    with pytest.raises(CrewFull):
        await kit.transfer(place.id, full.id)

    uow = kit.new_uow()
    async with uow:
        assert await uow.assignments.get(place.id) == place
    assert (await kit.active_count(source.id), await kit.active_count(full.id)) == (1, 1)
    assert await kit.history_count() == 2
    await kit.check_invariants()
