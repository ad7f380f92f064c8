"""Preferences: optional categories per channel, mandatory ones always on, and the language."""

from __future__ import annotations

import pytest

from aquastream.domain.notifications.errors import MandatoryCategory
from aquastream.domain.notifications.model import Category, Channel, Language
from aquastream.domain.notifications.preferences import PreferenceChange
from aquastream.domain.shared.errors import ValidationFailed
from aquastream.domain.shared.ids import new_id

from .world import World


async def test_a_user_who_never_chose_has_russian_and_everything_on(world: World) -> None:
    preferences = await world.get_preferences()(new_id())

    assert preferences.language is Language.RU
    assert all(preferences.allows(category, channel) for category in Category for channel in Channel)


async def test_optional_categories_switch_per_channel(world: World) -> None:
    ann = new_id()

    changed = await world.update_preferences()(
        ann,
        PreferenceChange(
            language=Language.EN,
            switches={Category.EVENT_NEWS: {Channel.TELEGRAM: False, Channel.SMS: False}},
        ),
    )

    assert changed.language is Language.EN
    assert not changed.allows(Category.EVENT_NEWS, Channel.TELEGRAM)
    assert changed.allows(Category.EVENT_NEWS, Channel.EMAIL)
    assert not changed.allows(Category.EVENT_NEWS, Channel.SMS)
    again = await world.update_preferences()(
        ann, PreferenceChange(switches={Category.EVENT_NEWS: {Channel.TELEGRAM: True}})
    )
    assert again.allows(Category.EVENT_NEWS, Channel.TELEGRAM)
    assert again.language is Language.EN
    assert await world.get_preferences()(ann) == again


async def test_mandatory_categories_cannot_be_switched_off_and_nothing_changes(world: World) -> None:
    ann = new_id()

    with pytest.raises(MandatoryCategory) as refused:
        await world.update_preferences()(
            ann,
            PreferenceChange(
                language=Language.EN,
                switches={
                    Category.EVENT_NEWS: {Channel.EMAIL: False},
                    Category.BOOKING_STATUS: {Channel.EMAIL: False},
                },
            ),
        )

    assert [e.field for e in refused.value.errors] == ["categories.BOOKING_STATUS.email"]
    untouched = await world.get_preferences()(ann)
    assert untouched.language is Language.RU
    assert untouched.switched_off == frozenset()


async def test_switching_a_mandatory_category_on_is_accepted_and_changes_nothing(world: World) -> None:
    ann = new_id()

    changed = await world.update_preferences()(
        ann, PreferenceChange(switches={Category.PAYMENT_STATUS: {Channel.SMS: True}})
    )

    assert changed.switched_off == frozenset()


async def test_the_admin_test_category_is_no_user_category(world: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        await world.update_preferences()(
            new_id(), PreferenceChange(switches={Category.TEST: {Channel.SMS: True}})
        )

    assert refused.value.errors[0].field == "categories.TEST"
