"""A user's notification preferences: language and the optional categories per channel."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from aquastream.domain.notifications.errors import MandatoryCategory
from aquastream.domain.notifications.model import (
    MANDATORY_CATEGORIES,
    USER_CATEGORIES,
    Category,
    Channel,
    Language,
    Preferences,
)
from aquastream.domain.shared.errors import FieldError, Raises, ValidationFailed
from aquastream.ports.clock import Clock
from aquastream.ports.notifications import NotificationUnitOfWork


@dataclass(frozen=True, slots=True)
class PreferenceChange:
    """What to change; what is not mentioned stays as it is."""

    language: Language | None = None
    switches: Mapping[Category, Mapping[Channel, bool]] = field(default_factory=dict)


class GetMyPreferences:
    """The caller's notification preferences: the language of their messages and, per
    category, the channels it is sent on."""

    raises: ClassVar[Raises] = ()

    def __init__(self, uow: NotificationUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, user_id: uuid.UUID) -> Preferences:
        async with self._uow:
            return await self._uow.preferences.get(user_id)


class UpdateMyPreferences:
    """Change the language and switch optional categories on or off per channel.

    Rules:
    - mandatory categories (BOOKING_CONFIRMED, BOOKING_STATUS, PAYMENT_STATUS,
      EVENT_REMINDER) cannot be switched off: 422 ``notifications.mandatory_category``
      naming each, and nothing changes; switching them "on" is accepted and changes nothing;
    - the language chooses the templates of every later message (default Russian);
    - each switch is one atomic change, so two clients changing different switches at once
      both win.
    """

    raises: ClassVar[Raises] = (MandatoryCategory, ValidationFailed)

    def __init__(self, uow: NotificationUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, user_id: uuid.UUID, change: PreferenceChange) -> Preferences:
        unknown = [category for category in change.switches if category not in USER_CATEGORIES]
        if unknown:
            raise ValidationFailed(
                errors=[FieldError(f"categories.{c}", "No such notification category.") for c in unknown]
            )
        refused = [
            FieldError(f"categories.{category}.{channel.lower()}", "A mandatory category stays on.")
            for category, channels in change.switches.items()
            if category in MANDATORY_CATEGORIES
            for channel, on in channels.items()
            if not on
        ]
        if refused:
            raise MandatoryCategory(errors=refused)
        async with self._uow:
            if change.language is not None:
                await self._uow.preferences.set_language(user_id, change.language, now=self._clock.now())
            for category, channels in change.switches.items():
                if category in MANDATORY_CATEGORIES:
                    continue
                for channel, on in channels.items():
                    await self._uow.preferences.switch(user_id, category, channel, on=on)
            await self._uow.commit()
            return await self._uow.preferences.get(user_id)
