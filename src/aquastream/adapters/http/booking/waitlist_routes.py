"""The waitlist as its users see it: join and leave an event's queue, my place, my queues."""

from __future__ import annotations

import uuid

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, delete, get, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from aquastream.adapters.http.booking.dto import WaitlistIn, WaitlistPlaceOut
from aquastream.adapters.http.paging import PageNumber, PageOut, PageSize, page_request
from aquastream.domain.booking.waitlist import (
    GetMyWaitlistPosition,
    JoinWaitlist,
    LeaveWaitlist,
    ListMyWaitlist,
)
from aquastream.domain.shared.principal import Principal


class WaitlistController(Controller):
    path = "/"
    tags = ["waitlist"]

    @post("/events/{event_id:uuid}/waitlist", status_code=HTTP_201_CREATED, summary="Join an event's queue")
    @inject
    async def join(
        self,
        event_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        join_waitlist: FromDishka[JoinWaitlist],
        data: JSONBody[WaitlistIn | None] = None,
    ) -> WaitlistPlaceOut:
        """Only when the event is full (409 ``waitlist.seats_available`` otherwise), with a
        phone or Telegram handle in the profile (422 ``profile.incomplete``), without an
        active booking (409 ``waitlist.already_booked``) and once (409
        ``waitlist.duplicate``). When a seat frees, the first in line is notified and it is
        held for them until ``windowExpiresAt``. An optional body ``{partySize}`` queues for
        that many seats (422 ``booking.party_too_large`` above the configured party size or
        the event's capacity); the queue is strict FIFO: the first entry is served when its
        whole party fits (docs/waitlist-policy.md)."""
        party_size = data.party_size if data is not None else 1
        return WaitlistPlaceOut.of(await join_waitlist(caller, event_id, party_size))

    @delete(
        "/events/{event_id:uuid}/waitlist", status_code=HTTP_204_NO_CONTENT, summary="Leave an event's queue"
    )
    @inject
    async def leave(
        self,
        event_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        leave_waitlist: FromDishka[LeaveWaitlist],
    ) -> None:
        """404 ``waitlist.not_found`` when not queued. A seat held for the caller goes to the
        next in line."""
        await leave_waitlist(caller, event_id)

    @get("/events/{event_id:uuid}/waitlist/me", summary="The caller's place in an event's queue")
    @inject
    async def my_place(
        self,
        event_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        get_position: FromDishka[GetMyWaitlistPosition],
    ) -> WaitlistPlaceOut:
        """404 ``waitlist.not_found`` when the caller is not queued for the event."""
        return WaitlistPlaceOut.of(await get_position(caller, event_id))

    @get("/users/me/waitlist", summary="The queues the caller is in, oldest first")
    @inject
    async def my_queues(
        self,
        caller: FromDishka[Principal],
        list_waitlist: FromDishka[ListMyWaitlist],
        page: PageNumber = 0,
        size: PageSize = 20,
    ) -> PageOut[WaitlistPlaceOut]:
        """Each entry with its FIFO place in its event's queue. No ``sort``: a waitlist is
        first come, first served, so the list keeps that order (the oldest entry first)."""
        return PageOut.of(await list_waitlist(caller, page_request(page, size)), WaitlistPlaceOut.of)
