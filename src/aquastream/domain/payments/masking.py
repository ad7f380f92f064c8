"""Masking of provider payloads before they are stored: card data and secrets never land in
our tables, even when a provider echoes them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# Keys (compared case-insensitively, without ``_``/``-``) whose values are replaced.
SENSITIVE_KEYS = frozenset(
    {
        "cardnumber",
        "pan",
        "number",
        "cvc",
        "cvv",
        "cardcryptogrampacket",
        "token",
        "email",
        "phone",
        "ipaddress",
        "ip",
        "name",
        "cardholdername",
        "cardholder",
        "accountid",
        "clientsecret",
        "secret",
        "password",
        "first6",
        "cardfirstsix",
        "expirymonth",
        "expiryyear",
        "cardexpdate",
        "expmonth",
        "expyear",
    }
)
MASK = "***"
_CARD_LIKE = re.compile(r"\b\d{12,19}\b")


def _normal(key: str) -> str:
    return key.replace("_", "").replace("-", "").lower()


def mask(value: Any) -> Any:
    """A copy of ``value`` with sensitive keys masked and card-number-like digit runs hidden."""
    if isinstance(value, Mapping):
        return {
            str(key): MASK if _normal(str(key)) in SENSITIVE_KEYS and item not in (None, "") else mask(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [mask(item) for item in value]
    if isinstance(value, str):
        return _CARD_LIKE.sub(MASK, value)
    return value
