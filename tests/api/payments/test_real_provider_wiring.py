"""Real providers wired from settings, each against a local server speaking its API: Stripe
(the default provider) and YooKassa, through init, their notifications and the booking's
confirmation."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from aquastream.adapters.memory.clock import FrozenClock
from tests.api.catalog.conftest import FrozenClockProvider
from tests.api.catalog.kit import API, Cast
from tests.api.conftest import Serve
from tests.api.identity.conftest import Client, assert_problem
from tests.api.payments.conftest import People
from tests.api.payments.kit import fetched, paid_booking, start_payment, started
from tests.api.worker import drain_outbox
from tests.contract.payments.fake_providers import serving
from tests.contract.payments.test_stripe_adapter import SECRET_KEY, WEBHOOK_SECRET, FakeStripe
from tests.contract.payments.test_yookassa_adapter import SECRET_KEY as YOOKASSA_KEY
from tests.contract.payments.test_yookassa_adapter import SHOP_ID, FakeYooKassa


@pytest.fixture
def stripe() -> Iterator[FakeStripe]:
    with serving(FakeStripe()) as running:
        yield running  # type: ignore[misc]


@pytest.fixture
def yookassa() -> Iterator[FakeYooKassa]:
    with serving(FakeYooKassa()) as running:
        yield running  # type: ignore[misc]


@pytest.fixture
async def api(
    serve: Serve, clock: FrozenClock, stripe: FakeStripe, yookassa: FakeYooKassa
) -> AsyncIterator[Client]:
    """The app with Stripe (the default) and YooKassa configured; the shared ``cast`` and
    ``people`` fixtures build on it."""
    async with serve(
        FrozenClockProvider(clock),
        rate_limit_enabled=False,
        payments_provider="stripe",
        stripe_secret_key=SECRET_KEY,
        stripe_webhook_secret=WEBHOOK_SECRET,
        stripe_api_url=stripe.url,
        yookassa_shop_id=SHOP_ID,
        yookassa_secret_key=YOOKASSA_KEY,
        yookassa_api_url=f"{yookassa.url}/v3",
    ) as client:
        yield client


def _signed(
    event: dict[str, Any], clock: FrozenClock, secret: str = WEBHOOK_SECRET
) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(event).encode()
    timestamp = int(clock.now().timestamp())
    signature = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return body, {"Stripe-Signature": f"t={timestamp},v1={signature}", "Content-Type": "application/json"}


async def test_a_stripe_checkout_confirms_the_booking(
    api: Client, cast: Cast, people: People, stripe: FakeStripe, clock: FrozenClock
) -> None:
    booking = await paid_booking(api, cast, people.pavel)

    payment = await started(api, people.pavel, booking["id"])
    assert payment["provider"] == "stripe"
    session = stripe.sessions[payment["confirmation"]["sessionId"]]
    assert payment["confirmation"]["url"] == session["url"]

    session.update(status="complete", payment_status="paid", payment_intent="pi_1")
    event = {"id": "evt_1", "type": "checkout.session.completed", "data": {"object": session}}
    forged_body, forged_headers = _signed(event, clock, secret="whsec_other")
    assert_problem(
        await api.post(f"{API}/webhooks/payments/stripe", content=forged_body, headers=forged_headers),
        401,
        "webhook.invalid_signature",
    )
    body, headers = _signed(event, clock)
    accepted = await api.post(f"{API}/webhooks/payments/stripe", content=body, headers=headers)
    assert accepted.json()["outcome"] == "APPLIED"
    await drain_outbox(api)

    assert (await fetched(api, people.pavel, f"/bookings/{booking['id']}"))["status"] == "CONFIRMED"
    refund = await api.post(
        f"{API}/payments/{payment['id']}/refund", json={"amount": "100.00"}, headers=cast.anna.auth
    )
    assert refund.status_code == 201, refund.text
    assert stripe.requests[-1].form() == {"payment_intent": "pi_1", "amount": "10000"}


async def test_cancelling_a_stripe_payment_expires_its_checkout_session(
    api: Client, cast: Cast, people: People, stripe: FakeStripe
) -> None:
    booking = await paid_booking(api, cast, people.pavel)
    payment = await started(api, people.pavel, booking["id"])
    session = stripe.sessions[payment["confirmation"]["sessionId"]]

    cancelled = await api.post(f"{API}/payments/{payment['id']}/cancel", headers=people.pavel.auth)

    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "CANCELLED")
    assert session["status"] == "expired"
    assert (stripe.requests[-1].method, stripe.requests[-1].path) == (
        "POST",
        f"/v1/checkout/sessions/{session['id']}/expire",
    )


async def test_authentic_stripe_events_not_followed_are_acknowledged_and_change_nothing(
    api: Client,
    cast: Cast,
    people: People,
    stripe: FakeStripe,
    clock: FrozenClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    booking = await paid_booking(api, cast, people.pavel)
    payment = await started(api, people.pavel, booking["id"])
    session = stripe.sessions[payment["confirmation"]["sessionId"]]
    intent = {"id": "pi_1", "object": "payment_intent", "metadata": {"payment_id": payment["id"]}}
    charge = {"id": "ch_1", "object": "charge", "paid": True, "amount": 150000, "currency": "rub"}
    events = [
        {"id": "evt_intent", "type": "payment_intent.created", "data": {"object": intent}},
        {"id": "evt_charge", "type": "charge.succeeded", "data": {"object": charge}},
        {"id": "evt_not_a_session", "type": "checkout.session.completed", "data": {"object": charge}},
    ]
    caplog.set_level(logging.INFO, logger="aquastream.payments.webhooks")

    for event in events:
        body, headers = _signed(event, clock)
        answer = await api.post(f"{API}/webhooks/payments/stripe", content=body, headers=headers)
        assert (answer.status_code, answer.json()["outcome"]) == (200, "IGNORED"), answer.text
    forged_body, forged_headers = _signed(events[1], clock, secret="whsec_other")
    assert_problem(
        await api.post(f"{API}/webhooks/payments/stripe", content=forged_body, headers=forged_headers),
        401,
        "webhook.invalid_signature",
    )
    await drain_outbox(api)

    assert (await fetched(api, people.pavel, f"/payments/{payment['id']}"))["status"] == "PENDING"
    assert (await fetched(api, people.pavel, f"/bookings/{booking['id']}"))["status"] == "PENDING"
    assert session["status"] == "open"
    logged = [record for record in caplog.records if record.name == "aquastream.payments.webhooks"]
    assert [(r.levelno, r.event_type, r.event_id) for r in logged] == [  # type: ignore[attr-defined]
        (logging.INFO, event["type"], event["id"]) for event in events
    ]
    assert all(SECRET_KEY not in r.getMessage() and WEBHOOK_SECRET not in r.getMessage() for r in logged)


async def test_a_forged_yookassa_notification_does_not_hide_the_genuine_one(
    api: Client, cast: Cast, people: People, yookassa: FakeYooKassa
) -> None:
    booking = await paid_booking(api, cast, people.pavel)
    started_at_yookassa = await start_payment(api, people.pavel, booking["id"], provider="yookassa")
    assert started_at_yookassa.status_code == 201, started_at_yookassa.text
    payment = started_at_yookassa.json()
    (yookassa_id,) = yookassa.payments
    notification = json.dumps(
        {
            "type": "notification",
            "event": "payment.succeeded",
            "object": {"id": yookassa_id, "status": "succeeded", "paid": True},
        }
    )

    async def notify() -> dict[str, Any]:
        answer = await api.post(f"{API}/webhooks/payments/yookassa", content=notification)
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        return body

    # Forged: YooKassa still has the payment pending.
    assert (await notify())["outcome"] == "NO_CHANGE"
    await drain_outbox(api)
    assert (await fetched(api, people.pavel, f"/payments/{payment['id']}"))["status"] == "PENDING"
    assert (await fetched(api, people.pavel, f"/bookings/{booking['id']}"))["status"] == "PENDING"

    # The payer pays; YooKassa sends the same words, now true.
    yookassa.payments[yookassa_id]["status"] = "succeeded"
    assert await notify() == {"received": True, "duplicate": False, "outcome": "APPLIED"}
    assert await notify() == {"received": True, "duplicate": True, "outcome": None}
    await drain_outbox(api)

    assert (await fetched(api, people.pavel, f"/payments/{payment['id']}"))["status"] == "SUCCEEDED"
    assert (await fetched(api, people.pavel, f"/bookings/{booking['id']}"))["status"] == "CONFIRMED"
