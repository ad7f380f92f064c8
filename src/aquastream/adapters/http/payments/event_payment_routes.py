"""``GET /events/{id}/payments``: the payments of one event, for its organizer."""

from __future__ import annotations

import uuid
from typing import Annotated

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, get
from litestar.params import FromPath

from aquastream.adapters.http.paging import PageNumber, PageOut, PageSize, page_request, sort_parameter
from aquastream.adapters.http.payments.dto import PaymentOut
from aquastream.adapters.http.route_options import RATE_LIMIT
from aquastream.domain.payments.ordering import NEWEST_PAYMENTS, PaymentSortKey
from aquastream.domain.payments.queries import ListEventPayments
from aquastream.domain.shared.principal import Principal


class EventPaymentController(Controller):
    path = "/events"
    tags = ["payments"]
    opt = {RATE_LIMIT: "payments"}

    @get(
        "/{event_id:uuid}/payments",
        summary="Payments of an event, newest first or `sort` (its organizer)",
    )
    @inject
    async def list_event_payments(
        self,
        event_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        list_payments: FromDishka[ListEventPayments],
        sort: Annotated[str, sort_parameter(PaymentSortKey)] = NEWEST_PAYMENTS.text,
        page: PageNumber = 0,
        size: PageSize = 20,
    ) -> PageOut[PaymentOut]:
        """The event's organizer or an admin (403 ``payment.forbidden``); an unknown or
        unpublished event is 404 ``event.not_found``. ``sort=amount`` compares amounts as
        they are, not converted between currencies."""
        found = await list_payments(caller, event_id, page_request(page, size), sort=sort)
        return PageOut.of(found, PaymentOut.listed)
