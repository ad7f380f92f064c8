"""The YooKassa adapter against a local server speaking YooKassa's API v3: Basic auth with
the shop id and secret key, ``Idempotence-Key`` on every POST, redirect confirmations,
notifications trusted only after re-reading the payment from the API."""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from typing import Any

import pytest

from aquastream.adapters.http.tracing import Tracing
from aquastream.adapters.outbound import OutboundHttp
from aquastream.adapters.payments.yookassa import YooKassaProvider
from aquastream.domain.payments.errors import InvalidWebhookSignature, ProviderFailed
from aquastream.domain.payments.model import CheckoutRequest, ProviderStatus, WebhookDelivery

from .fake_providers import Answer, FakeProvider, Recorded, basic, serving

SHOP_ID, SECRET_KEY = "123456", "test_secret"


class FakeYooKassa(FakeProvider):
    def __init__(self) -> None:
        super().__init__(lambda h: h.get("authorization") == basic(SHOP_ID, SECRET_KEY), "Idempotence-Key")
        self.payments: dict[str, dict[str, Any]] = {}
        self._ids = itertools.count(1)
        self.routes = {
            ("POST", "/v3/payments/"): self._cancel,  # …/{id}/cancel, before the create prefix
            ("POST", "/v3/payments"): self._create,
            ("GET", "/v3/payments/"): self._get,
            ("POST", "/v3/refunds"): self._refund,
        }

    def _create(self, request: Recorded) -> Answer:
        if "idempotence-key" not in request.headers:
            return 400, {"type": "error", "code": "invalid_request", "parameter": "Idempotence-Key"}
        body = request.json()
        payment = {
            "id": f"2f{next(self._ids):06d}-000f-5000-8000-1b68e7b15f3f",
            "status": "pending",
            "paid": False,
            "amount": body["amount"],
            "confirmation": {
                "type": "redirect",
                "confirmation_url": "https://yoomoney.ru/checkout/payments/v2/contract",
            },
            "metadata": body.get("metadata", {}),
        }
        self.payments[payment["id"]] = payment
        return 200, payment

    def _get(self, request: Recorded) -> Answer:
        payment = self.payments.get(request.path.rsplit("/", 1)[-1])
        return (200, payment) if payment else (404, {"type": "error", "code": "not_found"})

    def _cancel(self, request: Recorded) -> Answer:
        """Only a payment ``waiting_for_capture`` can be cancelled; the key is required."""
        payment_id, action = request.path.removeprefix("/v3/payments/").split("/")
        payment = self.payments.get(payment_id)
        if action != "cancel" or payment is None:
            return 404, {"type": "error", "code": "not_found"}
        if "idempotence-key" not in request.headers:
            return 400, {"type": "error", "code": "invalid_request", "parameter": "Idempotence-Key"}
        if payment["status"] != "waiting_for_capture":
            return 400, {
                "type": "error",
                "code": "invalid_request",
                "description": "Payment can't be cancelled",
            }
        payment.update(
            status="canceled", cancellation_details={"party": "merchant", "reason": "canceled_by_merchant"}
        )
        return 200, payment

    def _refund(self, request: Recorded) -> Answer:
        if "idempotence-key" not in request.headers:
            return 400, {"type": "error", "code": "invalid_request"}
        body = request.json()
        return 200, {
            "id": f"rf-{next(self._ids)}",
            "payment_id": body["payment_id"],
            "status": "succeeded",
            "amount": body["amount"],
        }


@pytest.fixture
def fake() -> Iterator[FakeYooKassa]:
    with serving(FakeYooKassa()) as running:
        yield running  # type: ignore[misc]


@pytest.fixture
async def client() -> AsyncIterator[OutboundHttp]:
    http = OutboundHttp(5, Tracing.off())
    yield http
    await http.aclose()


def _adapter(fake: FakeYooKassa, client: OutboundHttp, **options: Any) -> YooKassaProvider:
    return YooKassaProvider(client, SHOP_ID, SECRET_KEY, api_url=f"{fake.url}/v3", **options)


