"""Currencies from the Unicode CLDR as babel ships it: which ISO 4217 codes the service takes,
and how many fraction digits the amounts of each have.

The service takes the currencies that are legal tender in some territory on the current day
(``get_territory_currencies(…, tender=True)``): RUB, EUR, USD, JPY, KWD and about 150 more.
Left out are what no one pays a ticket in: precious metals (XAU, XAG, XPT, XPD), the testing
and "no currency" codes (XTS, XXX), units of account and bond-market units (XDR, XSU, XUA,
XBA…), fund codes that exist beside a country's currency (USN, CHE, CHW, BOV, CLF, COU, MXV,
UYI, UYW) and currencies that were withdrawn (HRK since 2023, SLL, ZWL…).

Fraction digits are the CLDR's (``get_currency_precision``): the digits amounts are written
with in practice. They equal ISO 4217's minor unit for the common currencies (RUB, EUR, USD
2; JPY, KRW, CLP 0; KWD, BHD, JOD, OMR, TND 3); where the two differ the CLDR counts the
digits actually used (HUF, IDR, COP, IQD and a few others are written without a fraction).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache

from babel.core import get_global
from babel.numbers import get_currency_precision, get_territory_currencies

from aquastream.domain.shared.money import amount_text, quantize
from aquastream.ports.clock import Clock


@lru_cache(maxsize=512)  # every amount read or written asks; the codes are few
def fraction_digits(code: str) -> int:
    """The CLDR's fraction digits of any currency code, withdrawn ones too (2 for a code the
    CLDR does not know): how amounts already accepted in ``code`` are stored and written."""
    return get_currency_precision(code.upper())


def amount_in(amount: Decimal | float | int, currency: str) -> Decimal:
    """An amount as read back from storage, exact to ``currency``'s digits (SQLite keeps
    NUMERIC as a float, PostgreSQL's column holds 3 fraction digits for every currency)."""
    exact = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    return quantize(exact, fraction_digits(currency))


def written(amount: Decimal, currency: str) -> str:
    """``1500.00`` RUB, ``1000`` JPY, ``1.234`` KWD: an amount as the API writes it."""
    return amount_text(amount, fraction_digits(currency))


@lru_cache(maxsize=4)
def _tender_on(day: date) -> frozenset[str]:
    territories = get_global("territory_currencies")
    return frozenset(code for territory in territories for code in get_territory_currencies(territory, day))


class CldrCurrencies:
    """``CurrencyCatalogue``: the ISO 4217 currencies legal tender somewhere on the clock's
    current day, with the CLDR's fraction digits."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    def minor_digits(self, code: str) -> int | None:
        if code not in _tender_on(self._clock.now().date()):
            return None
        return fraction_digits(code)
