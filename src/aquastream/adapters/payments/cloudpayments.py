"""CloudPayments: the payer pays in CloudPayments' widget; we receive its notifications and
use its API to read and refund transactions.

The widget needs no server call: the confirmation data is what the client passes to it
(public id, our payment id as ``invoiceId``, amount, currency); the transaction id exists only
once the payer pays, and arrives with the notification. Notifications (form-encoded or JSON)
are authenticated by ``Content-HMAC``: base64 of HMAC-SHA256 of the raw body with the API
secret. API calls use HTTP Basic (public id : API secret) and carry ``X-Request-ID`` (our
refund id), which CloudPayments uses to answer a retried request with the first result.
"""

from __future__ import annotations

import base64
import json
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from aquastream.adapters.payments.common import (
    decimal_number,
    decimal_text,
    hmac_sha256,
    parse_decimal,
    provider_call,
    require_equal,
    uuid_or_none,
)
from aquastream.domain.payments.errors import ProviderFailed
from aquastream.domain.payments.model import (
    Checkout,
    CheckoutRequest,
    ProviderPayment,
    ProviderStatus,
    WebhookDelivery,
    WebhookNotice,
)
from aquastream.domain.shared.errors import ValidationFailed

if TYPE_CHECKING:
    from aquastream.adapters.outbound import OutboundHttp

CLOUDPAYMENTS = "cloudpayments"
DEFAULT_API_URL = "https://api.cloudpayments.ru"
SIGNATURE_HEADERS = ("content-hmac", "x-content-hmac")
_STATUSES = {
    "AwaitingAuthentication": ProviderStatus.PENDING,
    "Authorized": ProviderStatus.PROCESSING,
    "Completed": ProviderStatus.SUCCEEDED,
    "Cancelled": ProviderStatus.FAILED,
    "Declined": ProviderStatus.FAILED,
}


class CloudPaymentsProvider:
    def __init__(
        self, http: OutboundHttp, public_id: str, api_secret: str, *, api_url: str = DEFAULT_API_URL
    ) -> None:
        self._http = http
        self._public_id = public_id
        self._secret = api_secret
        self._auth = (public_id, api_secret)  # HTTP Basic, as httpx takes it
        self._api_url = api_url.rstrip("/")

    @property
    def name(self) -> str:
        return CLOUDPAYMENTS

    async def _call(
        self, path: str, body: dict[str, Any], *, request_id: str | None = None
    ) -> dict[str, Any]:
        headers = {"X-Request-ID": request_id} if request_id else {}
        async with provider_call("CloudPayments"):
            response = await self._http.client.post(
                f"{self._api_url}{path}", json=body, headers=headers, auth=self._auth
            )
            response.raise_for_status()
            answer: dict[str, Any] = response.json()
        if not answer.get("Success"):
            raise ProviderFailed(f"CloudPayments refused: {answer.get('Message') or 'no reason given'}.")
        return answer

    async def create(self, request: CheckoutRequest) -> Checkout:
        return Checkout(
            None,
            {
                "type": "widget",
                "publicId": self._public_id,
                "invoiceId": str(request.payment_id),
                "amount": decimal_text(request.amount, request.currency),
                "currency": request.currency,
                "description": request.description,
            },
        )

    async def fetch(self, provider_payment_id: str) -> ProviderPayment:
        answer = await self._call("/payments/get", {"TransactionId": int(provider_payment_id)})
        return _payment(answer["Model"])

    async def refund(
        self, provider_payment_id: str, amount: Decimal, currency: str, *, idempotency_key: str
    ) -> str:
        answer = await self._call(
            "/payments/refund",
            {"TransactionId": int(provider_payment_id), "Amount": decimal_number(amount, currency)},
            request_id=idempotency_key,
        )
        model = answer.get("Model") or {}
        return str(model.get("TransactionId", provider_payment_id))

    async def cancel(self, provider_payment_id: str) -> None:
        """Void the transaction while it is only authorized (a two-stage payment): the held
        money goes back to the payer. A completed one is left to its notification; before the
        payer pays there is no transaction at all, so nothing to cancel."""
        answer = await self._call("/payments/get", {"TransactionId": int(provider_payment_id)})
        if (answer.get("Model") or {}).get("Status") == "Authorized":
            await self._call("/payments/void", {"TransactionId": int(provider_payment_id)})

    async def verify_webhook(self, delivery: WebhookDelivery) -> WebhookNotice:
        expected = base64.b64encode(hmac_sha256(self._secret, delivery.body)).decode()
        presented = next((delivery.headers[h] for h in SIGNATURE_HEADERS if h in delivery.headers), None)
        require_equal(expected, presented)
        notification = _fields(delivery)
        if "TransactionId" not in notification:
            raise ValidationFailed("Not a CloudPayments notification.")
        payment = _payment(notification)
        operation = notification.get("OperationType", "Payment")
        event_id = f"{operation}:{notification['TransactionId']}:{payment.status.value}"
        return WebhookNotice(
            event_id=event_id, event_type=str(operation), payment=payment, payload=notification
        )


def _fields(delivery: WebhookDelivery) -> dict[str, Any]:
    if delivery.headers.get("content-type", "").startswith("application/json"):
        try:
            parsed = json.loads(delivery.body)
        except ValueError:
            raise ValidationFailed("The notification is not JSON.") from None
        return parsed if isinstance(parsed, dict) else {}
    return dict(parse_qsl(delivery.body.decode("utf-8", "replace"), keep_blank_values=True))


def _payment(fields: dict[str, Any]) -> ProviderPayment:
    status = _STATUSES.get(str(fields.get("Status")), ProviderStatus.PENDING)
    if "Status" not in fields and ("Reason" in fields or "ReasonCode" in fields):
        status = ProviderStatus.FAILED  # the Fail notification carries a reason, not a status
    return ProviderPayment(
        provider_payment_id=str(fields["TransactionId"]),
        status=status,
        amount=parse_decimal(fields.get("Amount"), fields.get("Currency")),
        currency=fields.get("Currency"),
        reference=uuid_or_none(fields.get("InvoiceId")),
    )