def _request() -> CheckoutRequest:
    return CheckoutRequest(uuid.uuid4(), Decimal("1500.00"), "RUB", "Booking", "https://app.example/return")


def _notification(event: str, payment_id: str, status: str = "succeeded") -> WebhookDelivery:
    body = {"type": "notification", "event": event, "object": {"id": payment_id, "status": status}}
    return WebhookDelivery({"content-type": "application/json"}, json.dumps(body).encode(), "185.71.76.1")


async def test_a_payment_opens_with_a_redirect_and_our_id_as_idempotence_key(
    fake: FakeYooKassa, client: OutboundHttp
) -> None:
    request = _request()

    checkout = await _adapter(fake, client).create(request)
    again = await _adapter(fake, client).create(request)

    assert checkout == again
    assert checkout.confirmation == {
        "type": "redirect",
        "url": "https://yoomoney.ru/checkout/payments/v2/contract",
    }
    sent = fake.requests[0]
    assert sent.headers["idempotence-key"] == str(request.payment_id)
    assert sent.json()["amount"] == {"value": "1500.00", "currency": "RUB"}
    assert sent.json()["capture"] is True
    assert sent.json()["confirmation"] == {"type": "redirect", "return_url": "https://app.example/return"}
    assert sent.json()["metadata"] == {"payment_id": str(request.payment_id)}


async def test_fetch_maps_statuses_and_reads_our_reference(fake: FakeYooKassa, client: OutboundHttp) -> None:
    request = _request()
    adapter = _adapter(fake, client)
    checkout = await adapter.create(request)
    assert checkout.provider_payment_id is not None

    for theirs, ours in [
        ("pending", ProviderStatus.PENDING),
        ("waiting_for_capture", ProviderStatus.PROCESSING),
        ("succeeded", ProviderStatus.SUCCEEDED),
        ("canceled", ProviderStatus.FAILED),
    ]:
        fake.payments[checkout.provider_payment_id]["status"] = theirs
        fetched = await adapter.fetch(checkout.provider_payment_id)
        assert fetched.status is ours
    assert (fetched.amount, fetched.currency, fetched.reference) == (
        Decimal("1500.00"),
        "RUB",
        request.payment_id,
    )


async def test_cancel_cancels_a_payment_waiting_for_capture_and_leaves_a_pending_one_to_lapse(
    fake: FakeYooKassa, client: OutboundHttp
) -> None:
    adapter = _adapter(fake, client)
    pending, held = (await adapter.create(_request()), await adapter.create(_request()))
    assert pending.provider_payment_id is not None
    assert held.provider_payment_id is not None
    fake.payments[held.provider_payment_id]["status"] = "waiting_for_capture"
    created = len(fake.requests)

    await adapter.cancel(pending.provider_payment_id)
    await adapter.cancel(held.provider_payment_id)

    assert [(r.method, r.path) for r in fake.requests[created:]] == [
        ("GET", f"/v3/payments/{pending.provider_payment_id}"),
        ("GET", f"/v3/payments/{held.provider_payment_id}"),
        ("POST", f"/v3/payments/{held.provider_payment_id}/cancel"),
    ]
    assert fake.requests[-1].headers["idempotence-key"]
    assert fake.payments[pending.provider_payment_id]["status"] == "pending"
    assert (await adapter.fetch(held.provider_payment_id)).status is ProviderStatus.FAILED


async def test_a_refund_carries_its_idempotence_key(fake: FakeYooKassa, client: OutboundHttp) -> None:
    adapter = _adapter(fake, client)

    refund_id = await adapter.refund("2f000001", Decimal("500.00"), "RUB", idempotency_key="refund-1")

    assert refund_id.startswith("rf-")
    sent = fake.requests[-1]
    assert sent.headers["idempotence-key"] == "refund-1"
    assert sent.json() == {"payment_id": "2f000001", "amount": {"value": "500.00", "currency": "RUB"}}


