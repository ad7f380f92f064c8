"""Assign, unassign, transfer, and the removal when a booking stops being confirmed."""

from __future__ import annotations

import pytest

from aquastream.domain.crews.errors import (
    AlreadyAssigned,
    AssignmentNotActive,
    AssignmentNotFound,
    CrewForbidden,
    CrewFull,
    CrewNotFound,
    EventClosed,
    ParticipantNotConfirmed,
    SeatOutOfRange,
    SeatTaken,
    TransferToSameCrew,
    TransferTypeMismatch,
)
from aquastream.domain.crews.events import CrewAssigned, CrewAssignmentEnded
from aquastream.domain.crews.model import AssignmentStatus, CrewType, Participation, Standing
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.principal import Principal, Role
from tests.unit.crews.crews_world import CrewsWorld


async def test_a_confirmed_participant_gets_a_place_and_is_told(world: CrewsWorld) -> None:
    event_id = world.new_event()
    crew = await world.crew(event_id, "Raft Alpha")
    user = world.participant(event_id)

    assignment = await world.seat(crew, user, seat_number=2, position="helmsman")

    assert (assignment.status, assignment.seat_number, assignment.position) == (
        AssignmentStatus.ACTIVE,
        2,
        "helmsman",
    )
    assert (assignment.crew_type, assignment.assigned_by) == (CrewType.CREW, world.organizer.user_id)
    assert world.stored_crew(crew.id).size == 1
    (told,) = world.outbox()
    assert isinstance(told, CrewAssigned)
    assert (told.user_id, told.event_id, told.crew_name, told.crew_type, told.seat_number) == (
        user.user_id,
        event_id,
        "Raft Alpha",
        "CREW",
        2,
    )


@pytest.mark.parametrize("status", [Participation.NONE, Participation.COMPLETED])
async def test_only_confirmed_participants_are_assigned(world: CrewsWorld, status: Participation) -> None:
    event_id = world.new_event()
    crew = await world.crew(event_id)
    with pytest.raises(ParticipantNotConfirmed):
        await world.seat(crew, world.participant(event_id, status))
    assert world.stored_crew(crew.id).size == 0
    assert world.outbox() == []


async def test_one_place_per_crew_type_but_a_boat_a_tent_and_a_bus_seat(world: CrewsWorld) -> None:
    event_id = world.new_event()
    boat, other_boat = await world.crew(event_id, "A"), await world.crew(event_id, "B")
    tent = await world.crew(event_id, "T", CrewType.TENT)
    bus = await world.crew(event_id, "Bus", CrewType.BUS, capacity=30)
    user = world.participant(event_id)
    first = await world.seat(boat, user)

    with pytest.raises(AlreadyAssigned) as refused:
        await world.seat(other_boat, user)
    assert refused.value.extra == {"existingAssignmentId": str(first.id)}
    await world.seat(tent, user)
    await world.seat(bus, user)
    assert [world.stored_crew(c.id).size for c in (boat, other_boat, tent, bus)] == [1, 0, 1, 1]


async def test_a_full_crew_takes_nobody_more(world: CrewsWorld) -> None:
    event_id = world.new_event()
    crew = await world.crew(event_id, capacity=2)
    for _ in range(2):
        await world.seat(crew, world.participant(event_id))
    with pytest.raises(CrewFull):
        await world.seat(crew, world.participant(event_id))
    world.check_sizes()


async def test_seat_numbers_are_unique_and_within_capacity(world: CrewsWorld) -> None:
    event_id = world.new_event()
    crew = await world.crew(event_id, capacity=3)
    await world.seat(crew, world.participant(event_id), seat_number=1)

    with pytest.raises(SeatTaken):
        await world.seat(crew, world.participant(event_id), seat_number=1)
    with pytest.raises(SeatOutOfRange):
        await world.seat(crew, world.participant(event_id), seat_number=4)
    assert world.stored_crew(crew.id).size == 1
    world.check_sizes()


