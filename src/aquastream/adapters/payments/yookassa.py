"""YooKassa (API v3): payments with a redirect confirmation, refunds, and notifications that
are trusted only after re-reading the payment from the API.

Requests authenticate with HTTP Basic (shop id : secret key) and carry an ``Idempotence-Key``
(our payment or refund id), so a retried request never charges or refunds twice. YooKassa
does not sign its notifications: the notification only names the payment, whose state is
then fetched from the API; optionally the sender's IP must be in YooKassa's published ranges.
A notification is known by what the API confirmed (the payment's id and status), so repeats
of one piece of news are recognised whatever their bodies say.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from aquastream.adapters.payments.common import (
    decimal_text,
    json_body,
    parse_decimal,
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

if TYPE_CHECKING:
    from aquastream.adapters.outbound import OutboundHttp

YOOKASSA = "yookassa"
DEFAULT_API_URL = "https://api.yookassa.ru/v3"
# YooKassa's notification senders, as its documentation lists them.
DEFAULT_ALLOWED_NETWORKS = (
    "185.71.76.0/27",
    "185.71.77.0/27",
    "77.75.153.0/25",
    "77.75.156.11/32",
    "77.75.156.35/32",
    "77.75.154.128/25",
    "2a02:5180::/32",
)
_STATUSES = {
    "pending": ProviderStatus.PENDING,
    "waiting_for_capture": ProviderStatus.PROCESSING,
    "succeeded": ProviderStatus.SUCCEEDED,
    "canceled": ProviderStatus.FAILED,
}


class YooKassaProvider:
    def __init__(
        self,
        http: OutboundHttp,
        shop_id: str,
        secret_key: str,
        *,
        api_url: str = DEFAULT_API_URL,
        allowed_networks: Sequence[str] = (),
    ) -> None:
        """``allowed_networks`` empty: notifications from any address (their content is
        re-read from the API anyway)."""
        self._http = http
        self._auth = (shop_id, secret_key)  # HTTP Basic, as httpx takes it
        self._api_url = api_url.rstrip("/")
        self._networks = [ipaddress.ip_network(network) for network in allowed_networks]

    @property
    def name(self) -> str:
        return YOOKASSA

    async def _call(
        self, method: str, path: str, *, key: str | None = None, body: Any = None
    ) -> dict[str, Any]:
        headers = {"Idempotence-Key": key} if key else {}
        async with provider_call("YooKassa"):
            response = await self._http.client.request(
                method, f"{self._api_url}{path}", json=body, headers=headers, auth=self._auth
            )
            response.raise_for_status()
            answer: dict[str, Any] = response.json()
            return answer

    async def create(self, request: CheckoutRequest) -> Checkout:
        answer = await self._call(
            "POST",
            "/payments",
            key=str(request.payment_id),
            body={
                "amount": {
                    "value": decimal_text(request.amount, request.currency),
                    "currency": request.currency,
                },
                "capture": True,
                "confirmation": {"type": "redirect", "return_url": request.return_url},
                "description": request.description[:128],
                "metadata": {"payment_id": str(request.payment_id)},
            },
        )
        url = answer.get("confirmation", {}).get("confirmation_url")
        if not url:
            raise ProviderFailed("YooKassa gave no confirmation URL.")
        return Checkout(str(answer["id"]), {"type": "redirect", "url": str(url)})

    async def fetch(self, provider_payment_id: str) -> ProviderPayment:
        answer = await self._call("GET", f"/payments/{provider_payment_id}")
        return _payment(answer)

    async def refund(
        self, provider_payment_id: str, amount: Decimal, currency: str, *, idempotency_key: str
    ) -> str:
        answer = await self._call(
            "POST",
            "/refunds",
            key=idempotency_key,
            body={
                "payment_id": provider_payment_id,
                "amount": {"value": decimal_text(amount, currency), "currency": currency},
            },
        )
        if answer.get("status") == "canceled":
            raise ProviderFailed("YooKassa refused the refund.")
        return str(answer["id"])

    async def cancel(self, provider_payment_id: str) -> None:
        """YooKassa cancels only a payment ``waiting_for_capture``. Ours are created with
        ``capture: true``, so one still ``pending`` cannot be cancelled through the API: YooKassa
        cancels it by itself when the payer does not pay in time, and nothing is done here."""
        answer = await self._call("GET", f"/payments/{provider_payment_id}")
        if answer.get("status") == "waiting_for_capture":
            await self._call(
                "POST",
                f"/payments/{provider_payment_id}/cancel",
                key=f"cancel-{provider_payment_id}",
                body={},
            )

    async def verify_webhook(self, delivery: WebhookDelivery) -> WebhookNotice:
        if self._networks and not self._allowed(delivery.client_ip):
            raise InvalidWebhookSignature("The notification does not come from YooKassa's addresses.")
        notification = json_body(delivery.body)
        event = notification.get("event")
        subject = notification.get("object")
        if not isinstance(event, str) or not isinstance(subject, dict) or "id" not in subject:
            raise ValidationFailed("Not a YooKassa notification.")
        payment_id = subject.get("payment_id") if event.startswith("refund.") else subject["id"]
        try:
            payment = await self.fetch(str(payment_id))
        except ProviderFailed as error:
            import httpx

            if (
                isinstance(error.__cause__, httpx.HTTPStatusError)
                and error.__cause__.response.status_code == 404
            ):
                raise InvalidWebhookSignature("YooKassa does not know the notified payment.") from None
            raise
        # The API's answer, not the notification, is what counts, for duplicates too: an event id
        # read from the unsigned body would let a forged "succeeded" about a payment still
        # pending take the id of the genuine notification to come, which would then be
        # dismissed as a repeat. The verified payment and status name what is news.
        event_id = f"{payment.provider_payment_id}:{payment.status.value}"
        return WebhookNotice(event_id=event_id, event_type=event, payment=payment, payload=notification)

    def _allowed(self, client_ip: str | None) -> bool:
        if client_ip is None:
            return False
        try:
            address = ipaddress.ip_address(client_ip)
        except ValueError:
            return False
        return any(address in network for network in self._networks)


def _payment(answer: dict[str, Any]) -> ProviderPayment:
    amount = answer.get("amount") or {}
    reference = (answer.get("metadata") or {}).get("payment_id")
    return ProviderPayment(
        provider_payment_id=str(answer["id"]),
        status=_STATUSES.get(str(answer.get("status")), ProviderStatus.PENDING),
        amount=parse_decimal(amount.get("value"), amount.get("currency")),
        currency=amount.get("currency"),
        reference=uuid_or_none(reference),
    )
