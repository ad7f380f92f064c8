"""``/organizers/{slug}/payment-details``: the bank account an organizer's QR transfers go to
(its owners and admins). Without one, QR payments use the service-wide payee, if configured."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Response, get, put
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_204_NO_CONTENT

from aquastream.adapters.http.payments.dto import PayeeAccountBody
from aquastream.adapters.http.route_options import RATE_LIMIT
from aquastream.domain.payments.payees import GetPayeeAccount, SetPayeeAccount
from aquastream.domain.shared.principal import Principal


class PayeeController(Controller):
    path = "/organizers"
    tags = ["payments"]
    opt = {RATE_LIMIT: "payments"}

    @get(
        "/{slug:str}/payment-details",
        summary="The organizer's bank account for QR transfers",
        responses={
            HTTP_204_NO_CONTENT: ResponseSpec(None, description="The organizer has no account of its own.")
        },
    )
    @inject
    async def show(
        self, slug: FromPath[str], caller: FromDishka[Principal], get_payee: FromDishka[GetPayeeAccount]
    ) -> Response[PayeeAccountBody | None]:
        """204 when the organizer has none of its own. 404 ``organizer.not_found``, 403
        ``payment.forbidden`` for anyone but its owners and admins."""
        account = await get_payee(caller, slug)
        if account is None:
            return Response(None, status_code=HTTP_204_NO_CONTENT)
        return Response(PayeeAccountBody.of(account))

    @put("/{slug:str}/payment-details", summary="Set the organizer's bank account for QR transfers")
    @inject
    async def replace(
        self,
        slug: FromPath[str],
        data: JSONBody[PayeeAccountBody],
        caller: FromDishka[Principal],
        set_payee: FromDishka[SetPayeeAccount],
    ) -> PayeeAccountBody:
        """Digits are checked (400 ``validation.failed`` naming every bad field); new QR
        payments of the organizer's events use this account."""
        return PayeeAccountBody.of(await set_payee(caller, slug, data.to_domain()))
