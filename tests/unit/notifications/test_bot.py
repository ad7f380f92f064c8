"""The Telegram bot: linking with a code, help, and the optional categories."""

from __future__ import annotations

import uuid

import pytest

from aquastream.domain.notifications.model import Category, Channel, Language, Recipient
from aquastream.domain.notifications.preferences import PreferenceChange

from .world import NOW, World

CHAT = 555


def linked(world: World) -> Recipient:
    return world.recipients.add(Recipient(world.person(), email="ann@example.com", telegram_chat_id=CHAT))


async def test_start_with_a_valid_code_links_the_chat_once(world: World) -> None:
    ann = world.person()
    world.linker.codes["c0de"] = ann

    answer = await world.bot()(CHAT, "/start c0de", username="ann_rafts")

    assert answer.startswith("Готово")
    assert world.linker.linked == [(ann, CHAT, "ann_rafts")]
    assert "недействителен" in await world.bot()(CHAT, "/start c0de")


async def test_a_linked_user_is_answered_in_their_language(world: World) -> None:
    ann = world.person()
    await world.update_preferences()(ann, PreferenceChange(language=Language.EN))
    world.linker.codes["c0de"] = ann

    assert (await world.bot()(CHAT, "/start c0de")).startswith("Done")


async def test_help_and_anything_unknown_get_the_help(world: World) -> None:
    for text in ("/help", "/start", "hello", "/help@AquaStreamBot", ""):
        assert "/settings" in await world.bot()(CHAT, text)
    assert (await world.bot()(CHAT, "/help", language_code="en-GB")).startswith("I send")


async def test_settings_need_a_linked_chat(world: World) -> None:
    assert "не привязан" in await world.bot()(CHAT, "/settings")


async def test_settings_show_and_toggle_optional_categories_for_telegram(world: World) -> None:
    ann = linked(world)

    shown = await world.bot()(CHAT, "/settings")
    assert "EVENT_NEWS — включено" in shown
    assert "BOOKING_STATUS" not in shown

    assert await world.bot()(CHAT, "/settings off event_news") == "EVENT_NEWS: выключено."
    preferences = await world.get_preferences()(ann.user_id)
    assert not preferences.allows(Category.EVENT_NEWS, Channel.TELEGRAM)
    assert preferences.allows(Category.EVENT_NEWS, Channel.EMAIL)
    assert "EVENT_NEWS — выключено" in await world.bot()(CHAT, "/settings")

    assert await world.bot()(CHAT, "/settings on EVENT_NEWS") == "EVENT_NEWS: включено."
    assert (await world.get_preferences()(ann.user_id)).allows(Category.EVENT_NEWS, Channel.TELEGRAM)


async def test_settings_refuse_mandatory_and_unknown_categories(world: World) -> None:
    ann = linked(world)

    assert "обязательная" in await world.bot()(CHAT, "/settings off BOOKING_STATUS")
    assert "нет" in await world.bot()(CHAT, "/settings off TEST")
    assert "нет" in await world.bot()(CHAT, "/settings off SPAM")
    assert (await world.get_preferences()(ann.user_id)).switched_off == frozenset()


async def unreachable(world: World, user_id: uuid.UUID) -> None:
    """What the sender records when Telegram says the bot was blocked."""
    async with world.uow() as uow:
        await uow.preferences.mark_unreachable(user_id, Channel.TELEGRAM, str(CHAT), reason="403", now=NOW)
        await uow.commit()


@pytest.mark.parametrize("text", ["/start", "/settings", "/settings off EVENT_NEWS"])
async def test_a_chat_that_talks_to_the_bot_again_is_reachable_again(world: World, text: str) -> None:
    ann = linked(world)
    await unreachable(world, ann.user_id)

    await world.bot()(CHAT, text)

    assert (await world.get_preferences()(ann.user_id)).unreachable == frozenset()


async def test_linking_again_with_a_code_lifts_the_unreachable_mark(world: World) -> None:
    ann = world.person()
    await unreachable(world, ann)
    world.linker.codes["c0de"] = ann

    assert (await world.bot()(CHAT, "/start c0de")).startswith("Готово")

    assert (await world.get_preferences()(ann)).unreachable == frozenset()


async def test_help_from_a_chat_lifts_nothing(world: World) -> None:
    ann = linked(world)
    await unreachable(world, ann.user_id)

    await world.bot()(CHAT, "/help")

    assert (await world.get_preferences()(ann.user_id)).unreachable_channels() == [Channel.TELEGRAM]
