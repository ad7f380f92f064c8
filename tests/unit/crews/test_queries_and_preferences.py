"""What participants and organizers see, and the preferences participants give."""

from __future__ import annotations

import pytest

from aquastream.domain.crews.errors import (
    CrewNotFound,
    EventClosed,
    EventNotFound,
    NotAParticipant,
    PreferenceNotParticipant,
    TooManyPreferences,
)
from aquastream.domain.crews.model import CrewType, Participation
from aquastream.domain.crews.policy import CrewPolicy
from aquastream.domain.shared.errors import ValidationFailed
from aquastream.domain.shared.ids import new_id
from tests.unit.crews.crews_world import CrewsWorld


async def test_organizer_and_participants_see_the_crews_with_members(world: CrewsWorld) -> None:
    event_id = world.new_event()
    boat = await world.crew(event_id, "Boat")
    await world.crew(event_id, "Tent", CrewType.TENT)
    pavel, rita = world.participant(event_id), world.participant(event_id)
    await world.seat(boat, pavel, seat_number=2)
    await world.seat(boat, rita, seat_number=1)
    finished = world.participant(event_id, Participation.COMPLETED)

    for viewer in (world.organizer, world.admin, pavel, finished):
        views = await world.list_crews(viewer, event_id)
        assert [(v.crew.type, v.crew.name) for v in views] == [
            (CrewType.CREW, "Boat"),
            (CrewType.TENT, "Tent"),
        ]
        assert [m.user_id for m in views[0].members] == [rita.user_id, pavel.user_id]
    tents = await world.list_crews(pavel, event_id, CrewType.TENT)
    assert [v.crew.name for v in tents] == ["Tent"]


async def test_others_do_not_see_an_events_crews(world: CrewsWorld) -> None:
    event_id = world.new_event()
    boat = await world.crew(event_id)
    with pytest.raises(NotAParticipant):
        await world.list_crews(world.rival, event_id)
    with pytest.raises(EventNotFound):
        await world.list_crews(world.organizer, new_id())
    with pytest.raises(CrewNotFound):
        await world.get_crew(world.rival, boat.id)
    with pytest.raises(CrewNotFound):
        await world.get_crew(world.organizer, new_id())


async def test_one_crew_with_its_members(world: CrewsWorld) -> None:
    event_id = world.new_event()
    boat = await world.crew(event_id)
    user = world.participant(event_id)
    await world.seat(boat, user)
    view = await world.get_crew(user, boat.id)
    assert (view.crew.size, [m.user_id for m in view.members]) == (1, [user.user_id])


async def test_my_crews_show_my_places_and_teammates(world: CrewsWorld) -> None:
    event_id = world.new_event()
    boat = await world.crew(event_id, "Boat")
    tent = await world.crew(event_id, "Tent", CrewType.TENT)
    me, mate, stranger = (world.participant(event_id) for _ in range(3))
    await world.seat(boat, me)
    await world.seat(boat, mate)
    await world.seat(tent, me)
    await world.seat(tent, stranger)
    await world.set_preferences(me, event_id, [mate.user_id], [])

    mine = await world.my_crews(me, event_id)

    assert [(p.crew.name, [t.user_id for t in p.teammates]) for p in mine.places] == [
        ("Boat", [mate.user_id]),
        ("Tent", [stranger.user_id]),
    ]
    assert mine.preferences.prefer == (mate.user_id,)
    nobody = await world.my_crews(world.participant(event_id), event_id)
    assert nobody.places == ()


async def test_only_participants_have_crews_of_their_own(world: CrewsWorld) -> None:
    event_id = world.new_event()
    with pytest.raises(NotAParticipant):
        await world.my_crews(world.organizer, event_id)