async def test_a_notification_is_believed_only_as_far_as_the_api_confirms_it(
    fake: FakeYooKassa, client: OutboundHttp
) -> None:
    adapter = _adapter(fake, client)
    checkout = await adapter.create(_request())
    assert checkout.provider_payment_id is not None

    claimed = await adapter.verify_webhook(_notification("payment.succeeded", checkout.provider_payment_id))

    assert claimed.payment.status is ProviderStatus.PENDING  # the API says pending
    with pytest.raises(InvalidWebhookSignature):
        await adapter.verify_webhook(_notification("payment.succeeded", "forged-id"))


async def test_a_notification_is_known_by_what_the_api_confirmed_not_by_its_body(
    fake: FakeYooKassa, client: OutboundHttp
) -> None:
    adapter = _adapter(fake, client)
    checkout = await adapter.create(_request())
    payment_id = checkout.provider_payment_id
    assert payment_id is not None

    forged = await adapter.verify_webhook(_notification("payment.succeeded", payment_id))
    fake.payments[payment_id]["status"] = "succeeded"
    genuine = await adapter.verify_webhook(_notification("payment.succeeded", payment_id))
    refund_body = {
        "type": "notification",
        "event": "refund.succeeded",
        "object": {"id": "rf-1", "payment_id": payment_id},
    }
    refunded = await adapter.verify_webhook(WebhookDelivery({}, json.dumps(refund_body).encode()))

    # The forged claim cannot take the id of the genuine news that follows it...
    assert forged.event_id != genuine.event_id
    assert genuine.payment.status is ProviderStatus.SUCCEEDED
    # ...and news the API already confirmed is a repeat, whatever event announces it.
    assert refunded.event_id == genuine.event_id


async def test_the_ip_allowlist_refuses_other_senders(fake: FakeYooKassa, client: OutboundHttp) -> None:
    adapter = _adapter(fake, client, allowed_networks=("185.71.76.0/27",))
    checkout = await adapter.create(_request())
    assert checkout.provider_payment_id is not None
    notice = _notification("payment.succeeded", checkout.provider_payment_id)

    assert (await adapter.verify_webhook(notice)).payment.provider_payment_id == checkout.provider_payment_id
    for sender in ("203.0.113.9", None):
        with pytest.raises(InvalidWebhookSignature):
            await adapter.verify_webhook(WebhookDelivery(notice.headers, notice.body, sender))


async def test_wrong_credentials_fail_the_call(fake: FakeYooKassa, client: OutboundHttp) -> None:
    adapter = YooKassaProvider(client, SHOP_ID, "wrong", api_url=f"{fake.url}/v3")

    with pytest.raises(ProviderFailed):
        await adapter.create(_request())


async def test_an_unreachable_api_fails_the_call(client: OutboundHttp) -> None:
    adapter = YooKassaProvider(client, SHOP_ID, SECRET_KEY, api_url="http://127.0.0.1:9/v3")

    with pytest.raises(ProviderFailed):
        await adapter.fetch("anything")


@pytest.mark.parametrize(("amount", "currency"), [("1000", "JPY"), ("1.234", "KWD"), ("1500.00", "RUB")])
async def test_yookassa_gets_and_reports_amounts_with_the_currencys_fraction_digits(
    fake: FakeYooKassa, client: OutboundHttp, amount: str, currency: str
) -> None:
    adapter = _adapter(fake, client)
    request = CheckoutRequest(uuid.uuid4(), Decimal(amount), currency, "Booking", "https://app.example/r")

    checkout = await adapter.create(request)
    assert checkout.provider_payment_id is not None
    fetched = await adapter.fetch(checkout.provider_payment_id)
    await adapter.refund(checkout.provider_payment_id, Decimal(amount), currency, idempotency_key="r-1")

    assert fake.requests[0].json()["amount"] == {"value": amount, "currency": currency}
    assert (str(fetched.amount), fetched.currency) == (amount, currency)
    assert fake.requests[-1].json()["amount"] == {"value": amount, "currency": currency}
