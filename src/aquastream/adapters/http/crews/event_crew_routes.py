"""``/events/{id}/crews…``: an event's crews, a new crew, auto-assignment, the caller's own
places and their preferences."""

from __future__ import annotations

import uuid
from typing import Annotated

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, get, post, put
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from aquastream.adapters.http.crews.dto import (
    AutoAssignIn,
    AutoAssignOut,
    CrewIn,
    CrewOut,
    MyCrewsOut,
    PreferencesIn,
    PreferencesOut,
)
from aquastream.domain.crews.auto import AutoAssign
from aquastream.domain.crews.crews import CreateCrew
from aquastream.domain.crews.model import CrewType
from aquastream.domain.crews.preferences import SetPreferences
from aquastream.domain.crews.queries import GetMyCrews, ListEventCrews
from aquastream.domain.shared.principal import Principal

TypeFilter = Annotated[CrewType | None, QueryParameter(name="type", description="Only crews of this type.")]


class EventCrewController(Controller):
    path = "/events"
    tags = ["crews"]

    @get("/{event_id:uuid}/crews", summary="The crews of an event with their members")
    @inject
    async def list_crews(
        self,
        event_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        list_crews: FromDishka[ListEventCrews],
        crew_type: TypeFilter = None,
    ) -> list[CrewOut]:
        """By type, then name. For the event's organizer and its participants (403
        ``crew.not_participant`` for others, 404 ``event.not_found``).

        No ``sort``: the crews are laid out as the organizer set them up (grouped by type,
        named within it), the one order every participant and the organizer share; the list
        is one event's crews, unpaged, and ``type`` narrows it."""
        return [CrewOut.of_view(view) for view in await list_crews(caller, event_id, crew_type)]

    @post(
        "/{event_id:uuid}/crews",
        status_code=HTTP_201_CREATED,
        summary="Add a crew, tent, table or bus to an event (its organizer)",
    )
    @inject
    async def create_crew(
        self,
        event_id: FromPath[uuid.UUID],
        data: JSONBody[CrewIn],
        caller: FromDishka[Principal],
        create_crew: FromDishka[CreateCrew],
    ) -> CrewOut:
        """403 ``crew.forbidden`` for anyone but the organizer or an admin; 409
        ``crew.name_taken``; 400 ``crew.details_mismatch`` for boat details on a non-CREW or
        tent details on a non-TENT; 422 ``crew.event_closed`` once the event is over or cancelled."""
        return CrewOut.of(await create_crew(caller, event_id, data.type, data.to_details()))

    @post(
        "/{event_id:uuid}/crews/auto-assign",
        status_code=HTTP_200_OK,
        summary="Place every unassigned confirmed participant into crews of one type (its organizer)",
    )
    @inject
    async def auto_assign(
        self,
        event_id: FromPath[uuid.UUID],
        data: JSONBody[AutoAssignIn],
        caller: FromDishka[Principal],
        auto_assign: FromDishka[AutoAssign],
    ) -> AutoAssignOut:
        """Never above capacity, never an "avoid" pair together, "prefer" pairs together
        where possible, balanced sizes, the same result for the same situation. Reports who
        was placed where, who could not be (and why) and how many wishes were met;
        ``dryRun`` writes nothing."""
        return AutoAssignOut.of(await auto_assign(caller, event_id, data.type, dry_run=data.dry_run))

    @get("/{event_id:uuid}/crews/me", summary="The caller's crews in an event, with teammates")
    @inject
    async def my_crews(
        self,
        event_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        get_mine: FromDishka[GetMyCrews],
    ) -> MyCrewsOut:
        """Participants only (403 ``crew.not_participant``); also shows their preferences."""
        return MyCrewsOut.of(await get_mine(caller, event_id))

    @put("/{event_id:uuid}/crews/preferences", summary="Whom the caller wants to be with or to avoid")
    @inject
    async def set_preferences(
        self,
        event_id: FromPath[uuid.UUID],
        data: JSONBody[PreferencesIn],
        caller: FromDishka[Principal],
        set_preferences: FromDishka[SetPreferences],
    ) -> PreferencesOut:
        """A confirmed participant (403 ``crew.not_participant``); at most the configured
        number per list (422 ``crew.preferences_too_many``); only other confirmed
        participants (422 ``crew.preference_not_participant``); not oneself nor anyone in
        both lists (400)."""
        return PreferencesOut.of(await set_preferences(caller, event_id, data.prefer, data.avoid))
