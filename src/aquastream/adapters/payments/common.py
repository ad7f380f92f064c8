"""What the provider adapters share: money on the wire, HMAC checks, and turning transport
failures into ``ProviderFailed``."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any

from aquastream.adapters.currencies import amount_in, fraction_digits, written
from aquastream.domain.payments.errors import InvalidWebhookSignature, ProviderFailed
from aquastream.domain.shared.errors import ValidationFailed
from aquastream.domain.shared.money import from_minor_units, to_minor_units


def decimal_text(amount: Decimal, currency: str) -> str:
    """``1500.00`` RUB, ``1000`` JPY, ``1.234`` KWD: how YooKassa, CloudPayments and the
    sandbox write amounts, with the currency's fraction digits."""
    return written(amount, currency)


def decimal_number(amount: Decimal, currency: str) -> int | float:
    """The same as a JSON number: whole for a currency without fraction digits (JPY ``1000``),
    else a float, exact at our at most 13 significant digits (KWD ``1.234``)."""
    text = decimal_text(amount, currency)
    return int(text) if fraction_digits(currency) == 0 else float(text)


def minor_units(amount: Decimal, currency: str) -> int:
    """The amount in the currency's minor units, how Stripe writes amounts: RUB 1500.00 →
    150000 (kopecks), JPY 1000 → 1000, KWD 1.234 → 1234 (fils)."""
    return to_minor_units(amount, fraction_digits(currency))


def parse_minor_units(value: Any, currency: Any) -> Decimal | None:
    """An amount a provider reports in minor units of ``currency`` (None when either is
    missing or unreadable)."""
    if value is None or not currency:
        return None
    try:
        return from_minor_units(int(value), fraction_digits(str(currency)))
    except (ArithmeticError, TypeError, ValueError):
        return None


def parse_decimal(value: Any, currency: Any) -> Decimal | None:
    """An amount a provider reports as a decimal, to ``currency``'s fraction digits (as it
    came when the currency is missing; None when unreadable)."""
    if value is None:
        return None
    try:
        amount = Decimal(str(value))
        return amount_in(amount, str(currency)) if currency else amount
    except ArithmeticError:
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
    import httpx

    try:
        yield
    except httpx.HTTPStatusError as error:
        raise ProviderFailed(f"{provider} answered {error.response.status_code}.") from error
    except httpx.HTTPError as error:
        raise ProviderFailed(f"{provider} did not answer ({type(error).__name__}).") from error
    except (KeyError, TypeError, ValueError) as error:
        raise ProviderFailed(f"{provider} answered something unexpected.") from error
