"""Calendars: an event's ``.ics`` download and each user's private, revocable feed.

The feed is served at ``/calendar/{token}.ics``: the token is the credential, so the
route is public (calendar apps send no bearer token) but rate-limited like any other.
An event's download is public too; with a bearer token it also names the caller's tickets,
so that answer is personal: ``Cache-Control: private, no-store``, as the feed's.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Request, Response, delete, get
from litestar.params import FromPath, PathParameter, QueryParameter
from litestar.status_codes import HTTP_204_NO_CONTENT

from aquastream.adapters.http.auth import optional_principal, public
from aquastream.adapters.http.catalog.event_dto import CalendarFeedOut
from aquastream.adapters.http.openapi import API_PREFIX
from aquastream.domain.catalog.calendar import (
    DownloadEventCalendar,
    GetCalendarFeed,
    RenderCalendarFeed,
    RevokeCalendarFeed,
)
from aquastream.domain.shared.principal import Principal

CALENDAR_MEDIA_TYPE = "text/calendar"
ICS_SUFFIX = ".ics"
# A calendar that names someone's tickets is theirs alone: no cache keeps it.
PRIVATE = "private, no-store"


def feed_url(request: Request[Any, Any, Any], token: str) -> str:
    """Absolute, so that it can be pasted into a calendar app as it is."""
    return f"{str(request.base_url).rstrip('/')}{API_PREFIX}/calendar/{token}{ICS_SUFFIX}"


class CalendarController(Controller):
    path = "/"
    tags = ["calendar"]

    @public
    @get("/events/{event_id:uuid}/calendar.ics", media_type=CALENDAR_MEDIA_TYPE, summary="An event as .ics")
    @inject
    async def event_calendar(
        self,
        request: Request[Any, Any, Any],
        event_id: FromPath[uuid.UUID],
        download: FromDishka[DownloadEventCalendar],
    ) -> Response[bytes]:
        """An iCalendar document with one VEVENT; a cancelled event is marked CANCELLED.

        Without a token the document is the same for everyone (public, cached like any
        catalog read). With the usual bearer token, the VEVENT's description also lists the
        caller's own tickets for the event, as the private feed does: the short code of every
        valid seat of the bookings they hold (a companion's seat belongs to the holder's
        booking: the holder sees every seat of it) and the path of the QR images,
        `/api/v1/bookings/{id}/tickets`. Such an answer is the caller's alone:
        `Cache-Control: private, no-store`, never kept by the catalog cache."""
        viewer = optional_principal(request)
        document = await download(event_id, viewer=viewer)
        headers = {"Content-Disposition": f'attachment; filename="aquastream-event-{event_id}.ics"'}
        if viewer is not None:
            headers["Cache-Control"] = PRIVATE
        return Response(document, media_type=CALENDAR_MEDIA_TYPE, headers=headers)

    @get("/users/me/calendar-feed", summary="The URL of the caller's private calendar feed")
    @inject
    async def show_feed(
        self,
        request: Request[Any, Any, Any],
        caller: FromDishka[Principal],
        get_feed: FromDishka[GetCalendarFeed],
        rotate: Annotated[
            bool, QueryParameter(description="Issue a new URL; the old one stops working.")
        ] = False,
    ) -> CalendarFeedOut:
        """The feed lists the events of the caller's confirmed bookings. The same URL is
        shown until it is rotated or revoked; after a revocation a new one is issued."""
        link = await get_feed(caller, rotate=rotate)
        return CalendarFeedOut(url=feed_url(request, link.token), created_at=link.created_at)

    @delete("/users/me/calendar-feed", status_code=HTTP_204_NO_CONTENT, summary="Revoke the feed URL")
    @inject
    async def revoke_feed(
        self, caller: FromDishka[Principal], revoke: FromDishka[RevokeCalendarFeed]
    ) -> None:
        await revoke(caller)

    @public
    @get("/calendar/{feed:str}", media_type=CALENDAR_MEDIA_TYPE, summary="A private calendar feed (.ics)")
    @inject
    async def feed(
        self,
        feed: Annotated[str, PathParameter(description="The feed token followed by `.ics`.")],
        render: FromDishka[RenderCalendarFeed],
    ) -> Response[bytes]:
        """The token is the credential: unknown, rotated or revoked tokens are 404."""
        # Tokens are base64url, which has no dot: the suffix is never part of one.
        document = await render(feed.removesuffix(ICS_SUFFIX))
        return Response(document, media_type=CALENDAR_MEDIA_TYPE, headers={"Cache-Control": PRIVATE})
