"""Stripe: Checkout Sessions, refunds of their payment intents, and signed webhook events.

API calls are form-encoded with the secret key as bearer token and an ``Idempotency-Key``
(our payment or refund id). Events are authenticated by ``Stripe-Signature: t=<unix time>,
v1=<hex>``: HMAC-SHA256 of ``<t>.<raw body>`` with the endpoint's signing secret; ``t`` must
be within the tolerance window of now (replays of old events are refused). Only the Checkout
Session events that settle a payment are followed; other authentic events are acknowledged
and ignored, since Stripe resends an event it gets no 2xx for during about three days.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from aquastream.adapters.payments.common import (
    hmac_sha256,
    json_body,
    matches,
    minor_units,
    parse_minor_units,
    provider_call,
    uuid_or_none,
)
from aquastream.domain.payments.errors import InvalidWebhookSignature, ProviderFailed
from aquastream.domain.payments.model import (
    Checkout,
    CheckoutRequest,
    ProviderPayment,
    ProviderStatus,
    WebhookDelivery,
    WebhookNotice,
)
from aquastream.domain.shared.errors import ValidationFailed
from aquastream.ports.clock import Clock

if TYPE_CHECKING:
    from aquastream.adapters.outbound import OutboundHttp

STRIPE = "stripe"
DEFAULT_API_URL = "https://api.stripe.com"
SIGNATURE_HEADER = "stripe-signature"
_FAILED_EVENTS = {"checkout.session.async_payment_failed", "checkout.session.expired"}
# The Checkout Session events that say how a payment ended; any other event an endpoint is
# subscribed to (``payment_intent.created``, ``charge.succeeded``…) is acknowledged and ignored.
_FOLLOWED_EVENTS = {"checkout.session.completed", "checkout.session.async_payment_succeeded", *_FAILED_EVENTS}


class StripeProvider:
    def __init__(
        self,
        http: OutboundHttp,
        secret_key: str,
        webhook_secret: str,
        clock: Clock,
        *,
        api_url: str = DEFAULT_API_URL,
        tolerance_seconds: int = 300,
    ) -> None:
        self._http = http
        self._headers = {"Authorization": f"Bearer {secret_key}"}
        self._webhook_secret = webhook_secret
        self._clock = clock
        self._api_url = api_url.rstrip("/")
        self._tolerance = tolerance_seconds

    @property
    def name(self) -> str:
        return STRIPE

    async def _call(
        self, method: str, path: str, *, key: str | None = None, form: dict[str, str] | None = None
    ) -> dict[str, Any]:
        headers = dict(self._headers)
        if key:
            headers["Idempotency-Key"] = key
        async with provider_call("Stripe"):
            response = await self._http.client.request(
                method, f"{self._api_url}{path}", data=form, headers=headers
            )
            response.raise_for_status()
            answer: dict[str, Any] = response.json()
            return answer

    async def create(self, request: CheckoutRequest) -> Checkout:
        reference = str(request.payment_id)
        session = await self._call(
            "POST",
            "/v1/checkout/sessions",
            key=reference,
            form={
                "mode": "payment",
                "success_url": request.return_url,
                "cancel_url": request.return_url,
                "client_reference_id": reference,
                "metadata[payment_id]": reference,
                "line_items[0][quantity]": "1",
                "line_items[0][price_data][currency]": request.currency.lower(),
                "line_items[0][price_data][unit_amount]": str(minor_units(request.amount, request.currency)),
                "line_items[0][price_data][product_data][name]": request.description[:250],
            },
        )
        if not session.get("url"):
            raise ProviderFailed("Stripe gave no checkout URL.")
        return Checkout(
            str(session["id"]), {"type": "checkout", "url": str(session["url"]), "sessionId": session["id"]}
        )

    async def fetch(self, provider_payment_id: str) -> ProviderPayment:
        return _payment(await self._call("GET", f"/v1/checkout/sessions/{provider_payment_id}"))

    async def refund(
        self, provider_payment_id: str, amount: Decimal, currency: str, *, idempotency_key: str
    ) -> str:
        session = await self._call("GET", f"/v1/checkout/sessions/{provider_payment_id}")
        intent = session.get("payment_intent")
        if not intent:
            raise ProviderFailed("The Stripe session has no payment to refund.")
        refund = await self._call(
            "POST",
            "/v1/refunds",
            key=idempotency_key,
            form={"payment_intent": str(intent), "amount": str(minor_units(amount, currency))},
        )
        if refund.get("status") in ("failed", "canceled"):
            raise ProviderFailed("Stripe refused the refund.")
        return str(refund["id"])

    async def cancel(self, provider_payment_id: str) -> None:
        """Expire the Checkout Session: the payer can no longer complete it. Stripe expires
        only an open session; for one already completed it answers an error (the payment's
        outcome arrives as an event)."""
        await self._call("POST", f"/v1/checkout/sessions/{provider_payment_id}/expire")

    async def verify_webhook(self, delivery: WebhookDelivery) -> WebhookNotice:
        """An authentic event of a type not followed, or about something other than a Checkout
        Session, is a notice without a payment: answered with an error, Stripe would resend it
        for days."""
        self._check_signature(delivery)
        event = json_body(delivery.body)
        if not event.get("id"):
            raise ValidationFailed("Not a Stripe event.")
        event_id, event_type = str(event["id"]), str(event.get("type") or "")
        data = event.get("data")
        session = data.get("object") if isinstance(data, dict) else None
        if (
            event_type not in _FOLLOWED_EVENTS
            or not isinstance(session, dict)
            or session.get("object") != "checkout.session"
        ):
            return WebhookNotice(event_id=event_id, event_type=event_type, payment=None, payload=event)
        try:
            payment = _payment(session)
        except (KeyError, TypeError, ValueError):
            raise ValidationFailed("The event's Checkout Session is malformed.") from None
        if event_type in _FAILED_EVENTS:
            payment = ProviderPayment(
                payment.provider_payment_id,
                ProviderStatus.FAILED,
                payment.amount,
                payment.currency,
                payment.reference,
            )
        return WebhookNotice(event_id=event_id, event_type=event_type, payment=payment, payload=event)

    def _check_signature(self, delivery: WebhookDelivery) -> None:
        header = delivery.headers.get(SIGNATURE_HEADER, "")
        pairs = [part.split("=", 1) for part in header.split(",") if "=" in part]
        timestamps = [value for key, value in pairs if key.strip() == "t"]
        signatures = [value.strip() for key, value in pairs if key.strip() == "v1"]
        if len(timestamps) != 1 or not timestamps[0].strip().isdigit() or not signatures:
            raise InvalidWebhookSignature()
        signed_at = int(timestamps[0])
        if abs(self._clock.now().timestamp() - signed_at) > self._tolerance:
            raise InvalidWebhookSignature("The notification's timestamp is outside the tolerance window.")
        expected = hmac_sha256(self._webhook_secret, f"{signed_at}.".encode() + delivery.body).hex()
        if not any(matches(expected, signature) for signature in signatures):
            raise InvalidWebhookSignature()


def _payment(session: dict[str, Any]) -> ProviderPayment:
    if session.get("payment_status") in ("paid", "no_payment_required"):
        status = ProviderStatus.SUCCEEDED
    elif session.get("status") == "expired":
        status = ProviderStatus.FAILED
    elif session.get("status") == "complete":
        status = ProviderStatus.PROCESSING  # completed, the money still on its way
    else:
        status = ProviderStatus.PENDING
    total = session.get("amount_total")
    currency = session.get("currency")
    return ProviderPayment(
        provider_payment_id=str(session["id"]),
        status=status,
        amount=parse_minor_units(total, currency),
        currency=str(currency).upper() if currency else None,
        reference=uuid_or_none(session.get("client_reference_id")),
    )
