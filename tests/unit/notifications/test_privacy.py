"""A deleted account's messages and preferences are deleted with it."""

from __future__ import annotations

from aquastream.domain.notifications.model import Category, Channel, Language, Notice, Preferences
from aquastream.domain.notifications.preferences import PreferenceChange

from .world import World


async def test_a_deleted_users_messages_and_preferences_are_forgotten(world: World) -> None:
    ann, bob = world.person(), world.person(email="bob@example.com")
    for user in (ann, bob):
        await world.notify(Notice(user, Category.TEST, "test:1", "admin_test", params={"text": "hi"}))
    await world.send()()
    await world.notify(Notice(ann, Category.TEST, "test:2", "admin_test", params={"text": "hi"}))
    await world.update_preferences()(
        ann, PreferenceChange(Language.EN, {Category.EVENT_NEWS: {Channel.EMAIL: False}})
    )

    assert await world.forget()(ann) == 2
    assert await world.forget()(ann) == 0

    assert [m.user_id for m in world.messages()] == [bob]
    assert await world.get_preferences()(ann) == Preferences(ann)
