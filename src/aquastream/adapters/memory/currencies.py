"""A currency catalogue of a few given currencies, for tests that need no more."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

# Zero, two and three fraction digits: enough to exercise every rule of money.
SOME_CURRENCIES: Mapping[str, int] = MappingProxyType({"RUB": 2, "EUR": 2, "USD": 2, "JPY": 0, "KWD": 3})


class FixedCurrencies:
    """``CurrencyCatalogue`` over a mapping of code to fraction digits."""

    def __init__(self, digits: Mapping[str, int] = SOME_CURRENCIES) -> None:
        self._digits = dict(digits)

    def minor_digits(self, code: str) -> int | None:
        return self._digits.get(code)
