"""``GET /payments/pay/{bookingId}?token=…``: a booking's pay link, as booking responses
(``payUrl``) and the "booking created" message hand it out. Opening it in a browser goes on
to the provider's payment page (303), starting a card payment when none waits for the payer.
The signed token stands for the booking's owner: no login is needed, as for a calendar feed."""

from __future__ import annotations

import uuid
from typing import Annotated

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, get
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect
from litestar.status_codes import HTTP_303_SEE_OTHER

from aquastream.adapters.http.auth import public
from aquastream.adapters.http.route_options import FREE_QUERY, RAISES
from aquastream.domain.payments.errors import PayLinkInvalid
from aquastream.domain.payments.init import PayByLink
from aquastream.ports.booking import PayLinks

Token = Annotated[
    str, QueryParameter(name="token", min_length=1, max_length=128, description="The link's signature.")
]


class PayLinkController(Controller):
    path = "/payments/pay"
    tags = ["payments"]

    @public
    @get(
        "/{booking_id:uuid}",
        status_code=HTTP_303_SEE_OTHER,
        summary="Open a booking's pay link: on to the provider's payment page",
        # Link trackers of mail and messengers append parameters of their own (``utm_*``).
        opt={RAISES: (PayLinkInvalid,), FREE_QUERY: True},
    )
    @inject
    async def open_link(
        self,
        booking_id: FromPath[uuid.UUID],
        token: Token,
        links: FromDishka[PayLinks],
        pay: FromDishka[PayByLink],
    ) -> Redirect:
        """A wrong or foreign token is 404 ``payment.link_invalid``. The booking must still be
        payable (409 ``payment.booking_not_payable``); a card payment waiting for the payer is
        continued, else one is started with the default provider; a QR payment under way is
        409 ``payment.already_open``; a provider whose widget only the app opens is 409
        ``payment.no_payment_page``."""
        if not links.verify(booking_id, token):
            raise PayLinkInvalid()
        _, page = await pay(booking_id)
        return Redirect(page, status_code=HTTP_303_SEE_OTHER)
