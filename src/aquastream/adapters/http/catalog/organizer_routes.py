"""``/organizers``: brand pages — the public list, page and events, and their management."""

from __future__ import annotations

from typing import Annotated, Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Request, get, post, put
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED

from aquastream.adapters.http.auth import optional_principal, public
from aquastream.adapters.http.catalog.event_dto import EventOut, event_page
from aquastream.adapters.http.catalog.event_routes import EventSort
from aquastream.adapters.http.catalog.organizer_dto import (
    CONTACT_FIELDS,
    OrganizerChangesIn,
    OrganizerIn,
    OrganizerOut,
    organizer_out,
    organizer_page,
)
from aquastream.adapters.http.catalog.wire_fields import nested_fields
from aquastream.adapters.http.paging import PageNumber, PageOut, PageSize, page_request, sort_parameter
from aquastream.adapters.http.route_options import RAISES
from aquastream.domain.catalog.browsing import ListOrganizerEvents
from aquastream.domain.catalog.ordering import EVENTS_BY_START, ORGANIZERS_BY_SLUG, OrganizerSortKey
from aquastream.domain.catalog.organizers import (
    CreateOrganizer,
    GetOrganizer,
    ListOrganizers,
    UpdateOrganizer,
)
from aquastream.domain.shared.errors import Unauthenticated
from aquastream.domain.shared.principal import Principal
from aquastream.ports.pictures import PictureVariants


class OrganizerController(Controller):
    path = "/organizers"
    tags = ["organizers"]

    @public
    @get(
        "", summary="List organizers by slug (or `sort`), with text search", opt={RAISES: (Unauthenticated,)}
    )
    @inject
    async def list_organizers(
        self,
        request: Request[Any, Any, Any],
        list_organizers: FromDishka[ListOrganizers],
        pictures: FromDishka[PictureVariants],
        q: Annotated[
            str | None, QueryParameter(description="Every word must be in the slug, name or description.")
        ] = None,
        mine: Annotated[
            bool, QueryParameter(description="Only the pages the caller owns (needs a token).")
        ] = False,
        sort: Annotated[str, sort_parameter(OrganizerSortKey)] = ORGANIZERS_BY_SLUG.text,
        page: PageNumber = 0,
        size: PageSize = 20,
    ) -> PageOut[OrganizerOut]:
        owner = None
        if mine:
            caller = optional_principal(request)
            if caller is None:
                raise Unauthenticated()
            owner = caller.user_id
        found = await list_organizers(page_request(page, size), text=q, owner_user_id=owner, sort=sort)
        return await organizer_page(pictures, found)

    @public
    @get("/{slug:str}", summary="An organizer's brand page")
    @inject
    async def show(
        self,
        slug: FromPath[str],
        get_organizer: FromDishka[GetOrganizer],
        pictures: FromDishka[PictureVariants],
    ) -> OrganizerOut:
        return await organizer_out(pictures, await get_organizer(slug))

    @public
    @get(
        "/{slug:str}/events",
        summary="An organizer's events by start time or `sort` (drafts for its managers)",
    )
    @inject
    async def events(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        list_events: FromDishka[ListOrganizerEvents],
        pictures: FromDishka[PictureVariants],
        status: Annotated[
            list[str] | None,
            QueryParameter(
                description="Only these statuses (repeatable); the public sees PUBLISHED and COMPLETED."
            ),
        ] = None,
        sort: EventSort = EVENTS_BY_START.text,
        page: PageNumber = 0,
        size: PageSize = 20,
    ) -> PageOut[EventOut]:
        found = await list_events(
            slug,
            page_request(page, size),
            viewer=optional_principal(request),
            statuses=status or (),
            sort=sort,
        )
        return await event_page(pictures, found)

    @post("", status_code=HTTP_201_CREATED, summary="Open a brand page (ORGANIZER or ADMIN)")
    @inject
    async def create(
        self,
        data: JSONBody[OrganizerIn],
        caller: FromDishka[Principal],
        create_organizer: FromDishka[CreateOrganizer],
        pictures: FromDishka[PictureVariants],
    ) -> OrganizerOut:
        """The caller becomes the owner; the slug must be free (409 ``organizer.slug_taken``)."""
        with nested_fields(CONTACT_FIELDS):
            return await organizer_out(pictures, await create_organizer(caller, data.to_input()))

    @put("/{slug:str}", summary="Change a brand page (its owner or an admin)")
    @inject
    async def update(
        self,
        slug: FromPath[str],
        data: JSONBody[OrganizerChangesIn],
        caller: FromDishka[Principal],
        update_organizer: FromDishka[UpdateOrganizer],
        pictures: FromDishka[PictureVariants],
    ) -> OrganizerOut:
        """Absent fields stay as they are; the slug may change too (it must be free)."""
        with nested_fields(CONTACT_FIELDS):
            return await organizer_out(pictures, await update_organizer(caller, slug, data.to_changes()))
