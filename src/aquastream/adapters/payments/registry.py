"""The payment providers built from settings: every provider whose credentials are set, plus
the sandbox outside production."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from aquastream.adapters.outbound import OutboundHttp
from aquastream.adapters.payments.cloudpayments import CLOUDPAYMENTS, CloudPaymentsProvider
from aquastream.adapters.payments.sandbox import SANDBOX, SandboxProvider
from aquastream.adapters.payments.stripe import STRIPE, StripeProvider
from aquastream.adapters.payments.yookassa import DEFAULT_ALLOWED_NETWORKS, YOOKASSA, YooKassaProvider
from aquastream.ports.clock import Clock
from aquastream.ports.payments import PaymentProvider
from aquastream.settings import Settings

KNOWN_PROVIDERS = frozenset({SANDBOX, YOOKASSA, CLOUDPAYMENTS, STRIPE})
SANDBOX_COMPLETE_PATH = "/api/v1/payments/sandbox/{id}/complete"


class ConfiguredProviders:
    """``ports.payments.PaymentProviders`` over a fixed set of adapters."""

    def __init__(self, default: str, providers: Mapping[str, PaymentProvider]) -> None:
        self._default = default
        self._providers = dict(providers)

    @property
    def default(self) -> str:
        return self._default

    def get(self, name: str) -> PaymentProvider | None:
        return self._providers.get(name)

    def known(self, name: str) -> bool:
        return name in KNOWN_PROVIDERS


def sandbox_secret(settings: Settings) -> str:
    """The sandbox's webhook key, derived from the service secret: nothing more to configure."""
    return hmac.new(settings.secret.encode(), b"aquastream-payments-sandbox", hashlib.sha256).hexdigest()


def build_providers(settings: Settings, http: OutboundHttp, clock: Clock) -> ConfiguredProviders:
    """``http``'s client is made when a provider first calls out: never for the sandbox, which
    calls nobody, nor for a server that only verifies a provider's webhooks."""
    providers: dict[str, PaymentProvider] = {}
    if settings.env != "production":
        complete_url = settings.public_url.rstrip("/") + SANDBOX_COMPLETE_PATH
        providers[SANDBOX] = SandboxProvider(sandbox_secret(settings), complete_url)
    if settings.yookassa_shop_id and settings.yookassa_secret_key:
        providers[YOOKASSA] = YooKassaProvider(
            http,
            settings.yookassa_shop_id,
            settings.yookassa_secret_key,
            api_url=settings.yookassa_api_url,
            allowed_networks=DEFAULT_ALLOWED_NETWORKS if settings.yookassa_ip_allowlist else (),
        )
    if settings.cloudpayments_public_id and settings.cloudpayments_api_secret:
        providers[CLOUDPAYMENTS] = CloudPaymentsProvider(
            http,
            settings.cloudpayments_public_id,
            settings.cloudpayments_api_secret,
            api_url=settings.cloudpayments_api_url,
        )
    if settings.stripe_secret_key and settings.stripe_webhook_secret:
        providers[STRIPE] = StripeProvider(
            http,
            settings.stripe_secret_key,
            settings.stripe_webhook_secret,
            clock,
            api_url=settings.stripe_api_url,
            tolerance_seconds=settings.stripe_webhook_tolerance_seconds,
        )
    return ConfiguredProviders(settings.payments_provider, providers)
