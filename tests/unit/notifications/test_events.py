"""Reminders before an event, the organizer's news, and the admin's test message."""

from __future__ import annotations

from datetime import timedelta

import pytest

from aquastream.domain.notifications.errors import EventNotFound, RecipientNotFound
from aquastream.domain.notifications.model import Category, Channel, MessageStatus
from aquastream.domain.notifications.preferences import PreferenceChange
from aquastream.domain.shared.errors import ValidationFailed
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.principal import Principal, Role

from .world import World


async def test_reminders_go_out_48h_and_24h_before_the_start_exactly_once(world: World) -> None:
    ann, bob = world.person(), world.person(email="bob@example.com")
    event = world.event(ann, bob, starts_in=timedelta(days=3))

    assert await world.remind()() == 0
    world.clock.advance(days=1)  # 48 h before
    assert await world.remind()() == 2
    assert await world.remind()() == 0
    world.clock.advance(hours=23)  # 25 h before: still the 48 h window
    assert await world.remind()() == 0
    world.clock.advance(hours=1)  # 24 h before
    assert await world.remind()() == 2
    world.clock.advance(hours=12)
    assert await world.remind()() == 0

    assert sorted((m.user_id, m.subject) for m in world.messages()) == sorted(
        (user, f"event:{event.event_id}:reminder:{h}") for user in (ann, bob) for h in ("48h", "24h")
    )
    assert {m.category for m in world.messages()} == {Category.EVENT_REMINDER}
    assert {m.title for m in world.messages()} == {
        "Через два дня: Rafting on the Msta",
        "Завтра: Rafting on the Msta",
    }


async def test_a_late_participant_gets_only_the_reminder_still_ahead(world: World) -> None:
    ann = world.person()
    world.event(ann, starts_in=timedelta(hours=10))

    assert await world.remind()() == 1
    [message] = world.messages()
    assert message.subject.endswith(":reminder:24h")


async def test_a_participant_confirmed_after_the_sweep_is_reminded_by_the_next_one(world: World) -> None:
    ann, bob = world.person(), world.person()
    event = world.event(ann, starts_in=timedelta(hours=30))
    assert await world.remind()() == 1

    world.events.confirmed[event.event_id].append(bob)

    assert await world.remind()() == 1


async def test_news_goes_to_every_confirmed_participant(world: World) -> None:
    ann, bob, cid = world.person(), world.person(chat=77), world.person()
    await world.update_preferences()(
        cid, PreferenceChange(switches={Category.EVENT_NEWS: {Channel.EMAIL: False}})
    )
    event = world.event(ann, bob, cid)

    posted = await world.post_news()(world.organizer, event.event_id, "  Meet at the pier at 9.  ")

    assert posted.recipients == 2
    assert {(m.channel, m.body) for m in world.messages()} == {
        (Channel.EMAIL, "Meet at the pier at 9."),
        (Channel.TELEGRAM, "Meet at the pier at 9."),
    }
    assert {m.subject for m in world.messages()} == {f"news:{posted.news_id}"}
    again = await world.post_news()(world.organizer, event.event_id, "Meet at the pier at 9.")
    assert again.recipients == 2
    assert len(world.messages()) == 4


async def test_news_of_someone_elses_or_an_unknown_event_is_not_found(world: World) -> None:
    event = world.event(world.person())
    stranger = Principal(new_id(), Role.ORGANIZER)

    with pytest.raises(EventNotFound):
        await world.post_news()(stranger, event.event_id, "Hello")
    with pytest.raises(EventNotFound):
        await world.post_news()(world.organizer, new_id(), "Hello")
    assert world.messages() == []


async def test_admins_may_post_news_of_any_event(world: World) -> None:
    event = world.event(world.person())

    posted = await world.post_news()(Principal(new_id(), Role.ADMIN), event.event_id, "Hello")

    assert posted.recipients == 1


@pytest.mark.parametrize("text", ["", "   ", "x" * 4001])
async def test_news_needs_a_text_of_1_to_4000_characters(world: World, text: str) -> None:
    event = world.event(world.person())

    with pytest.raises(ValidationFailed):
        await world.post_news()(world.organizer, event.event_id, text)


async def test_the_admin_test_message_is_queued_each_time(world: World) -> None:
    ann = world.person(chat=9)

    first = await world.test_message()(ann, "ping")
    second = await world.test_message()(ann, "ping")

    assert first.id != second.id
    assert (first.category, first.channel, first.status) == (
        Category.TEST,
        Channel.TELEGRAM,
        MessageStatus.PENDING,
    )
    assert first.title == "Тестовое сообщение AquaStream"


async def test_the_admin_test_message_needs_a_reachable_user_and_a_text(world: World) -> None:
    with pytest.raises(RecipientNotFound):
        await world.test_message()(new_id(), "ping")
    with pytest.raises(ValidationFailed):
        await world.test_message()(world.person(), " ")
