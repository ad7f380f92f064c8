"""``/notifications/preferences``: the caller's language and optional categories per channel."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, get, put
from litestar.params import JSONBody

from aquastream.adapters.http.notifications.dto import PreferencesIn, PreferencesOut
from aquastream.domain.notifications.preferences import GetMyPreferences, UpdateMyPreferences
from aquastream.domain.shared.principal import Principal


class PreferenceController(Controller):
    path = "/notifications/preferences"
    tags = ["notifications"]

    @get("", summary="The caller's notification preferences")
    @inject
    async def show(
        self, caller: FromDishka[Principal], get_preferences: FromDishka[GetMyPreferences]
    ) -> PreferencesOut:
        return PreferencesOut.of(await get_preferences(caller.user_id))

    @put("", summary="Change the language or switch optional categories per channel")
    @inject
    async def change(
        self,
        data: JSONBody[PreferencesIn],
        caller: FromDishka[Principal],
        update_preferences: FromDishka[UpdateMyPreferences],
    ) -> PreferencesOut:
        """Switching a mandatory category (BOOKING_CONFIRMED, BOOKING_STATUS, PAYMENT_STATUS,
        EVENT_REMINDER) off is 422 ``notifications.mandatory_category`` and changes nothing."""
        return PreferencesOut.of(await update_preferences(caller.user_id, data.change()))
