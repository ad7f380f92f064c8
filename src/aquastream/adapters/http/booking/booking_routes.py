"""``/bookings``: book a seat (honouring ``Idempotency-Key``), the caller's bookings, one
booking, cancel it; the event's organizer confirms by hand and records no-shows."""

from __future__ import annotations

import uuid
from typing import Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Request, Response, get, post
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from aquastream.adapters.http.booking.dto import BookingIn, BookingOut
from aquastream.adapters.http.booking.statuses import MyBookingsSort, StatusFilter, booking_statuses
from aquastream.adapters.http.idempotency import KEYED_REQUEST_ERRORS, IdempotencyKey, answer_keyed
from aquastream.adapters.http.metrics import BOOKINGS_CREATED
from aquastream.adapters.http.paging import PageNumber, PageOut, PageSize, page_request
from aquastream.adapters.http.route_options import RAISES, RATE_LIMIT
from aquastream.adapters.http.sorting import sort_keys
from aquastream.domain.booking.book import BookSeat
from aquastream.domain.booking.manage import CancelBooking, ConfirmBooking, MarkNoShow
from aquastream.domain.booking.model import Booking
from aquastream.domain.booking.party import CancelCompanionSeat
from aquastream.domain.booking.queries import GetBooking, ListMyBookings
from aquastream.domain.booking.sorting import MY_BOOKINGS_FIELDS
from aquastream.domain.booking.views import DescribeBookings
from aquastream.domain.shared.paging import Page
from aquastream.domain.shared.principal import Principal
from aquastream.domain.shared.requests import KeyedRequest


class BookingController(Controller):
    path = "/bookings"
    tags = ["bookings"]

    @post(
        "",
        status_code=HTTP_201_CREATED,
        summary="Book a seat of a published event",
        opt={RATE_LIMIT: "booking", RAISES: KEYED_REQUEST_ERRORS},
        responses={HTTP_201_CREATED: ResponseSpec(BookingOut, description="The new booking.")},
    )
    @inject
    async def book(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[BookingIn],
        caller: FromDishka[Principal],
        book_seat: FromDishka[BookSeat],
        get_booking: FromDishka[GetBooking],
        describe: FromDishka[DescribeBookings],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[bytes]:
        """Needs a phone or Telegram handle in the profile (422 ``profile.incomplete``) and a
        published event that has not started (404 ``event.not_found``, 422
        ``event.not_open``). One active booking per event (409 ``booking.duplicate`` with
        ``existingBookingId``); no free seat is 409 ``event.full`` with ``waitlistOpen``.
        A paid event gives PENDING until ``expiresAt``; a free one is CONFIRMED at once.
        ``companions`` book a seat each with the caller's, all or none, at N x the price
        (422 ``booking.party_too_large`` above the configured party size)."""

        async def act(keyed: KeyedRequest[Booking] | None) -> Booking:
            booking = await book_seat(caller, data.event_id, keyed, data.companion_requests())
            BOOKINGS_CREATED.labels(booking.status.value).inc()
            return booking

        async def replay(booking_id: uuid.UUID) -> BookingOut:
            return await _described(describe, caller, await get_booking(caller, booking_id))

        return await answer_keyed(
            caller,
            idempotency_key,
            request=request,
            body=data,
            status_code=HTTP_201_CREATED,
            act=act,
            render=lambda booking: BookingOut.of(describe.new(booking)),
            replay=replay,
        )

    @get("", summary="The caller's bookings, newest first unless sorted")
    @inject
    async def list_mine(
        self,
        caller: FromDishka[Principal],
        list_bookings: FromDishka[ListMyBookings],
        describe: FromDishka[DescribeBookings],
        status: StatusFilter = None,
        sort: MyBookingsSort = None,
        page: PageNumber = 0,
        size: PageSize = 20,
    ) -> PageOut[BookingOut]:
        """Each booking with its ``event``: title, start, end and organizer."""
        found = await list_bookings(
            caller, page_request(page, size), booking_statuses(status), sort_keys(sort, MY_BOOKINGS_FIELDS)
        )
        return await described_page(describe, caller, found)

    @get("/{booking_id:uuid}", summary="One booking (its owner, the event's organizer, an admin)")
    @inject
    async def show(
        self,
        booking_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        get_booking: FromDishka[GetBooking],
        describe: FromDishka[DescribeBookings],
    ) -> BookingOut:
        """With its ``event``, and for the event's organizer its ``participant``. Anyone else
        gets 404 ``booking.not_found``, as for a booking that does not exist."""
        return await _described(describe, caller, await get_booking(caller, booking_id))

    @post("/{booking_id:uuid}/cancel", status_code=HTTP_200_OK, summary="Cancel a booking")
    @inject
    async def cancel(
        self,
        booking_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        cancel_booking: FromDishka[CancelBooking],
        describe: FromDishka[DescribeBookings],
    ) -> BookingOut:
        """PENDING or CONFIRMED only (409 ``booking.invalid_status``); the owner until the
        event starts (422 ``booking.event_started``), the organizer at any time. The seat
        returns, or goes to the first in the waitlist; a paid booking is refunded."""
        return await _described(describe, caller, await cancel_booking(caller, booking_id))

    @post(
        "/{booking_id:uuid}/companions/{seat:int}/cancel",
        status_code=HTTP_200_OK,
        summary="Cancel one companion's seat of a group booking",
    )
    @inject
    async def cancel_companion(
        self,
        booking_id: FromPath[uuid.UUID],
        seat: FromPath[int],
        caller: FromDishka[Principal],
        cancel_companion_seat: FromDishka[CancelCompanionSeat],
        describe: FromDishka[DescribeBookings],
    ) -> BookingOut:
        """The booking and its other seats stay; who may cancel and until when as for the
        whole booking. 404 ``booking.companion_not_found`` for a seat that is not an active
        companion's (seat 0 is cancelled with the booking). The seat returns, or goes to the
        waitlist; a paid booking is refunded the seat's share."""
        return await _described(describe, caller, await cancel_companion_seat(caller, booking_id, seat))

    @post("/{booking_id:uuid}/confirm", status_code=HTTP_200_OK, summary="Confirm a booking by hand")
    @inject
    async def confirm(
        self,
        booking_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        confirm_booking: FromDishka[ConfirmBooking],
        describe: FromDishka[DescribeBookings],
    ) -> BookingOut:
        """The event's organizer or an admin (the participant gets 403 ``booking.forbidden``),
        for a PENDING booking paid outside the app, in cash say; the payment becomes PAID."""
        return await _described(describe, caller, await confirm_booking(caller, booking_id))

    @post("/{booking_id:uuid}/no-show", status_code=HTTP_200_OK, summary="Record a no-show")
    @inject
    async def no_show(
        self,
        booking_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        mark_no_show: FromDishka[MarkNoShow],
        describe: FromDishka[DescribeBookings],
    ) -> BookingOut:
        """The event's organizer or an admin, for a CONFIRMED booking once the event has
        started (422 ``booking.event_not_started`` before). The seat is not returned."""
        return await _described(describe, caller, await mark_no_show(caller, booking_id))


async def _described(describe: DescribeBookings, caller: Principal, booking: Booking) -> BookingOut:
    (view,) = await describe(caller, [booking])
    return BookingOut.of(view)


async def described_page(
    describe: DescribeBookings, caller: Principal, found: Page[Booking]
) -> PageOut[BookingOut]:
    """A page of bookings, each with what the caller may do with it."""
    views = await describe(caller, found.items)
    return PageOut.of(Page(views, found.total, found.page, found.size), BookingOut.of)