async def test_preferences_are_kept_in_order_without_repeats_and_replaced(world: CrewsWorld) -> None:
    event_id = world.new_event()
    me, a, b, c = (world.participant(event_id) for _ in range(4))

    saved = await world.set_preferences(me, event_id, [a.user_id, b.user_id, a.user_id], [c.user_id])
    assert (saved.prefer, saved.avoid) == ((a.user_id, b.user_id), (c.user_id,))
    await world.set_preferences(me, event_id, [], [a.user_id])

    async with world.new_uow() as uow:
        stored = await uow.preferences.get(event_id, me.user_id)
    assert (stored.prefer, stored.avoid) == ((), (a.user_id,))


async def test_preferences_have_a_limit() -> None:
    world = CrewsWorld(CrewPolicy(max_preferences=2))
    event_id = world.new_event()
    me = world.participant(event_id)
    others = [world.participant(event_id).user_id for _ in range(3)]
    with pytest.raises(TooManyPreferences) as refused:
        await world.set_preferences(me, event_id, others, [])
    assert refused.value.extra == {"limit": 2}
    await world.set_preferences(me, event_id, others[:2], others[2:])


async def test_preferences_name_other_confirmed_participants_once(world: CrewsWorld) -> None:
    event_id = world.new_event()
    me, other = world.participant(event_id), world.participant(event_id)
    outsider = world.participant(event_id, Participation.COMPLETED)

    with pytest.raises(ValidationFailed) as refused:
        await world.set_preferences(me, event_id, [me.user_id], [me.user_id])
    assert [e.field for e in refused.value.errors] == ["prefer", "avoid", "avoid"]
    with pytest.raises(ValidationFailed):
        await world.set_preferences(me, event_id, [other.user_id], [other.user_id])
    with pytest.raises(PreferenceNotParticipant) as unknown:
        await world.set_preferences(me, event_id, [other.user_id, outsider.user_id], [])
    assert unknown.value.extra == {"userIds": [str(outsider.user_id)]}


async def test_only_confirmed_participants_of_an_open_event_give_preferences(world: CrewsWorld) -> None:
    event_id = world.new_event()
    with pytest.raises(NotAParticipant):
        await world.set_preferences(world.participant(event_id, Participation.COMPLETED), event_id, [], [])
    me = world.participant(event_id)
    world.close(event_id)
    with pytest.raises(EventClosed):
        await world.set_preferences(me, event_id, [], [])


async def test_teammates_come_with_their_names(world: CrewsWorld) -> None:
    event_id = world.new_event()
    boat = await world.crew(event_id)
    me, rita, nameless = (world.participant(event_id) for _ in range(3))
    world.names.known[rita.user_id] = "Rita Kuznetsova"
    for user in (me, rita, nameless):
        await world.seat(boat, user)

    (view,) = await world.list_crews(me, event_id)
    mine = await world.my_crews(me, event_id)

    assert view.names == {rita.user_id: "Rita Kuznetsova"}
    assert mine.names == {rita.user_id: "Rita Kuznetsova"}


async def test_the_organizer_sees_who_left_a_crew_participants_do_not(world: CrewsWorld) -> None:
    event_id = world.new_event()
    boat, other = await world.crew(event_id, "Boat"), await world.crew(event_id, "Other")
    gone, moved, staying = (world.participant(event_id) for _ in range(3))
    world.names.known[gone.user_id] = "Gone Away"
    removed = await world.seat(boat, gone)
    world.clock.advance(minutes=1)  # history is in assignment order
    transferred = await world.seat(boat, moved)
    await world.seat(boat, staying)
    await world.unassign(world.organizer, removed.id)
    await world.transfer(world.organizer, transferred.id, other.id)

    organizers_view = await world.get_crew(world.organizer, boat.id)
    participants_view = await world.get_crew(staying, boat.id)

    assert organizers_view.history is not None
    assert [(a.id, a.status.value) for a in organizers_view.history] == [
        (removed.id, "REMOVED"),
        (transferred.id, "TRANSFERRED"),
    ]
    assert organizers_view.names == {gone.user_id: "Gone Away"}
    assert [m.user_id for m in organizers_view.members] == [staying.user_id]
    assert participants_view.history is None
