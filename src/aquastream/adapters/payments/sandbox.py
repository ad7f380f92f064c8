"""The built-in sandbox provider: the whole card flow runs locally, webhook included.

It keeps its payments in this process's memory (a development and test tool, not a shared
service). ``POST /api/v1/payments/sandbox/{providerPaymentId}/complete`` plays the payer:
it settles the sandbox payment and delivers a notification signed like a real provider's
(``X-Sandbox-Signature``: hex HMAC-SHA256 of the body with the sandbox secret) to the same
webhook processing that ``POST /webhooks/payments/sandbox`` uses.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, replace
from decimal import Decimal

from aquastream.adapters.payments.common import (
    decimal_text,
    hmac_sha256,
    json_body,
    parse_decimal,
    require_equal,
)
from aquastream.domain.payments.errors import InvalidWebhookSignature, PaymentNotFound, ProviderFailed
from aquastream.domain.payments.model import (
    Checkout,
    CheckoutRequest,
    ProviderPayment,
    ProviderStatus,
    WebhookDelivery,
    WebhookNotice,
)

SANDBOX = "sandbox"
SIGNATURE_HEADER = "x-sandbox-signature"
OUTCOMES = {ProviderStatus.SUCCEEDED, ProviderStatus.FAILED}


@dataclass(frozen=True, slots=True)
class _SandboxPayment:
    reference: uuid.UUID
    amount: Decimal
    currency: str
    status: ProviderStatus = ProviderStatus.PENDING
    refunded: Decimal = Decimal("0.00")


class SandboxProvider:
    def __init__(self, secret: str, complete_url: str) -> None:
        """``complete_url`` has a ``{id}`` placeholder for the sandbox payment id."""
        self._secret = secret
        self._complete_url = complete_url
        self._payments: dict[str, _SandboxPayment] = {}

    @property
    def name(self) -> str:
        return SANDBOX

    async def create(self, request: CheckoutRequest) -> Checkout:
        provider_payment_id = f"sbx_{request.payment_id.hex}"  # the same id on a retry
        self._payments.setdefault(
            provider_payment_id, _SandboxPayment(request.payment_id, request.amount, request.currency)
        )
        url = self._complete_url.format(id=provider_payment_id)
        return Checkout(provider_payment_id, {"type": "sandbox", "url": url, "returnUrl": request.return_url})

    def _known(self, provider_payment_id: str) -> _SandboxPayment:
        payment = self._payments.get(provider_payment_id)
        if payment is None:
            raise ProviderFailed("The sandbox does not know this payment (it keeps them in memory).")
        return payment

    async def fetch(self, provider_payment_id: str) -> ProviderPayment:
        payment = self._known(provider_payment_id)
        return ProviderPayment(
            provider_payment_id, payment.status, payment.amount, payment.currency, payment.reference
        )

    async def refund(
        self, provider_payment_id: str, amount: Decimal, currency: str, *, idempotency_key: str
    ) -> str:
        payment = self._payments.get(provider_payment_id)
        if payment is None or payment.status is not ProviderStatus.SUCCEEDED:
            raise ProviderFailed("The sandbox has no succeeded payment to refund.")
        self._payments[provider_payment_id] = replace(payment, refunded=payment.refunded + amount)
        return f"sbr_{uuid.uuid5(uuid.NAMESPACE_OID, idempotency_key).hex}"

    async def cancel(self, provider_payment_id: str) -> None:
        """A payment still open ends FAILED (as a provider reports a cancelled payment), so
        completing it afterwards cannot make it succeed; a settled one is left as it is."""
        payment = self._known(provider_payment_id)
        if payment.status is ProviderStatus.PENDING:
            self._payments[provider_payment_id] = replace(payment, status=ProviderStatus.FAILED)

    def complete(self, provider_payment_id: str, outcome: ProviderStatus) -> WebhookDelivery:
        """Settle a sandbox payment as the payer would, and sign the notification about it."""
        payment = self._payments.get(provider_payment_id)
        if payment is None:
            raise PaymentNotFound("The sandbox does not know this payment.")
        if outcome not in OUTCOMES:
            raise ValueError(f"a sandbox payment ends SUCCEEDED or FAILED, not {outcome}")
        if payment.status is ProviderStatus.PENDING:
            self._payments[provider_payment_id] = payment = replace(payment, status=outcome)
        body = json.dumps(
            {
                "id": f"evt_{uuid.uuid4().hex}",
                "paymentId": provider_payment_id,
                "reference": str(payment.reference),
                "status": payment.status.value,
                "amount": decimal_text(payment.amount, payment.currency),
                "currency": payment.currency,
            }
        ).encode()
        return WebhookDelivery({SIGNATURE_HEADER: self.sign(body)}, body)

    def sign(self, body: bytes) -> str:
        return hmac_sha256(self._secret, body).hex()

    async def verify_webhook(self, delivery: WebhookDelivery) -> WebhookNotice:
        require_equal(self.sign(delivery.body), delivery.headers.get(SIGNATURE_HEADER))
        event = json_body(delivery.body)
        try:
            payment = ProviderPayment(
                provider_payment_id=str(event["paymentId"]),
                status=ProviderStatus(event["status"]),
                amount=parse_decimal(event.get("amount"), event.get("currency")),
                currency=event.get("currency"),
                reference=uuid.UUID(event["reference"]) if event.get("reference") else None,
            )
            return WebhookNotice(
                event_id=str(event["id"]), event_type="payment", payment=payment, payload=event
            )
        except (KeyError, ValueError):
            raise InvalidWebhookSignature("The notification is signed but not a sandbox event.") from None
