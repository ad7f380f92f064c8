"""``/payments``: the payer starts, reads, cancels a payment and hands in a QR receipt; the
organizer reviews receipts and refunds; the sandbox's payment page."""

from __future__ import annotations

import html
import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, MediaType, Request, Response, get, post
from litestar.openapi import ResponseSpec
from litestar.openapi.spec import Operation, Reference
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from aquastream.adapters.http.auth import public, requires_role
from aquastream.adapters.http.idempotency import KEYED_REQUEST_ERRORS, IdempotencyKey, answer_keyed
from aquastream.adapters.http.paging import PageNumber, PageOut, PageSize, page_request, sort_parameter
from aquastream.adapters.http.payments.dto import (
    PaymentIn,
    PaymentOut,
    ProofIn,
    RefundIn,
    RefundOut,
    ReviewIn,
    SandboxCompletionIn,
    WebhookReceiptOut,
)
from aquastream.adapters.http.payments.webhooks import process_delivery
from aquastream.adapters.http.route_options import RAISES, RATE_LIMIT
from aquastream.adapters.payments.sandbox import SANDBOX, SandboxProvider
from aquastream.domain.payments.errors import PaymentNotFound, ProviderFailed, ProviderNotConfigured
from aquastream.domain.payments.init import InitPayment
from aquastream.domain.payments.manage import CancelPayment, ReviewPayment, SubmitProof
from aquastream.domain.payments.model import Payment, ProviderStatus
from aquastream.domain.payments.ordering import NEWEST_PAYMENTS, PaymentSortKey
from aquastream.domain.payments.queries import GetPayment, ListMyPayments, ModerationQueue
from aquastream.domain.payments.refunds import RefundPayment
from aquastream.domain.payments.webhooks import ProcessWebhook
from aquastream.domain.shared.principal import Principal, Role
from aquastream.domain.shared.requests import KeyedRequest
from aquastream.ports.payments import PaymentProviders

PaymentId = FromPath[uuid.UUID]


@dataclass
class OptionalBodyOperation(Operation):
    """An operation whose JSON body may be left out (Litestar marks every body required)."""

    def __post_init__(self) -> None:
        if self.request_body is not None and not isinstance(self.request_body, Reference):
            self.request_body.required = False


