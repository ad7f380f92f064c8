"""The CloudPayments adapter against a local server speaking CloudPayments' API: Basic auth
with the public id and API secret, ``X-Request-ID`` for idempotent refunds, and notifications
authenticated by ``Content-HMAC`` (base64 HMAC-SHA256 of the raw body)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from aquastream.adapters.http.tracing import Tracing
from aquastream.adapters.outbound import OutboundHttp
from aquastream.adapters.payments.cloudpayments import CloudPaymentsProvider
from aquastream.domain.payments.errors import InvalidWebhookSignature, ProviderFailed
from aquastream.domain.payments.model import CheckoutRequest, ProviderStatus, WebhookDelivery

from .fake_providers import Answer, FakeProvider, Recorded, basic, serving

PUBLIC_ID, API_SECRET = "pk_test_1", "cp_secret"


class FakeCloudPayments(FakeProvider):
    def __init__(self) -> None:
        super().__init__(lambda h: h.get("authorization") == basic(PUBLIC_ID, API_SECRET), "X-Request-ID")
        self.transactions: dict[int, dict[str, Any]] = {}
        self.routes = {
            ("POST", "/payments/get"): self._get,
            ("POST", "/payments/refund"): self._refund,
            ("POST", "/payments/void"): self._void,
        }

    def _get(self, request: Recorded) -> Answer:
        found = self.transactions.get(request.json()["TransactionId"])
        if found is None:
            return 200, {"Success": False, "Message": "Not found"}
        return 200, {"Success": True, "Message": None, "Model": found}

    def _void(self, request: Recorded) -> Answer:
        """Only an authorized (two-stage) transaction can be voided."""
        found = self.transactions.get(request.json()["TransactionId"])
        if found is None or found["Status"] != "Authorized":
            return 200, {"Success": False, "Message": "Transaction can not be voided"}
        found["Status"] = "Cancelled"
        return 200, {"Success": True, "Message": None}

    def _refund(self, request: Recorded) -> Answer:
        body = request.json()
        if body["TransactionId"] not in self.transactions:
            return 200, {"Success": False, "Message": "Transaction not found"}
        return 200, {"Success": True, "Message": None, "Model": {"TransactionId": 900 + len(self.requests)}}


@pytest.fixture
def fake() -> Iterator[FakeCloudPayments]:
    with serving(FakeCloudPayments()) as running:
        yield running  # type: ignore[misc]


@pytest.fixture
async def adapter(fake: FakeCloudPayments) -> AsyncIterator[CloudPaymentsProvider]:
    async with httpx.AsyncClient(timeout=5) as client:
        yield CloudPaymentsProvider(
            OutboundHttp(5, Tracing.off(), client=client), PUBLIC_ID, API_SECRET, api_url=fake.url
        )


def _signed(
    body: bytes, secret: str = API_SECRET, content_type: str = "application/x-www-form-urlencoded"
) -> WebhookDelivery:
    signature = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
    return WebhookDelivery({"content-hmac": signature, "content-type": content_type}, body)


def _pay_notification(reference: uuid.UUID, **overrides: str) -> dict[str, str]:
    fields = {
        "TransactionId": "1211506522",
        "Amount": "1500.00",
        "Currency": "RUB",
        "InvoiceId": str(reference),
        "OperationType": "Payment",
        "Status": "Completed",
        "CardFirstSix": "411111",
        "CardLastFour": "1111",
        "Email": "payer@example.org",
    }
    fields.update(overrides)
    return fields


async def test_the_widget_needs_no_server_call(
    fake: FakeCloudPayments, adapter: CloudPaymentsProvider
) -> None:
    request = CheckoutRequest(
        uuid.uuid4(), Decimal("1500.00"), "RUB", "Booking", "https://app.example/return"
    )

    checkout = await adapter.create(request)

    assert checkout.provider_payment_id is None
    assert checkout.confirmation["type"] == "widget"
    assert (checkout.confirmation["publicId"], checkout.confirmation["invoiceId"]) == (
        PUBLIC_ID,
        str(request.payment_id),
    )
    assert checkout.confirmation["amount"] == "1500.00"
    assert fake.requests == []


async def test_a_signed_pay_notification_is_read_form_encoded_or_json(adapter: CloudPaymentsProvider) -> None:
    reference = uuid.uuid4()
    fields = _pay_notification(reference)

    form = await adapter.verify_webhook(_signed(urlencode(fields).encode()))
    as_json = await adapter.verify_webhook(
        _signed(json.dumps(fields).encode(), content_type="application/json")
    )

    for notice in (form, as_json):
        assert notice.payment.status is ProviderStatus.SUCCEEDED
        assert (notice.payment.provider_payment_id, notice.payment.reference) == ("1211506522", reference)
        assert (notice.payment.amount, notice.payment.currency) == (Decimal("1500.00"), "RUB")
        assert notice.event_id == "Payment:1211506522:SUCCEEDED"


async def test_a_fail_notification_fails_the_payment(adapter: CloudPaymentsProvider) -> None:
    fields = _pay_notification(uuid.uuid4(), Reason="InsufficientFunds", ReasonCode="5051")
    del fields["Status"]

    notice = await adapter.verify_webhook(_signed(urlencode(fields).encode()))

    assert notice.payment.status is ProviderStatus.FAILED


async def test_a_wrong_or_missing_hmac_is_refused(adapter: CloudPaymentsProvider) -> None:
    body = urlencode(_pay_notification(uuid.uuid4())).encode()

    with pytest.raises(InvalidWebhookSignature):
        await adapter.verify_webhook(_signed(body, secret="someone else"))
    with pytest.raises(InvalidWebhookSignature):
        await adapter.verify_webhook(WebhookDelivery({}, body))


async def test_fetch_and_refund_use_basic_auth_and_a_request_id(
    fake: FakeCloudPayments, adapter: CloudPaymentsProvider
) -> None:
    reference = uuid.uuid4()
    fake.transactions[1211506522] = {
        "TransactionId": 1211506522,
        "Amount": 1500.0,
        "Currency": "RUB",
        "InvoiceId": str(reference),
        "Status": "Completed",
    }

    fetched = await adapter.fetch("1211506522")
    refund_id = await adapter.refund("1211506522", Decimal("100.50"), "RUB", idempotency_key="refund-7")

    assert (fetched.status, fetched.reference, fetched.amount) == (
        ProviderStatus.SUCCEEDED,
        reference,
        Decimal("1500.00"),
    )
    assert refund_id.startswith("9")
    refund = fake.requests[-1]
    assert refund.headers["x-request-id"] == "refund-7"
    assert refund.json() == {"TransactionId": 1211506522, "Amount": 100.5}
    with pytest.raises(ProviderFailed):
        await adapter.refund("42", Decimal("1.00"), "RUB", idempotency_key="refund-8")


async def test_cancel_voids_an_authorized_transaction_and_leaves_a_completed_one(
    fake: FakeCloudPayments, adapter: CloudPaymentsProvider
) -> None:
    held = {"TransactionId": 1001, "Status": "Authorized", "Amount": 1500.0, "Currency": "RUB"}
    paid = {"TransactionId": 1002, "Status": "Completed", "Amount": 1500.0, "Currency": "RUB"}
    fake.transactions.update({1001: held, 1002: paid})

    await adapter.cancel("1001")
    await adapter.cancel("1002")

    assert (held["Status"], paid["Status"]) == ("Cancelled", "Completed")
    assert [(r.path, r.json()) for r in fake.requests] == [
        ("/payments/get", {"TransactionId": 1001}),
        ("/payments/void", {"TransactionId": 1001}),
        ("/payments/get", {"TransactionId": 1002}),
    ]
    assert all(r.headers["authorization"] == basic(PUBLIC_ID, API_SECRET) for r in fake.requests)
    assert (await adapter.fetch("1001")).status is ProviderStatus.FAILED


@pytest.mark.parametrize(
    ("amount", "currency", "number"),
    [("1000", "JPY", 1000), ("1.234", "KWD", 1.234), ("1500.50", "RUB", 1500.5)],
)
async def test_cloudpayments_gets_and_reports_amounts_with_the_currencys_fraction_digits(
    fake: FakeCloudPayments, adapter: CloudPaymentsProvider, amount: str, currency: str, number: float
) -> None:
    reference = uuid.uuid4()
    fake.transactions[1211506522] = {
        "TransactionId": 1211506522,
        "Amount": number,
        "Currency": currency,
        "InvoiceId": str(reference),
        "Status": "Completed",
    }
    request = CheckoutRequest(reference, Decimal(amount), currency, "Booking", "https://app.example/r")

    checkout = await adapter.create(request)
    fetched = await adapter.fetch("1211506522")
    await adapter.refund("1211506522", Decimal(amount), currency, idempotency_key="refund-9")
    notified = await adapter.verify_webhook(
        _signed(urlencode(_pay_notification(reference, Amount=amount, Currency=currency)).encode())
    )

    assert (checkout.confirmation["amount"], checkout.confirmation["currency"]) == (amount, currency)
    assert (str(fetched.amount), str(notified.payment.amount)) == (amount, amount)
    # A JSON number as CloudPayments reads it: JPY whole (1000, not 1000.0), KWD to the fils.
    assert fake.requests[-1].body.decode().endswith(f'"Amount":{number}}}')