async def test_unassigning_keeps_the_history_and_frees_the_place(world: CrewsWorld) -> None:
    event_id = world.new_event()
    crew = await world.crew(event_id, capacity=1)
    user = world.participant(event_id)
    assignment = await world.seat(crew, user)

    removed = await world.unassign(world.organizer, assignment.id)

    assert (removed.status, removed.ended_by, removed.ended_at) == (
        AssignmentStatus.REMOVED,
        world.organizer.user_id,
        world.clock.now(),
    )
    assert world.stored_crew(crew.id).size == 0
    assert world.outbox_names() == ["CrewAssigned", "CrewAssignmentEnded"]
    with pytest.raises(AssignmentNotActive):
        await world.unassign(world.organizer, assignment.id)
    world.clock.advance(minutes=1)  # history is in assignment order
    again = await world.seat(crew, user)
    async with world.new_uow() as uow:
        history = await uow.assignments.history_of_crew(crew.id)
    assert [a.id for a in history] == [assignment.id, again.id]


async def test_only_the_organizer_ends_assignments(world: CrewsWorld) -> None:
    event_id = world.new_event()
    crew = await world.crew(event_id)
    user = world.participant(event_id)
    assignment = await world.seat(crew, user)

    with pytest.raises(CrewForbidden):
        await world.unassign(user, assignment.id)
    with pytest.raises(AssignmentNotFound):
        await world.unassign(world.rival, assignment.id)
    with pytest.raises(AssignmentNotFound):
        await world.unassign(world.organizer, new_id())
    world.close(event_id)
    with pytest.raises(EventClosed):
        await world.unassign(world.organizer, assignment.id)


async def test_a_transfer_moves_the_person_and_keeps_the_trail(world: CrewsWorld) -> None:
    event_id = world.new_event()
    source, target = await world.crew(event_id, "A"), await world.crew(event_id, "B")
    user = world.participant(event_id)
    first = await world.seat(source, user, seat_number=1, position="paddler")

    moved = await world.transfer(world.organizer, first.id, target.id)

    assert moved.previous.status is AssignmentStatus.TRANSFERRED
    assert moved.previous.transferred_to == moved.current.id
    assert (
        moved.current.crew_id,
        moved.current.status,
        moved.current.position,
        moved.current.seat_number,
    ) == (
        target.id,
        AssignmentStatus.ACTIVE,
        "paddler",
        None,
    )
    assert (world.stored_crew(source.id).size, world.stored_crew(target.id).size) == (0, 1)
    ended, assigned = world.outbox()[-2:]
    assert isinstance(ended, CrewAssignmentEnded)
    assert ended.status == "TRANSFERRED"
    assert isinstance(assigned, CrewAssigned)
    assert assigned.crew_name == "B"
    world.check_sizes()


async def test_a_transfer_into_a_full_crew_changes_nothing(world: CrewsWorld) -> None:
    event_id = world.new_event()
    source, target = await world.crew(event_id, "A"), await world.crew(event_id, "B", capacity=1)
    await world.seat(target, world.participant(event_id))
    assignment = await world.seat(source, world.participant(event_id))

    with pytest.raises(CrewFull):
        await world.transfer(world.organizer, assignment.id, target.id, position="helmsman")

    assert world.stored_assignment(assignment.id).is_active
    assert (world.stored_crew(source.id).size, world.stored_crew(target.id).size) == (1, 1)


async def test_a_transfer_stays_within_the_type_and_the_event(world: CrewsWorld) -> None:
    event_id = world.new_event()
    boat = await world.crew(event_id, "A")
    tent = await world.crew(event_id, "T", CrewType.TENT)
    elsewhere = await world.crew(world.new_event(), "Other")
    assignment = await world.seat(boat, world.participant(event_id))

    with pytest.raises(TransferTypeMismatch):
        await world.transfer(world.organizer, assignment.id, tent.id)
    with pytest.raises(TransferToSameCrew):
        await world.transfer(world.organizer, assignment.id, boat.id)
    with pytest.raises(CrewNotFound):
        await world.transfer(world.organizer, assignment.id, elsewhere.id)
    await world.unassign(world.organizer, assignment.id)
    with pytest.raises(AssignmentNotActive):
        await world.transfer(world.organizer, assignment.id, tent.id)


