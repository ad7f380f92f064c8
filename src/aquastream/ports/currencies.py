"""Which currencies the service takes, and how many fraction digits each one's amounts have."""

from __future__ import annotations

from typing import Protocol


class CurrencyCatalogue(Protocol):
    def minor_digits(self, code: str) -> int | None:
        """The fraction digits of an amount in ``code`` (an upper-case ISO 4217 code: RUB 2,
        JPY 0, KWD 3); None when ``code`` is not a currency the service takes."""
        ...
