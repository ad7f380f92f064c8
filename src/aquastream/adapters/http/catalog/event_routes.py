"""``/events``: the public catalog and one event, and an organizer's drafts, edits,
publication and cancellation."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Request, get, post, put
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from aquastream.adapters.http.auth import optional_principal, public
from aquastream.adapters.http.catalog.event_dto import (
    LOCATION_FIELDS,
    CancelIn,
    EventChangesIn,
    EventIn,
    EventOut,
    event_out,
    event_page,
)
from aquastream.adapters.http.catalog.wire_fields import nested_fields
from aquastream.adapters.http.paging import PageNumber, PageOut, PageSize, page_request, sort_parameter
from aquastream.domain.catalog.authoring import CreateEvent, UpdateEvent
from aquastream.domain.catalog.browsing import EventFilters, GetEvent, ListEvents
from aquastream.domain.catalog.lifecycle import CancelEvent, PublishEvent
from aquastream.domain.catalog.ordering import EventSortKey
from aquastream.domain.shared.principal import Principal
from aquastream.ports.pictures import PictureVariants

EventSort = Annotated[str, sort_parameter(EventSortKey)]
# The catalog's default order: by start, and with a search text (``q``) by relevance first.
OptionalEventSort = Annotated[str | None, sort_parameter(EventSortKey)]


def _each_split(values: list[str] | None) -> list[str]:
    """``tags=a,b&tags=c`` is the same as ``tags=a&tags=b&tags=c`` (and so for ``type``)."""
    return [part for value in values or () for part in value.split(",") if part.strip()]


class EventController(Controller):
    path = "/events"
    tags = ["events"]

    @public
    @get("", summary="The public catalog: published events by start time (or `sort`), with filters")
    @inject
    async def list_events(
        self,
        request: Request[Any, Any, Any],
        list_events: FromDishka[ListEvents],
        pictures: FromDishka[PictureVariants],
        organizer: Annotated[str | None, QueryParameter(description="An organizer's slug.")] = None,
        types: Annotated[
            list[str] | None,
            QueryParameter(
                name="type", description="Event types (repeatable or comma-separated); any matches."
            ),
        ] = None,
        tags: Annotated[
            list[str] | None, QueryParameter(description="Tags (repeatable or comma-separated); any matches.")
        ] = None,
        price_min: Annotated[
            Decimal | None, QueryParameter(name="priceMin", description="Lowest price; free counts as 0.")
        ] = None,
        price_max: Annotated[
            Decimal | None, QueryParameter(name="priceMax", description="Highest price.")
        ] = None,
        date_from: Annotated[
            datetime | None,
            QueryParameter(name="dateFrom", description="Starts at or after (with a timezone)."),
        ] = None,
        date_to: Annotated[
            datetime | None,
            QueryParameter(name="dateTo", description="Starts at or before (with a timezone)."),
        ] = None,
        city: Annotated[str | None, QueryParameter(description="City, case-insensitive.")] = None,
        has_free_seats: Annotated[
            bool, QueryParameter(name="hasFreeSeats", description="Only events with a seat to book now.")
        ] = False,
        q: Annotated[
            str | None, QueryParameter(description="Full-text search over title, description and tags.")
        ] = None,
        include_past: Annotated[
            bool, QueryParameter(name="includePast", description="Also events that started or completed.")
        ] = False,
        sort: OptionalEventSort = None,
        page: PageNumber = 0,
        size: PageSize = 20,
    ) -> PageOut[EventOut]:
        filters = EventFilters(
            organizer_slug=organizer,
            types=_each_split(types),
            tags=_each_split(tags),
            price_min=price_min,
            price_max=price_max,
            date_from=date_from,
            date_to=date_to,
            city=city,
            has_free_seats=has_free_seats,
            text=q,
            include_past=include_past,
            sort=sort,
        )
        found = await list_events(filters, page_request(page, size), viewer=optional_principal(request))
        return await event_page(pictures, found)

    @public
    @get("/{event_id:uuid}", summary="One event (a draft only for its organizer's managers)")
    @inject
    async def show(
        self,
        request: Request[Any, Any, Any],
        event_id: FromPath[uuid.UUID],
        get_event: FromDishka[GetEvent],
        pictures: FromDishka[PictureVariants],
    ) -> EventOut:
        return await event_out(pictures, await get_event(event_id, viewer=optional_principal(request)))

    @post("", status_code=HTTP_201_CREATED, summary="Create a draft event of an organizer the caller manages")
    @inject
    async def create(
        self,
        data: JSONBody[EventIn],
        caller: FromDishka[Principal],
        create_event: FromDishka[CreateEvent],
        pictures: FromDishka[PictureVariants],
    ) -> EventOut:
        """Malformed fields are 400, all listed at once. Then the money: 422
        ``currency.unknown`` for a currency that is not an ISO 4217 currency in use, 422
        ``money.too_many_fraction_digits`` for a price finer than its currency (JPY whole,
        RUB to the kopeck, KWD to the fils)."""
        with nested_fields(LOCATION_FIELDS):
            return await event_out(pictures, await create_event(caller, data.organizer_slug, data.to_input()))

    @put("/{event_id:uuid}", summary="Change an event (absent fields stay as they are)")
    @inject
    async def update(
        self,
        event_id: FromPath[uuid.UUID],
        data: JSONBody[EventChangesIn],
        caller: FromDishka[Principal],
        update_event: FromDishka[UpdateEvent],
        pictures: FromDishka[PictureVariants],
    ) -> EventOut:
        """A draft changes in full; a published event only its description, tags, cover and
        capacity (409 ``event.not_editable`` otherwise; 422 ``event.capacity_below_taken``
        below the seats taken; 409 ``event.seats_changing`` when the seat count moved since
        it was read, or the seats of a just-published event are not on sale yet: read it
        again and retry); completed and cancelled events not at all. Price and currency
        follow the rules of creation (422 ``currency.unknown``,
        ``money.too_many_fraction_digits``)."""
        with nested_fields(LOCATION_FIELDS):
            return await event_out(pictures, await update_event(caller, event_id, data.to_changes()))

    @post("/{event_id:uuid}/publish", status_code=HTTP_200_OK, summary="Publish a draft")
    @inject
    async def publish(
        self,
        event_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        publish: FromDishka[PublishEvent],
        pictures: FromDishka[PictureVariants],
    ) -> EventOut:
        """Needs a description, city, address and a start still ahead (422
        ``event.not_publishable`` lists what is missing); the seats open for booking."""
        with nested_fields(LOCATION_FIELDS):
            return await event_out(pictures, await publish(caller, event_id))

    @post("/{event_id:uuid}/cancel", status_code=HTTP_200_OK, summary="Cancel a draft or published event")
    @inject
    async def cancel(
        self,
        event_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        cancel: FromDishka[CancelEvent],
        pictures: FromDishka[PictureVariants],
        data: JSONBody[CancelIn | None] = None,
    ) -> EventOut:
        """Bookings close at once; active bookings are cancelled (paid ones refunded) and
        participants told, with the optional ``reason``."""
        reason = data.reason if data is not None else None
        return await event_out(pictures, await cancel(caller, event_id, reason=reason))
