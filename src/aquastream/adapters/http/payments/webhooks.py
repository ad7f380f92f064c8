"""``POST /webhooks/payments/{provider}``: providers' notifications, authenticated the way each
provider defines, stored once and applied; every refusal counts in
``aquastream_payment_webhook_failures_total``. Not rate-limited (providers retry from few
addresses) and public (no bearer token: the signature, or for YooKassa the API re-read, is
the authentication)."""

from __future__ import annotations

from typing import Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Request, post
from litestar.params import FromPath
from litestar.status_codes import HTTP_200_OK

from aquastream.adapters.http.auth import public
from aquastream.adapters.http.client_ip import TrustedProxies
from aquastream.adapters.http.metrics import PAYMENT_WEBHOOK_FAILURES, UNKNOWN_PROVIDER
from aquastream.adapters.http.payments.dto import WebhookReceiptOut
from aquastream.adapters.http.route_options import FREE_QUERY, RATE_LIMIT
from aquastream.adapters.payments.cloudpayments import CLOUDPAYMENTS
from aquastream.domain.payments.errors import ProviderUnknown
from aquastream.domain.payments.model import WebhookDelivery, WebhookOutcome
from aquastream.domain.payments.webhooks import ProcessWebhook
from aquastream.domain.shared.errors import DomainError

UNAPPLIED = frozenset({WebhookOutcome.UNKNOWN_PAYMENT, WebhookOutcome.AMOUNT_MISMATCH})


async def process_delivery(
    process_webhook: ProcessWebhook, provider: str, delivery: WebhookDelivery
) -> WebhookOutcome | None:
    """Run the use case, counting refused and unapplied notifications as failed.

    The provider comes from the path: one that is not configured is labelled
    ``UNKNOWN_PROVIDER``, so that calls to made-up names cannot grow the metric's labels."""
    try:
        outcome = await process_webhook(provider, delivery)
    except DomainError as error:
        label = UNKNOWN_PROVIDER if isinstance(error, ProviderUnknown) else provider
        PAYMENT_WEBHOOK_FAILURES.labels(label, error.code).inc()
        raise
    if outcome in UNAPPLIED:
        PAYMENT_WEBHOOK_FAILURES.labels(provider, f"webhook.{outcome.value.lower()}").inc()
    return outcome


def acknowledge(provider: str, outcome: WebhookOutcome | None) -> WebhookReceiptOut | dict[str, int]:
    """What each provider expects back: CloudPayments ``{"code": 0}``, the others any 200."""
    if provider == CLOUDPAYMENTS:
        return {"code": 0}
    return WebhookReceiptOut.of(outcome)


class WebhookController(Controller):
    path = "/webhooks/payments"
    tags = ["webhooks"]

    @public
    @post(
        "/{provider:str}",
        status_code=HTTP_200_OK,
        summary="A payment provider's notification",
        opt={RATE_LIMIT: None, FREE_QUERY: True},
    )
    @inject
    async def receive(
        self,
        provider: FromPath[str],
        request: Request[Any, Any, Any],
        process_webhook: FromDishka[ProcessWebhook],
        proxies: FromDishka[TrustedProxies],
    ) -> WebhookReceiptOut | dict[str, int]:
        """``yookassa``, ``cloudpayments``, ``stripe`` or ``sandbox`` (404
        ``payment.provider_unknown`` for another or an unconfigured one). A notification that
        cannot be authenticated is 401 ``webhook.invalid_signature`` and nothing is stored; a
        repeated one is acknowledged (``duplicate: true``) and changes nothing, and so is an
        authentic one of a type the service does not follow (``outcome: IGNORED``)."""
        delivery = WebhookDelivery(
            headers={name.lower(): value for name, value in request.headers.items()},
            body=await request.body(),
            client_ip=proxies.client_ip(request.scope),
        )
        return acknowledge(provider, await process_delivery(process_webhook, provider, delivery))