SANDBOX_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>AquaStream sandbox payment</title></head>
<body><h1>Sandbox payment</h1><p>Amount: {amount}. Status: {status}.</p>
<form method="post"><button type="submit">Pay</button></form>
<p>No money moves: this is the development sandbox.</p></body></html>
"""


class PaymentController(Controller):
    path = "/payments"
    tags = ["payments"]
    opt = {RATE_LIMIT: "payments"}

    @post(
        "",
        status_code=HTTP_201_CREATED,
        summary="Start paying a booking",
        opt={RAISES: KEYED_REQUEST_ERRORS},
        responses={HTTP_201_CREATED: ResponseSpec(PaymentOut, description="The new payment.")},
    )
    @inject
    async def init(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[PaymentIn],
        caller: FromDishka[Principal],
        init_payment: FromDishka[InitPayment],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[bytes]:
        """The booking's owner, for a PENDING booking still holding its seat (404
        ``booking.not_found``, 409 ``payment.booking_not_payable``). One open payment per
        booking: 409 ``payment.already_open`` with ``existingPaymentId`` (continue it, or cancel
        it first). WIDGET answers with the provider's ``confirmation`` (422
        ``payment.provider_unavailable`` for a provider not configured, 503
        ``payment.provider_failed`` when it does not answer); QR_MANUAL with ``qr`` (the
        unified-format payload and its PNG), for a booking in RUB only (422
        ``payment.qr_rub_only``: the format's sum is in kopecks)."""

        async def act(keyed: KeyedRequest[Payment] | None) -> Payment:
            return await init_payment(caller, data.booking_id, data.method, data.provider, keyed)

        async def replay(payment_id: uuid.UUID) -> PaymentOut:
            return PaymentOut.of(await init_payment.resume(caller, payment_id))

        return await answer_keyed(
            caller,
            idempotency_key,
            request=request,
            body=data,
            status_code=HTTP_201_CREATED,
            act=act,
            render=PaymentOut.of,
            replay=replay,
        )

    @get("", summary="The caller's payments, newest first (or `sort`)")
    @inject
    async def list_mine(
        self,
        caller: FromDishka[Principal],
        list_payments: FromDishka[ListMyPayments],
        sort: Annotated[str, sort_parameter(PaymentSortKey)] = NEWEST_PAYMENTS.text,
        page: PageNumber = 0,
        size: PageSize = 20,
    ) -> PageOut[PaymentOut]:
        """``sort=amount`` compares amounts as they are, not converted between currencies."""
        found = await list_payments(caller, page_request(page, size), sort=sort)
        return PageOut.of(found, PaymentOut.listed)

    @get(
        "/moderation",
        summary="QR receipts waiting for review, oldest first",
        guards=[requires_role(Role.ORGANIZER)],
    )
    @inject
    async def moderation(
        self,
        caller: FromDishka[Principal],
        queue: FromDishka[ModerationQueue],
        page: PageNumber = 0,
        size: PageSize = 20,
    ) -> PageOut[PaymentOut]:
        """Of the events of the caller's organizers; an admin sees every event's.

        No ``sort``: oldest submission first is the queue's meaning (first submitted, first
        reviewed), so every reviewer works through it from the same end."""
        return PageOut.of(await queue(caller, page_request(page, size)), PaymentOut.listed)

    @get("/{payment_id:uuid}", summary="One payment with its refunds")
    @inject
    async def show(
        self, payment_id: PaymentId, caller: FromDishka[Principal], get_payment: FromDishka[GetPayment]
    ) -> PaymentOut:
        """The payer, the event's organizer or an admin; anyone else 404 ``payment.not_found``."""
        payment, refunds = await get_payment(caller, payment_id)
        return PaymentOut.of(payment, refunds)

    @post("/{payment_id:uuid}/cancel", status_code=HTTP_200_OK, summary="Give up a payment")
    @inject
    async def cancel(
        self, payment_id: PaymentId, caller: FromDishka[Principal], cancel_payment: FromDishka[CancelPayment]
    ) -> PaymentOut:
        """The payer, for a PENDING or REJECTED payment (409 ``payment.invalid_status``). A card
        payment is then cancelled at its provider too where the provider allows it; should it
        be paid there all the same, the booking settles it (confirmed, or refunded)."""
        return PaymentOut.of(await cancel_payment(caller, payment_id))

    @post("/{payment_id:uuid}/proof", status_code=HTTP_200_OK, summary="Hand in the bank's receipt (QR)")
    @inject
    async def proof(
        self,
        payment_id: PaymentId,
        data: JSONBody[ProofIn],
        caller: FromDishka[Principal],
        submit_proof: FromDishka[SubmitProof],
    ) -> PaymentOut:
        """The payer of a PENDING or REJECTED QR payment (422 ``payment.wrong_method``, 409
        ``payment.invalid_status``) while the booking holds its seat (409
        ``payment.booking_not_payable``). The file must be a READY ``payment_proof`` media file
        of the booking that the payer uploaded (422 ``payment.invalid_proof``). The booking
        keeps its seat until the organizer decides (48 h at most by default)."""
        return PaymentOut.of(await submit_proof(caller, payment_id, data.file_id))

    @post("/{payment_id:uuid}/review", status_code=HTTP_200_OK, summary="Approve or reject a QR receipt")
    @inject
    async def review(
        self,
        payment_id: PaymentId,
        data: JSONBody[ReviewIn],
        caller: FromDishka[Principal],
        review_payment: FromDishka[ReviewPayment],
    ) -> PaymentOut:
        """The event's organizer or an admin (403 ``payment.forbidden`` for the payer), for a
        SUBMITTED QR payment. APPROVE: SUCCEEDED and the booking is confirmed; REJECT needs a
        ``reason`` (400) and lets the payer hand in another receipt."""
        decided = await review_payment(
            caller, payment_id, approve=data.decision == "APPROVE", reason=data.reason
        )
        return PaymentOut.of(decided)

    @post(
        "/{payment_id:uuid}/refund",
        status_code=HTTP_201_CREATED,
        summary="Refund a payment, whole or in part",
        responses={HTTP_201_CREATED: ResponseSpec(RefundOut, description="The refund.")},
    )
    @inject
    async def refund(
        self,
        payment_id: PaymentId,
        data: JSONBody[RefundIn],
        caller: FromDishka[Principal],
        refund_payment: FromDishka[RefundPayment],
    ) -> Response[RefundOut]:
        """The event's organizer or an admin, for a SUCCEEDED or PARTIALLY_REFUNDED payment
        (409 ``payment.invalid_status``); at most what is left (422
        ``payment.refund_too_large``) and no finer than the payment's currency (422
        ``money.too_many_fraction_digits``: JPY whole, KWD to 3 digits). Card payments through
        the provider (503 ``payment.provider_failed`` refunds nothing); QR payments are
        recorded as MANUAL."""
        refund = await refund_payment(caller, payment_id, data.amount, data.reason)
        return Response(RefundOut.of(refund), status_code=HTTP_201_CREATED)

    @public
    @get(
        "/sandbox/{provider_payment_id:str}/complete",
        media_type=MediaType.HTML,
        summary="Sandbox only: the payment page a pay link leads to",
        opt={RAISES: (ProviderNotConfigured, PaymentNotFound)},
    )
    @inject
    async def sandbox_page(
        self, provider_payment_id: FromPath[str], providers: FromDishka[PaymentProviders]
    ) -> str:
        """What a browser sees at a sandbox payment's ``confirmation.url``: the amount and a
        button that ``POST``s the page, which pays it. 404 ``payment.not_found`` for a payment
        the sandbox does not know (it keeps them in memory)."""
        sandbox = providers.get(SANDBOX)
        if not isinstance(sandbox, SandboxProvider):
            raise ProviderNotConfigured()
        try:
            payment = await sandbox.fetch(provider_payment_id)
        except ProviderFailed:
            raise PaymentNotFound() from None
        amount = html.escape(f"{payment.amount} {payment.currency}")
        return SANDBOX_PAGE.format(amount=amount, status=html.escape(payment.status.value))

    @public
    @post(
        "/sandbox/{provider_payment_id:str}/complete",
        status_code=HTTP_200_OK,
        summary="Sandbox only: pay (or fail) a sandbox payment, as its payment page would",
        operation_class=OptionalBodyOperation,
        # The sandbox itself answers 404 for a payment it does not know.
        opt={RAISES: (ProviderNotConfigured, PaymentNotFound)},
    )
    @inject
    async def complete_sandbox(
        self,
        provider_payment_id: FromPath[str],
        providers: FromDishka[PaymentProviders],
        process_webhook: FromDishka[ProcessWebhook],
        data: JSONBody[SandboxCompletionIn | None] = None,
    ) -> WebhookReceiptOut:
        """The ``confirmation.url`` of a sandbox payment: a bare ``POST`` (no body) pays it,
        ``{"outcome": "FAILED"}`` makes it fail. Settles it at the sandbox, which then
        delivers its signed notification like a real provider. 422
        ``payment.provider_unavailable`` where the sandbox is off (production)."""
        sandbox = providers.get(SANDBOX)
        if not isinstance(sandbox, SandboxProvider):
            raise ProviderNotConfigured()
        outcome = (data or SandboxCompletionIn()).outcome
        delivery = sandbox.complete(provider_payment_id, ProviderStatus(outcome))
        return WebhookReceiptOut.of(await process_delivery(process_webhook, SANDBOX, delivery))
