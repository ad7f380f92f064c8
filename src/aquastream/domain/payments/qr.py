"""The Russian unified payment QR payload (``ST00012``, GOST R 56042-2014) for a bank transfer."""

from __future__ import annotations

from decimal import Decimal

from aquastream.domain.payments.model import BankAccount
from aquastream.domain.shared.money import to_minor_units

# The format states ``Sum`` in kopecks: a transfer in any other currency cannot be encoded.
QR_CURRENCY = "RUB"
_FORBIDDEN = str.maketrans({"|": " ", "\n": " ", "\r": " "})


def _clean(value: str) -> str:
    """``|`` separates the fields: it may not occur inside one."""
    return value.translate(_FORBIDDEN).strip()


def unified_payload(account: BankAccount, amount: Decimal, purpose: str) -> str:
    """``ST00012|Name=…|PersonalAcc=…|BankName=…|BIC=…|CorrespAcc=…|Sum=<kopecks>|Purpose=…``
    (``ST00012``: the format's version 0001, UTF-8 encoded)."""
    kopecks = to_minor_units(amount, 2)  # a rouble has 100 kopecks
    fields = [
        ("Name", account.name),
        ("PersonalAcc", account.account),
        ("BankName", account.bank_name),
        ("BIC", account.bic),
        ("CorrespAcc", account.correspondent_account),
        ("Sum", str(kopecks)),
        ("Purpose", purpose),
    ]
    return "ST00012|" + "|".join(f"{key}={_clean(value)}" for key, value in fields)
