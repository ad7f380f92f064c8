"""A user's notification data: exported on request, deleted with the account."""

from __future__ import annotations

from datetime import timedelta

from aquastream.domain.notifications.model import Category, Channel, Language, Notice, Preferences
from aquastream.domain.notifications.preferences import PreferenceChange
from aquastream.domain.notifications.privacy import ExportMyNotificationData

from .world import NOW, World


async def test_a_deleted_users_messages_and_preferences_are_forgotten(world: World) -> None:
    ann, bob = world.person(), world.person(email="bob@example.com")
    for user in (ann, bob):
        await world.notify(Notice(user, Category.TEST, "test:1", "admin_test", params={"text": "hi"}))
    await world.send()()
    await world.notify(Notice(ann, Category.TEST, "test:2", "admin_test", params={"text": "hi"}))
    await world.update_preferences()(
        ann, PreferenceChange(Language.EN, {Category.EVENT_NEWS: {Channel.EMAIL: False}})
    )
    async with world.uow() as uow:
        await uow.preferences.mark_unreachable(ann, Channel.TELEGRAM, "555", reason="403", now=NOW)
        await uow.commit()

    assert await world.forget()(ann) == 2
    assert await world.forget()(ann) == 0

    assert [m.user_id for m in world.messages()] == [bob]
    assert [e.user_id for e in world.inbox()] == [bob]
    assert await world.get_preferences()(ann) == Preferences(ann)


async def test_the_export_holds_preferences_and_every_message_newest_first(world: World) -> None:
    ann, bob = world.person(), world.person(email="bob@example.com")
    await world.notify(Notice(ann, Category.TEST, "test:1", "admin_test", params={"text": "first"}))
    await world.send()()
    world.clock.advance(timedelta(minutes=1))
    await world.notify(Notice(ann, Category.TEST, "test:2", "admin_test", params={"text": "second"}))
    await world.notify(Notice(bob, Category.TEST, "test:1", "admin_test", params={"text": "for bob"}))
    await world.update_preferences()(
        ann, PreferenceChange(Language.EN, {Category.EVENT_NEWS: {Channel.EMAIL: False}})
    )
    async with world.uow() as uow:
        await uow.preferences.mark_unreachable(ann, Channel.TELEGRAM, "555", reason="403", now=NOW)
        await uow.commit()

    section = await ExportMyNotificationData(world.uow())(ann)

    assert section["preferences"] == {
        "language": "en",
        "switchedOff": [{"category": "EVENT_NEWS", "channel": "EMAIL"}],
        "unreachable": [{"channel": "TELEGRAM", "address": "555"}],
    }
    assert [(m["status"], m["address"]) for m in section["messages"]] == [
        ("PENDING", "ann@example.com"),
        ("SENT", "ann@example.com"),
    ]
    assert "for bob" not in str(section)
    assert section["messages"][1]["sentAt"].endswith("Z")
    assert [(e["body"], e["readAt"]) for e in section["inbox"]] == [("second", None), ("first", None)]


async def test_a_user_who_never_chose_exports_the_default_preferences(world: World) -> None:
    section = await ExportMyNotificationData(world.uow())(world.person())

    assert section == {
        "preferences": {"language": "ru", "switchedOff": [], "unreachable": []},
        "messages": [],
        "inbox": [],
    }
