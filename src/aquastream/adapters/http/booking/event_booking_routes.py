"""An organizer's view of the bookings of their event: the list and the participants CSV."""

from __future__ import annotations

import uuid

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Response, get
from litestar.params import FromPath

from aquastream.adapters.http.booking.booking_routes import described_page
from aquastream.adapters.http.booking.dto import BookingOut
from aquastream.adapters.http.booking.participants_csv import CSV_MEDIA_TYPE, participants_csv
from aquastream.adapters.http.booking.statuses import EventBookingsSort, StatusFilter, booking_statuses
from aquastream.adapters.http.paging import PageNumber, PageOut, PageSize, page_request
from aquastream.adapters.http.sorting import sort_keys
from aquastream.domain.booking.queries import ExportParticipants, ListEventBookings
from aquastream.domain.booking.sorting import EVENT_BOOKINGS_FIELDS
from aquastream.domain.booking.views import DescribeBookings
from aquastream.domain.shared.principal import Principal


class EventBookingController(Controller):
    path = "/events"
    tags = ["bookings"]

    @get(
        "/{event_id:uuid}/bookings",
        summary="Bookings of an event with their participants (its organizer)",
    )
    @inject
    async def list_event_bookings(
        self,
        event_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        list_bookings: FromDishka[ListEventBookings],
        describe: FromDishka[DescribeBookings],
        status: StatusFilter = None,
        sort: EventBookingsSort = None,
        page: PageNumber = 0,
        size: PageSize = 20,
    ) -> PageOut[BookingOut]:
        """The event's organizer or an admin (403 ``booking.forbidden`` for others); a draft
        has no bookings and is 404 ``event.not_found``. Each booking carries its
        ``participant``: name, email, phone and Telegram handle from the profile."""
        found = await list_bookings(
            caller,
            event_id,
            page_request(page, size),
            booking_statuses(status),
            sort_keys(sort, EVENT_BOOKINGS_FIELDS),
        )
        return await described_page(describe, caller, found)

    @get(
        "/{event_id:uuid}/participants.csv",
        media_type=CSV_MEDIA_TYPE,
        summary="The participant list as CSV (its organizer)",
    )
    @inject
    async def export_participants(
        self,
        event_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        export: FromDishka[ExportParticipants],
        status: StatusFilter = None,
    ) -> Response[bytes]:
        """One row per booking that holds a seat (PENDING, CONFIRMED, COMPLETED, NO_SHOW)
        unless ``status`` narrows it, with the participant's name and contacts; UTF-8 with
        a byte-order mark, so that spreadsheets read Cyrillic names."""
        rows = await export(caller, event_id, booking_statuses(status))
        return Response(
            participants_csv(rows),
            media_type=CSV_MEDIA_TYPE,
            headers={
                "Content-Disposition": f'attachment; filename="participants-{event_id}.csv"',
                "Cache-Control": "private, no-store",
            },
        )
