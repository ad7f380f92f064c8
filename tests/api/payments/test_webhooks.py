"""``POST /webhooks/payments/{provider}``: authenticity, duplicates, and the failure metric."""

from __future__ import annotations

import json

from aquastream.adapters.http.metrics import PAYMENT_WEBHOOK_FAILURES
from aquastream.adapters.payments.sandbox import SANDBOX, SIGNATURE_HEADER, SandboxProvider
from aquastream.ports.payments import PaymentProviders
from tests.api.catalog.kit import API, Cast
from tests.api.identity.conftest import Client, assert_problem
from tests.api.payments.conftest import People
from tests.api.payments.kit import fetched, paid_booking, started
from tests.api.test_metrics import sample, scrape
from tests.api.worker import drain_outbox

WEBHOOK = f"{API}/webhooks/payments"


def _failures(provider: str, code: str) -> float:
    return PAYMENT_WEBHOOK_FAILURES.labels(provider, code)._value.get()


async def test_a_forged_notification_is_refused_and_counted(api: Client, cast: Cast, people: People) -> None:
    booking = await paid_booking(api, cast, people.pavel)
    payment = await started(api, people.pavel, booking["id"])
    forged = json.dumps(
        {
            "id": "evt_forged",
            "paymentId": payment["confirmation"]["url"].split("/")[-2],
            "status": "SUCCEEDED",
        }
    )
    before = _failures("sandbox", "webhook.invalid_signature")

    refused = await api.post(
        f"{WEBHOOK}/sandbox",
        content=forged,
        headers={SIGNATURE_HEADER: "00" * 32, "content-type": "application/json"},
    )

    assert_problem(refused, 401, "webhook.invalid_signature")
    assert _failures("sandbox", "webhook.invalid_signature") == before + 1
    await drain_outbox(api)
    assert (await fetched(api, people.pavel, f"/payments/{payment['id']}"))["status"] == "PENDING"


async def test_a_signed_notification_is_applied_once(api: Client, cast: Cast, people: People) -> None:
    booking = await paid_booking(api, cast, people.pavel)
    payment = await started(api, people.pavel, booking["id"])
    provider_payment_id = payment["confirmation"]["url"].split("/")[-2]
    body = json.dumps(
        {"id": "evt_1", "paymentId": provider_payment_id, "status": "SUCCEEDED", "amount": "1500.00"}
    ).encode()
    signature = await _sandbox_signature(api, body)

    first = await api.post(f"{WEBHOOK}/sandbox", content=body, headers={SIGNATURE_HEADER: signature})
    again = await api.post(f"{WEBHOOK}/sandbox", content=body, headers={SIGNATURE_HEADER: signature})

    assert first.json() == {"received": True, "duplicate": False, "outcome": "APPLIED"}
    assert again.json() == {"received": True, "duplicate": True, "outcome": None}
    await drain_outbox(api)
    assert (await fetched(api, people.pavel, f"/bookings/{booking['id']}"))["status"] == "CONFIRMED"


async def test_unknown_and_unconfigured_providers_are_404(api: Client) -> None:
    assert_problem(await api.post(f"{WEBHOOK}/paypal", content=b"{}"), 404, "payment.provider_unknown")
    assert_problem(await api.post(f"{WEBHOOK}/stripe", content=b"{}"), 404, "payment.provider_unknown")


async def test_a_signed_notification_that_is_not_json_is_a_bad_request(api: Client) -> None:
    body = b"not json"
    refused = await api.post(
        f"{WEBHOOK}/sandbox", content=body, headers={SIGNATURE_HEADER: await _sandbox_signature(api, body)}
    )

    assert_problem(refused, 400, "validation.failed")


async def _sandbox_signature(api: Client, body: bytes) -> str:
    """Signed as the sandbox signs its notifications."""
    providers = await api.app.state.dishka_container.get(PaymentProviders)
    sandbox = providers.get(SANDBOX)
    assert isinstance(sandbox, SandboxProvider)
    return sandbox.sign(body)


async def test_refusals_are_in_the_metrics_by_provider_and_reason(api: Client) -> None:
    failures = "aquastream_payment_webhook_failures_total"
    reasons = [
        ("sandbox", "webhook.invalid_signature"),
        ("sandbox", "validation.failed"),
        ("sandbox", "webhook.unknown_payment"),
        ("<unknown>", "payment.provider_unknown"),
    ]
    before = await scrape(api)
    unknown_payment = json.dumps({"id": "evt_lost", "paymentId": "pay_x", "status": "SUCCEEDED"}).encode()

    await api.post(f"{WEBHOOK}/sandbox", content=b"{}", headers={SIGNATURE_HEADER: "00" * 32})
    await api.post(
        f"{WEBHOOK}/sandbox", content=b"[]", headers={SIGNATURE_HEADER: await _sandbox_signature(api, b"[]")}
    )
    await api.post(
        f"{WEBHOOK}/sandbox",
        content=unknown_payment,
        headers={SIGNATURE_HEADER: await _sandbox_signature(api, unknown_payment)},
    )
    await api.post(f"{WEBHOOK}/made-up-provider-7f3a", content=b"{}")

    after = await scrape(api)
    for provider, reason in reasons:
        labels = {"provider": provider, "reason": reason}
        assert sample(after, failures, **labels) == sample(before, failures, **labels) + 1, labels
    assert "made-up-provider-7f3a" not in after
