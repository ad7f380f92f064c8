"""What crews asks the catalog, and what it keeps of booking's facts, answered alike by every backend."""

from __future__ import annotations

import pytest

from aquastream.domain.crews.model import Participation
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.principal import Principal, Role

from .kit import CrewsKit


@pytest.mark.parametrize(
    ("status", "is_open"), [("DRAFT", True), ("PUBLISHED", True), ("CANCELLED", False), ("COMPLETED", False)]
)
async def test_an_event_is_open_for_crews_until_cancelled_or_completed(
    kit: CrewsKit, status: str, is_open: bool
) -> None:
    event_id = await kit.new_event(status)
    uow, events, _, _ = kit.ports()
    async with uow:
        event = await events.get(event_id)
        assert event is not None
        assert (event.id, event.organizer_id, event.is_open) == (event_id, kit.organizer_id, is_open)
        assert await events.get(new_id()) is None


async def test_the_owner_and_admins_manage_the_organizer(kit: CrewsKit) -> None:
    await kit.new_event()
    uow, events, _, _ = kit.ports()
    async with uow:
        assert await events.can_manage(kit.organizer, kit.organizer_id)
        assert await events.can_manage(Principal(new_id(), Role.ADMIN), kit.organizer_id)
        assert not await events.can_manage(Principal(new_id(), Role.ORGANIZER), kit.organizer_id)


async def test_participation_follows_the_booking_status(kit: CrewsKit) -> None:
    event_id = await kit.new_event()
    confirmed, completed, pending, cancelled = [
        await kit.booking(event_id, status) for status in ("CONFIRMED", "COMPLETED", "PENDING", "CANCELLED")
    ]
    uow, _, participants, _ = kit.ports()
    async with uow:
        assert (
            await participants.participation(event_id, confirmed.user_id, lock=True)
            is Participation.CONFIRMED
        )
        assert await participants.participation(event_id, completed.user_id) is Participation.COMPLETED
        assert await participants.participation(event_id, pending.user_id) is Participation.NONE
        assert await participants.participation(event_id, cancelled.user_id) is Participation.NONE
        assert await participants.participation(new_id(), confirmed.user_id) is Participation.NONE


async def test_a_late_or_repeated_fact_never_moves_a_booking_back(kit: CrewsKit) -> None:
    event_id = await kit.new_event()
    cancelled, completed = await kit.booking(event_id), await kit.booking(event_id)
    await kit.set_booking(event_id, cancelled.user_id, "CANCELLED")
    await kit.set_booking(event_id, completed.user_id, "COMPLETED")
    for user in (cancelled, completed):  # the confirmations again, delivered late
        await kit.set_booking(event_id, user.user_id, "CONFIRMED")
    uow, _, participants, _ = kit.ports()
    async with uow:
        assert await participants.participation(event_id, cancelled.user_id) is Participation.NONE
        assert await participants.participation(event_id, completed.user_id) is Participation.COMPLETED
        assert list(await participants.confirmed(event_id)) == []


async def test_a_new_booking_confirms_someone_whose_old_one_ended(kit: CrewsKit) -> None:
    event_id = await kit.new_event()
    user = await kit.booking(event_id)
    await kit.set_booking(event_id, user.user_id, "CANCELLED")
    await kit.set_booking(event_id, user.user_id, "CONFIRMED", new=True)
    uow, _, participants, _ = kit.ports()
    async with uow:
        assert await participants.participation(event_id, user.user_id) is Participation.CONFIRMED
        assert list(await participants.confirmed(event_id)) == [user.user_id]


async def test_confirmed_participants_are_listed_by_id(kit: CrewsKit) -> None:
    event_id = await kit.new_event()
    confirmed = [await kit.booking(event_id) for _ in range(3)]
    await kit.booking(event_id, "PENDING")
    await kit.booking(await kit.new_event())
    ids = sorted(user.user_id for user in confirmed)
    uow, _, participants, _ = kit.ports()
    async with uow:
        assert list(await participants.confirmed(event_id)) == ids
        assert list(await participants.confirmed(event_id, lock=True)) == ids
        assert list(await participants.confirmed(event_id, {ids[2], ids[0], new_id()})) == [ids[0], ids[2]]
        assert list(await participants.confirmed(event_id, set())) == []


async def test_names_come_from_profiles_that_give_one(kit: CrewsKit) -> None:
    anna = await kit.named("Анна", "Петрова")
    first_only = await kit.named("Boris")
    nameless = await kit.named(None)
    uow, _, _, people = kit.ports()
    async with uow:
        found = await people.names([anna, first_only, nameless, new_id()])
        assert await people.names([]) == {}
    assert found == {anna: "Анна Петрова", first_only: "Boris"}
