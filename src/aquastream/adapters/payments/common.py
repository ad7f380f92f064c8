"""What the provider adapters share: money on the wire, HMAC checks, and turning transport
failures into ``ProviderFailed``."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from aquastream.domain.payments.errors import InvalidWebhookSignature, ProviderFailed
from aquastream.domain.shared.errors import ValidationFailed


def decimal_text(amount: Decimal) -> str:
    """``1500.00``: how YooKassa and CloudPayments write amounts."""
    return f"{amount:.2f}"


def minor_units(amount: Decimal) -> int:
    """Kopecks/cents, how Stripe writes amounts."""
    return int((amount * 100).to_integral_value())


def parse_decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


def uuid_or_none(value: Any) -> uuid.UUID | None:
    """Our payment id as a provider echoes it (metadata, invoice id), when it is one."""
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def hmac_sha256(secret: str, message: bytes) -> bytes:
    return hmac.new(secret.encode(), message, hashlib.sha256).digest()


def matches(expected: str, presented: str | None) -> bool:
    """Constant-time comparison of a computed signature with the one presented."""
    return presented is not None and hmac.compare_digest(expected.encode(), presented.strip().encode())


def require_equal(expected: str, presented: str | None) -> None:
    """A mismatch is an unauthenticated notification."""
    if not matches(expected, presented):
        raise InvalidWebhookSignature()


def json_body(body: bytes) -> dict[str, Any]:
    """A notification's JSON object; anything else is malformed input (400)."""
    try:
        parsed = json.loads(body)
    except ValueError:
        raise ValidationFailed("The notification is not JSON.") from None
    if not isinstance(parsed, dict):
        raise ValidationFailed("The notification is not a JSON object.")
    return parsed


@asynccontextmanager
async def provider_call(provider: str) -> AsyncIterator[None]:
    """Transport errors, timeouts and error statuses of a provider call become ``ProviderFailed``."""
    try:
        yield
    except httpx.HTTPStatusError as error:
        raise ProviderFailed(f"{provider} answered {error.response.status_code}.") from error
    except httpx.HTTPError as error:
        raise ProviderFailed(f"{provider} did not answer ({type(error).__name__}).") from error
    except (KeyError, TypeError, ValueError) as error:
        raise ProviderFailed(f"{provider} answered something unexpected.") from error
