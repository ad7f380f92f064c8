"""Contract of the currency catalogue, run against the CLDR one (production) and the fixed one
(tests), and what only the CLDR one knows: which codes are legal tender on which day."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from babel.numbers import list_currencies

from aquastream.adapters.currencies import CldrCurrencies, amount_in, fraction_digits, written
from aquastream.adapters.memory.clock import FrozenClock
from aquastream.adapters.memory.currencies import FixedCurrencies
from aquastream.ports.currencies import CurrencyCatalogue

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["cldr", "fixed"])
def catalogue(request: pytest.FixtureRequest) -> CurrencyCatalogue:
    if request.param == "cldr":
        return CldrCurrencies(FrozenClock(NOW))
    return FixedCurrencies()


@pytest.mark.parametrize(("code", "digits"), [("RUB", 2), ("EUR", 2), ("USD", 2), ("JPY", 0), ("KWD", 3)])
def test_currencies_in_use_answer_their_fraction_digits(
    catalogue: CurrencyCatalogue, code: str, digits: int
) -> None:
    assert catalogue.minor_digits(code) == digits


@pytest.mark.parametrize("code", ["ZZZ", "ABC", "", "RUBLES", "rub"])
def test_anything_but_an_upper_case_code_in_use_is_unknown(catalogue: CurrencyCatalogue, code: str) -> None:
    assert catalogue.minor_digits(code) is None


@pytest.mark.parametrize(
    "code",
    ["XAU", "XAG", "XPT", "XPD", "XXX", "XTS", "XDR", "XSU", "XUA", "XBA", "USN", "CHE", "CLF", "UYW"],
)
def test_metals_testing_codes_units_of_account_and_funds_are_not_taken(code: str) -> None:
    assert CldrCurrencies(FrozenClock(NOW)).minor_digits(code) is None


def test_legal_tender_is_judged_on_the_clocks_day() -> None:
    clock = FrozenClock(datetime(2022, 6, 1, tzinfo=UTC))
    currencies = CldrCurrencies(clock)
    assert currencies.minor_digits("HRK") == 2

    clock.set(datetime(2023, 2, 1, tzinfo=UTC))  # Croatia pays in euros since 2023

    assert (currencies.minor_digits("HRK"), currencies.minor_digits("EUR")) == (None, 2)


def test_about_a_hundred_and_fifty_of_the_cldrs_codes_are_taken_with_their_digits() -> None:
    currencies = CldrCurrencies(FrozenClock(NOW))
    answers = {code: currencies.minor_digits(code) for code in list_currencies()}
    taken = {code: digits for code, digits in answers.items() if digits is not None}

    assert 120 <= len(taken) <= 200
    assert set(taken.values()) <= {0, 2, 3}
    assert {"BHD", "JOD", "KWD", "OMR", "TND"} <= {code for code, digits in taken.items() if digits == 3}
    assert {"CLP", "JPY", "KRW", "VND"} <= {code for code, digits in taken.items() if digits == 0}


def test_amounts_already_stored_are_read_and_written_with_their_currencys_digits() -> None:
    assert fraction_digits("HRK") == fraction_digits("hrk") == 2  # withdrawn, still readable
    assert (str(amount_in(1.2339999, "KWD")), str(amount_in(Decimal("1000.000"), "JPY"))) == ("1.234", "1000")
    assert (written(amount_in(1500, "RUB"), "RUB"), written(amount_in(0, "JPY"), "JPY")) == ("1500.00", "0")
