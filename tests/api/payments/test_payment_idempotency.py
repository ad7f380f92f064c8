"""``Idempotency-Key`` on POST /payments: the key is kept with the payment it opened, so a
retry answers with that payment even when the first answer was lost, and a payment whose
opening at the provider was cut off is opened there on the retry."""

from __future__ import annotations

from typing import Any

from dishka import Provider, Scope, provide

from aquastream.adapters.payments.registry import SANDBOX_COMPLETE_PATH, ConfiguredProviders, sandbox_secret
from aquastream.adapters.payments.sandbox import SANDBOX, SandboxProvider
from aquastream.domain.payments.model import Checkout, CheckoutRequest
from aquastream.ports.payments import PaymentProviders
from aquastream.settings import Settings
from tests.api.catalog.conftest import FrozenClockProvider
from tests.api.catalog.kit import API, Cast
from tests.api.conftest import Serve
from tests.api.identity.conftest import Account, Client, assert_problem
from tests.api.payments.conftest import People
from tests.api.payments.kit import fetched, paid_booking

KEY = "b3f1e7f0-pay-once"


class SandboxDyingOnce(SandboxProvider):
    """The service dies while it waits for the provider's first answer."""

    died = False

    async def create(self, request: CheckoutRequest) -> Checkout:
        if not SandboxDyingOnce.died:
            SandboxDyingOnce.died = True
            raise SystemError("the process died waiting for the provider")
        return await super().create(request)


class DyingSandbox(Provider):
    @provide(scope=Scope.APP)
    def providers(self, settings: Settings) -> PaymentProviders:
        complete_url = settings.public_url.rstrip("/") + SANDBOX_COMPLETE_PATH
        return ConfiguredProviders(
            SANDBOX, {SANDBOX: SandboxDyingOnce(sandbox_secret(settings), complete_url)}
        )


async def _pay(api: Client, payer: Account, booking: dict[str, Any], key: str = KEY, **body: Any) -> Any:
    headers = {**payer.auth, "Idempotency-Key": key}
    payload = {"bookingId": booking["id"], "method": "WIDGET", **body}
    return await api.post(f"{API}/payments", json=payload, headers=headers)


async def test_a_retry_replays_the_payment_with_its_confirmation(
    api: Client, cast: Cast, people: People
) -> None:
    booking = await paid_booking(api, cast, people.pavel)
    first = await _pay(api, people.pavel, booking)

    retry = await _pay(api, people.pavel, booking)

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.content == first.content
    assert retry.headers["idempotent-replayed"] == "true"
    assert first.json()["confirmation"]["url"]
    assert_problem(await _pay(api, people.pavel, booking, method="QR_MANUAL"), 422, "idempotency.key_reused")


async def test_a_retry_after_the_service_died_before_the_provider_answered_opens_the_payment(
    api: Client, cast: Cast, people: People, serve: Serve, clock: Any
) -> None:
    booking = await paid_booking(api, cast, people.pavel)
    async with serve(FrozenClockProvider(clock), DyingSandbox(), rate_limit_enabled=False) as dying:
        cut_off = await _pay(dying, people.pavel, booking)
        assert cut_off.status_code == 500
        (stored,) = (await fetched(dying, people.pavel, "/payments"))["items"]
        assert (stored["status"], stored["confirmation"]) == ("PENDING", None)

        retry = await _pay(dying, people.pavel, booking)

        assert retry.status_code == 201, retry.text
        assert retry.headers["idempotent-replayed"] == "true"
        assert retry.json()["id"] == stored["id"]
        assert retry.json()["confirmation"]["type"] == "sandbox"
        assert (await fetched(dying, people.pavel, "/payments"))["total"] == 1


async def test_a_provider_refusal_keeps_no_key(api: Client, cast: Cast, people: People, serve: Serve) -> None:
    booking = await paid_booking(api, cast, people.pavel)
    refused = await _pay(api, people.pavel, booking, provider="stripe")  # not configured here
    assert_problem(refused, 422, "payment.provider_unavailable")

    assert (await _pay(api, people.pavel, booking)).status_code == 201
