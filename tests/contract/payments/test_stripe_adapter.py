"""The Stripe adapter against a local server speaking Stripe's API: form-encoded requests with
the secret key as bearer token and an ``Idempotency-Key``, Checkout Sessions, refunds of their
payment intent, and events signed ``Stripe-Signature: t=…,v1=…`` within a tolerance window."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from aquastream.adapters.http.tracing import Tracing
from aquastream.adapters.memory.clock import FrozenClock
from aquastream.adapters.outbound import OutboundHttp
from aquastream.adapters.payments.stripe import StripeProvider
from aquastream.domain.payments.errors import InvalidWebhookSignature, ProviderFailed
from aquastream.domain.payments.model import CheckoutRequest, ProviderStatus, WebhookDelivery
from aquastream.domain.shared.errors import ValidationFailed

from .fake_providers import Answer, FakeProvider, Recorded, serving

SECRET_KEY, WEBHOOK_SECRET = "sk_test_51", "whsec_test"
NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)


class FakeStripe(FakeProvider):
    def __init__(self) -> None:
        super().__init__(lambda h: h.get("authorization") == f"Bearer {SECRET_KEY}", "Idempotency-Key")
        self.sessions: dict[str, dict[str, Any]] = {}
        self._ids = itertools.count(1)
        self.routes = {
            ("POST", "/v1/checkout/sessions/"): self._expire,  # …/{id}/expire, before the create prefix
            ("POST", "/v1/checkout/sessions"): self._create,
            ("GET", "/v1/checkout/sessions/"): self._get,
            ("POST", "/v1/refunds"): self._refund,
        }

    def _create(self, request: Recorded) -> Answer:
        form = request.form()
        session_id = f"cs_test_{next(self._ids)}"
        session = {
            "id": session_id,
            "object": "checkout.session",
            "url": f"https://checkout.stripe.com/c/pay/{session_id}",
            "status": "open",
            "payment_status": "unpaid",
            "amount_total": int(form["line_items[0][price_data][unit_amount]"]),
            "currency": form["line_items[0][price_data][currency]"],
            "client_reference_id": form["client_reference_id"],
            "payment_intent": None,
        }
        self.sessions[session_id] = session
        return 200, session

    def _get(self, request: Recorded) -> Answer:
        session = self.sessions.get(request.path.rsplit("/", 1)[-1])
        return (200, session) if session else (404, {"error": {"type": "invalid_request_error"}})

    def _expire(self, request: Recorded) -> Answer:
        """Only an open session can be expired; Stripe answers an error for any other."""
        session_id, action = request.path.removeprefix("/v1/checkout/sessions/").split("/")
        session = self.sessions.get(session_id)
        if action != "expire" or session is None:
            return 404, {"error": {"type": "invalid_request_error"}}
        if session["status"] != "open":
            return 400, {"error": {"type": "invalid_request_error", "code": "checkout_session_not_open"}}
        session["status"] = "expired"
        return 200, session

    def _refund(self, request: Recorded) -> Answer:
        form = request.form()
        return 200, {
            "id": f"re_{next(self._ids)}",
            "object": "refund",
            "status": "succeeded",
            "amount": int(form["amount"]),
        }


@pytest.fixture
def fake() -> Iterator[FakeStripe]:
    with serving(FakeStripe()) as running:
        yield running  # type: ignore[misc]


@pytest.fixture
async def adapter(fake: FakeStripe) -> AsyncIterator[StripeProvider]:
    async with httpx.AsyncClient(timeout=5) as client:
        yield StripeProvider(
            OutboundHttp(5, Tracing.off(), client=client),
            SECRET_KEY,
            WEBHOOK_SECRET,
            FrozenClock(NOW),
            api_url=fake.url,
        )


def _request() -> CheckoutRequest:
    return CheckoutRequest(uuid.uuid4(), Decimal("1500.00"), "RUB", "Booking", "https://app.example/return")


def _signed(event: dict[str, Any], *, at: datetime = NOW, secret: str = WEBHOOK_SECRET) -> WebhookDelivery:
    body = json.dumps(event).encode()
    timestamp = int(at.timestamp())
    signature = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return WebhookDelivery({"stripe-signature": f"t={timestamp},v1={signature},v0=legacy"}, body)


def _event(session: dict[str, Any], kind: str = "checkout.session.completed") -> dict[str, Any]:
    return {"id": "evt_1", "object": "event", "type": kind, "data": {"object": session}}


async def test_a_checkout_session_opens_with_our_id_as_idempotency_key(
    fake: FakeStripe, adapter: StripeProvider
) -> None:
    request = _request()

    checkout = await adapter.create(request)
    again = await adapter.create(request)

    assert checkout == again
    assert checkout.confirmation["url"] == f"https://checkout.stripe.com/c/pay/{checkout.provider_payment_id}"
    sent = fake.requests[0]
    assert sent.headers["idempotency-key"] == str(request.payment_id)
    form = sent.form()
    assert (form["mode"], form["client_reference_id"]) == ("payment", str(request.payment_id))
    assert (form["line_items[0][price_data][unit_amount]"], form["line_items[0][price_data][currency]"]) == (
        "150000",
        "rub",
    )


async def test_a_signed_completed_session_is_a_success(fake: FakeStripe, adapter: StripeProvider) -> None:
    reference = uuid.uuid4()
    session = {
        "id": "cs_test_9",
        "object": "checkout.session",
        "status": "complete",
        "payment_status": "paid",
        "amount_total": 150000,
        "currency": "rub",
        "client_reference_id": str(reference),
    }

    notice = await adapter.verify_webhook(_signed(_event(session)))
    expired = await adapter.verify_webhook(
        _signed(_event({**session, "payment_status": "unpaid"}, "checkout.session.expired"))
    )

    assert notice.event_id == "evt_1"
    assert (notice.payment.status, notice.payment.reference) == (ProviderStatus.SUCCEEDED, reference)
    assert (notice.payment.amount, notice.payment.currency) == (Decimal("1500.00"), "RUB")
    assert expired.payment.status is ProviderStatus.FAILED


async def test_authentic_events_about_no_checkout_payment_carry_no_payment(adapter: StripeProvider) -> None:
    intent = {"id": "pi_1", "object": "payment_intent", "status": "requires_payment_method"}
    charge = {"id": "ch_1", "object": "charge", "paid": True, "payment_intent": "pi_1"}

    for event in (
        _event(intent, "payment_intent.created"),
        _event(charge, "charge.succeeded"),
        _event({"id": "cus_1", "object": "customer"}, "customer.created"),
        _event(charge, "checkout.session.completed"),  # not a session
    ):
        notice = await adapter.verify_webhook(_signed(event))
        assert (notice.event_id, notice.event_type, notice.payment) == ("evt_1", event["type"], None)


async def test_a_signed_event_without_an_id_or_with_a_broken_session_is_malformed(
    adapter: StripeProvider,
) -> None:
    nameless = {"object": "event", "type": "checkout.session.completed", "data": {"object": {}}}
    broken = _event({"object": "checkout.session", "amount_total": "lots"})

    for event in (nameless, broken):
        with pytest.raises(ValidationFailed):
            await adapter.verify_webhook(_signed(event))


async def test_bad_signatures_and_stale_timestamps_are_refused(adapter: StripeProvider) -> None:
    event = _event({"id": "cs_1", "object": "checkout.session", "payment_status": "paid"})
    forged = _signed(event, secret="whsec_other")
    stale = _signed(event, at=datetime(2030, 1, 1, 11, 54, tzinfo=UTC))

    for delivery in (
        forged,
        stale,
        WebhookDelivery({}, forged.body),
        WebhookDelivery({"stripe-signature": "t=x,v1=y"}, forged.body),
    ):
        with pytest.raises(InvalidWebhookSignature):
            await adapter.verify_webhook(delivery)


async def test_fetch_and_refund_through_the_payment_intent(fake: FakeStripe, adapter: StripeProvider) -> None:
    request = _request()
    checkout = await adapter.create(request)
    assert checkout.provider_payment_id is not None
    with pytest.raises(ProviderFailed):  # nothing paid yet: no payment intent to refund
        await adapter.refund(checkout.provider_payment_id, Decimal("100.00"), "RUB", idempotency_key="r-0")
    fake.sessions[checkout.provider_payment_id].update(
        status="complete", payment_status="paid", payment_intent="pi_1"
    )

    fetched = await adapter.fetch(checkout.provider_payment_id)
    refund_id = await adapter.refund(
        checkout.provider_payment_id, Decimal("100.00"), "RUB", idempotency_key="r-1"
    )

    assert (fetched.status, fetched.reference) == (ProviderStatus.SUCCEEDED, request.payment_id)
    assert refund_id.startswith("re_")
    refund = fake.requests[-1]
    assert refund.headers["idempotency-key"] == "r-1"
    assert refund.form() == {"payment_intent": "pi_1", "amount": "10000"}


async def test_cancel_expires_an_open_session_and_stripe_refuses_a_completed_one(
    fake: FakeStripe, adapter: StripeProvider
) -> None:
    open_session = await adapter.create(_request())
    paid_session = await adapter.create(_request())
    assert open_session.provider_payment_id is not None
    assert paid_session.provider_payment_id is not None
    fake.sessions[paid_session.provider_payment_id].update(status="complete", payment_status="paid")

    await adapter.cancel(open_session.provider_payment_id)
    with pytest.raises(ProviderFailed):
        await adapter.cancel(paid_session.provider_payment_id)

    expire = fake.requests[2]
    assert (expire.method, expire.path) == (
        "POST",
        f"/v1/checkout/sessions/{open_session.provider_payment_id}/expire",
    )
    assert expire.headers["authorization"] == f"Bearer {SECRET_KEY}"
    assert (await adapter.fetch(open_session.provider_payment_id)).status is ProviderStatus.FAILED
    assert (await adapter.fetch(paid_session.provider_payment_id)).status is ProviderStatus.SUCCEEDED


@pytest.mark.parametrize(
    ("amount", "currency", "minor_units"),
    [("1000", "JPY", "1000"), ("1.234", "KWD", "1234"), ("1500.00", "RUB", "150000")],
)
async def test_stripe_gets_and_reports_amounts_in_the_currencys_minor_units(
    fake: FakeStripe, adapter: StripeProvider, amount: str, currency: str, minor_units: str
) -> None:
    request = CheckoutRequest(uuid.uuid4(), Decimal(amount), currency, "Booking", "https://app.example/r")

    checkout = await adapter.create(request)
    assert checkout.provider_payment_id is not None
    fake.sessions[checkout.provider_payment_id].update(
        status="complete", payment_status="paid", payment_intent="pi_1"
    )
    fetched = await adapter.fetch(checkout.provider_payment_id)
    await adapter.refund(checkout.provider_payment_id, Decimal(amount), currency, idempotency_key="r-1")

    opened = fake.requests[0].form()
    assert (
        opened["line_items[0][price_data][unit_amount]"],
        opened["line_items[0][price_data][currency]"],
    ) == (
        minor_units,
        currency.lower(),
    )
    assert (str(fetched.amount), fetched.currency) == (amount, currency)
    assert fake.requests[-1].form()["amount"] == minor_units
