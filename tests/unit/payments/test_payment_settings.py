"""Payment settings: production takes real money, so the chosen provider's secrets are
required and the sandbox refused; providers and the QR payee are built from the settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from aquastream.adapters.http.tracing import Tracing
from aquastream.adapters.memory.clock import FrozenClock
from aquastream.adapters.outbound import OutboundHttp
from aquastream.adapters.payments.registry import build_providers
from aquastream.ioc.payments import DEMO_BANK_ACCOUNT, bank_account
from aquastream.settings import Settings, SettingsError, load_settings

SECRET = "s" * 64


def _production(tmp_path: Path, **variables: str) -> Settings:
    environ = {
        "AQUASTREAM_ENV": "production",
        "AQUASTREAM_JWT_SECRET": SECRET,
        "AQUASTREAM_DATA_DIR": str(tmp_path),
    }
    environ.update({f"AQUASTREAM_{name.upper()}": value for name, value in variables.items()})
    return load_settings(environ, env_file=None)


def test_production_refuses_the_sandbox(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="PAYMENTS_PROVIDER=sandbox"):
        _production(tmp_path)


@pytest.mark.parametrize(
    ("provider", "missing"),
    [
        ("yookassa", "AQUASTREAM_YOOKASSA_SHOP_ID, AQUASTREAM_YOOKASSA_SECRET_KEY"),
        ("cloudpayments", "AQUASTREAM_CLOUDPAYMENTS_PUBLIC_ID, AQUASTREAM_CLOUDPAYMENTS_API_SECRET"),
        ("stripe", "AQUASTREAM_STRIPE_SECRET_KEY, AQUASTREAM_STRIPE_WEBHOOK_SECRET"),
    ],
)
def test_production_requires_the_chosen_providers_secrets(
    tmp_path: Path, provider: str, missing: str
) -> None:
    with pytest.raises(SettingsError, match=missing):
        _production(tmp_path, payments_provider=provider)


def test_production_starts_with_its_provider_configured(tmp_path: Path) -> None:
    settings = _production(
        tmp_path, payments_provider="stripe", stripe_secret_key="sk", stripe_webhook_secret="wh"
    )

    assert settings.payments_provider == "stripe"


async def test_providers_are_the_configured_ones_and_the_sandbox_outside_production() -> None:
    development_http, production_http, sandbox_http = (OutboundHttp(5, Tracing.off()) for _ in range(3))
    development = build_providers(
        Settings.for_tests(yookassa_shop_id="1", yookassa_secret_key="k"), development_http, FrozenClock()
    )
    production = build_providers(
        Settings.for_tests(env="production", payments_provider="cloudpayments"),
        production_http,
        FrozenClock(),
    )
    sandbox_only = build_providers(Settings.for_tests(), sandbox_http, FrozenClock())
    # No HTTP client is made until a provider calls out (the sandbox calls nobody).
    made = [http.made for http in (development_http, production_http, sandbox_http)]
    for http in (development_http, production_http, sandbox_http):
        await http.aclose()

    assert development.default == "sandbox"
    assert development.get("sandbox") is not None
    assert development.get("yookassa") is not None
    assert development.get("stripe") is None
    assert development.known("stripe")
    assert not development.known("paypal")
    assert production.get("sandbox") is None
    assert production.get("cloudpayments") is None
    assert sandbox_only.get("sandbox") is not None
    assert made == [False, False, False]


def test_the_qr_payee_comes_from_settings_or_is_a_demo_outside_production() -> None:
    details = {
        "qr_payee_name": "River Rats LLC",
        "qr_account": "40702810900000000001",
        "qr_bank_name": "PAO SBERBANK",
        "qr_bic": "044525225",
        "qr_correspondent_account": "30101810400000000225",
    }

    configured = bank_account(Settings.for_tests(env="production", **details))

    assert configured is not None
    assert configured.name == "River Rats LLC"
    assert bank_account(Settings.for_tests()) == DEMO_BANK_ACCOUNT
    assert bank_account(Settings.for_tests(env="production")) is None