async def test_a_transfer_needs_a_still_confirmed_participant(world: CrewsWorld) -> None:
    event_id = world.new_event()
    source, target = await world.crew(event_id, "A"), await world.crew(event_id, "B")
    user = world.participant(event_id)
    assignment = await world.seat(source, user)
    world.participants.set(event_id, user.user_id, Participation.NONE)

    with pytest.raises(ParticipantNotConfirmed):
        await world.transfer(world.organizer, assignment.id, target.id)
    assert world.stored_assignment(assignment.id).is_active


async def test_an_ended_booking_frees_every_place_of_its_owner_once(world: CrewsWorld) -> None:
    event_id = world.new_event()
    boat = await world.crew(event_id)
    tent = await world.crew(event_id, "T", CrewType.TENT)
    user, other = world.participant(event_id), world.participant(event_id)
    places = [await world.seat(boat, user), await world.seat(tent, user), await world.seat(boat, other)]
    booking_id = world.participants.booking_of(event_id, user.user_id)

    assert await world.release(booking_id, event_id, user.user_id) == 2
    assert await world.release(booking_id, event_id, user.user_id) == 0  # delivered again: nothing more
    assert await world.participants.participation(event_id, user.user_id) is Participation.NONE

    statuses = [world.stored_assignment(a.id).status for a in places]
    assert statuses == [AssignmentStatus.REMOVED, AssignmentStatus.REMOVED, AssignmentStatus.ACTIVE]
    assert world.stored_assignment(places[0].id).ended_by is None
    assert (world.stored_crew(boat.id).size, world.stored_crew(tent.id).size) == (1, 0)
    assert world.outbox_names().count("CrewAssignmentEnded") == 2


async def test_a_late_delivery_spares_someone_who_is_confirmed_again(world: CrewsWorld) -> None:
    event_id = world.new_event()
    boat = await world.crew(event_id)
    user = world.participant(event_id)
    assignment = await world.seat(boat, user)  # booked anew and confirmed since the old booking ended

    assert await world.release(new_id(), event_id, user.user_id) == 0
    assert world.stored_assignment(assignment.id).is_active


async def test_a_confirmed_booking_filed_from_its_fact_may_be_assigned(world: CrewsWorld) -> None:
    event_id = world.new_event()
    boat = await world.crew(event_id)
    user, booking_id = Principal(new_id(), Role.USER), new_id()
    with pytest.raises(ParticipantNotConfirmed):
        await world.assign(world.organizer, boat.id, user.user_id)

    await world.file(booking_id, event_id, user.user_id, Standing.CONFIRMED)
    await world.file(booking_id, event_id, user.user_id, Standing.CONFIRMED)  # delivered again

    assert (await world.assign(world.organizer, boat.id, user.user_id)).is_active


async def test_a_late_confirmation_never_undoes_a_cancellation(world: CrewsWorld) -> None:
    event_id = world.new_event()
    user_id, booking_id = new_id(), new_id()
    await world.file(booking_id, event_id, user_id, Standing.CONFIRMED)
    await world.release(booking_id, event_id, user_id)

    await world.file(booking_id, event_id, user_id, Standing.CONFIRMED)  # an old fact, redelivered

    assert await world.participants.participation(event_id, user_id) is Participation.NONE
    assert await world.participants.confirmed(event_id) == []


async def test_a_completed_booking_still_sees_the_crews_but_is_not_assigned(world: CrewsWorld) -> None:
    event_id = world.new_event()
    user_id, booking_id = new_id(), new_id()
    await world.file(booking_id, event_id, user_id, Standing.CONFIRMED)
    await world.file(booking_id, event_id, user_id, Standing.COMPLETED)
    await world.file(booking_id, event_id, user_id, Standing.CONFIRMED)

    assert await world.participants.participation(event_id, user_id) is Participation.COMPLETED
    assert await world.participants.confirmed(event_id) == []
