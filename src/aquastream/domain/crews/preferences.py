"""A participant says whom they want to be with and whom to avoid (used by auto-assignment)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import ClassVar

from aquastream.domain.crews.access import Gate
from aquastream.domain.crews.errors import (
    EventClosed,
    EventNotFound,
    NotAParticipant,
    PreferenceNotParticipant,
    TooManyPreferences,
)
from aquastream.domain.crews.model import Participation, Preferences
from aquastream.domain.crews.policy import CrewPolicy
from aquastream.domain.shared.errors import FieldError, Raises, ValidationFailed
from aquastream.domain.shared.principal import Principal
from aquastream.ports.clock import Clock
from aquastream.ports.crews import CrewsUnitOfWork


def _distinct(user_ids: Sequence[uuid.UUID]) -> tuple[uuid.UUID, ...]:
    return tuple(dict.fromkeys(user_ids))


class SetPreferences:
    """Replace the caller's preferences for an event (an empty list clears one).

    Rules: the caller has a CONFIRMED booking for an open event (403 / 422); at most
    ``max_preferences`` people per list (422 ``crew.preferences_too_many``); nobody twice
    (repeats are dropped), not oneself, not in both lists (400); everyone listed is another
    confirmed participant (422 ``crew.preference_not_participant`` names the others).
    """

    raises: ClassVar[Raises] = (
        EventClosed,
        EventNotFound,
        NotAParticipant,
        PreferenceNotParticipant,
        TooManyPreferences,
        ValidationFailed,
    )

    def __init__(
        self,
        uow: CrewsUnitOfWork,
        clock: Clock,
        gate: Gate,
        policy: CrewPolicy,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._gate = gate
        self._policy = policy

    async def __call__(
        self,
        principal: Principal,
        event_id: uuid.UUID,
        prefer: Sequence[uuid.UUID],
        avoid: Sequence[uuid.UUID],
    ) -> Preferences:
        preferences = Preferences(event_id, principal.user_id, _distinct(prefer), _distinct(avoid))
        self._check(preferences)
        event = await self._gate.event(event_id)
        async with self._uow:
            participation = await self._gate.participants.participation(event_id, principal.user_id)
            if participation is not Participation.CONFIRMED:
                raise NotAParticipant()
            if not event.is_open:
                raise EventClosed()
            listed = {*preferences.prefer, *preferences.avoid}
            confirmed = set(await self._gate.participants.confirmed(event_id, listed))
            if listed - confirmed:
                raise PreferenceNotParticipant(listed - confirmed)
            await self._uow.preferences.put(preferences, now=self._clock.now())
            await self._uow.commit()
        return preferences

    def _check(self, preferences: Preferences) -> None:
        limit = self._policy.max_preferences
        if len(preferences.prefer) > limit or len(preferences.avoid) > limit:
            raise TooManyPreferences(limit)
        errors = [
            FieldError(field, "must not list yourself")
            for field, listed in (("prefer", preferences.prefer), ("avoid", preferences.avoid))
            if preferences.user_id in listed
        ]
        if set(preferences.prefer) & set(preferences.avoid):
            errors.append(FieldError("avoid", "must not list someone who is also in prefer"))
        if errors:
            raise ValidationFailed(errors=errors)
