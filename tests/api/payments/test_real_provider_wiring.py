"""A real provider wired from settings: Stripe (against a local server speaking its API) as
the default provider, through init, a signed event and the booking's confirmation."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from aquastream.adapters.memory.clock import FrozenClock
from tests.api.booking.kit import participant
from tests.api.catalog.conftest import FrozenClockProvider
from tests.api.catalog.kit import API, Cast, open_page, organizer_account
from tests.api.conftest import Serve
from tests.api.identity.conftest import Client, admin, assert_problem
from tests.api.payments.kit import drain_outbox, fetched, paid_booking, started
from tests.contract.payments.fake_providers import serving
from tests.contract.payments.test_stripe_adapter import SECRET_KEY, WEBHOOK_SECRET, FakeStripe


@pytest.fixture
def stripe() -> Iterator[FakeStripe]:
    with serving(FakeStripe()) as running:
        yield running  # type: ignore[misc]


@pytest.fixture
async def stripe_api(serve: Serve, clock: FrozenClock, stripe: FakeStripe) -> AsyncIterator[Client]:
    async with serve(
        FrozenClockProvider(clock),
        rate_limit_enabled=False,
        payments_provider="stripe",
        stripe_secret_key=SECRET_KEY,
        stripe_webhook_secret=WEBHOOK_SECRET,
        stripe_api_url=stripe.url,
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
    stripe_api: Client, stripe: FakeStripe, clock: FrozenClock
) -> None:
    api = stripe_api
    root = await admin(api)
    anna = await organizer_account(api, root, "anna@example.com")
    boris = await organizer_account(api, root, "boris@example.com")
    await open_page(api, anna, "river-rats", "River Rats")
    pavel = await participant(api, "pavel@example.com")
    booking = await paid_booking(api, Cast(root=root, anna=anna, boris=boris, vera=pavel), pavel)

    payment = await started(api, pavel, booking["id"])
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

    assert (await fetched(api, pavel, f"/bookings/{booking['id']}"))["status"] == "CONFIRMED"
    refund = await api.post(
        f"{API}/payments/{payment['id']}/refund", json={"amount": "100.00"}, headers=anna.auth
    )
    assert refund.status_code == 201, refund.text
    assert stripe.requests[-1].form() == {"payment_intent": "pi_1", "amount": "10000"}
