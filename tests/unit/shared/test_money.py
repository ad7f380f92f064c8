"""Money is exact: each currency with its own fraction digits, nothing negative, nothing beyond
the column, and only currencies the catalogue takes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aquastream.adapters.memory.currencies import FixedCurrencies
from aquastream.domain.shared.errors import ValidationFailed
from aquastream.domain.shared.money import (
    Currency,
    Money,
    TooManyFractionDigits,
    UnknownCurrency,
    amount_text,
    from_minor_units,
    to_minor_units,
)

CURRENCIES = FixedCurrencies()
RUB, JPY, KWD = (Currency.known(CURRENCIES, code) for code in ("RUB", "JPY", "KWD"))


def test_amounts_keep_exactly_their_currencys_fraction_digits() -> None:
    assert (RUB.digits, JPY.digits, KWD.digits) == (2, 0, 3)
    price = Money.of("1500.5", RUB)
    assert str(price.amount) == "1500.50"
    assert str(price) == "1500.50 RUB"
    assert price.minor_units == 150050
    assert str(Money.of("1000.0", JPY)) == "1000 JPY"
    assert str(Money.of("1.2", KWD).amount) == "1.200"
    assert Money.of(0, JPY).is_free


@pytest.mark.parametrize(
    ("amount", "currency", "minor_units"),
    [("1000", JPY, 1000), ("1.234", KWD, 1234), ("1500.00", RUB, 150000), ("0.01", RUB, 1)],
)
def test_minor_units_are_the_amount_times_ten_to_the_currencys_digits(
    amount: str, currency: Currency, minor_units: int
) -> None:
    money = Money.of(amount, currency)

    assert money.minor_units == minor_units
    assert from_minor_units(minor_units, currency.digits) == money.amount
    assert to_minor_units(money.amount, currency.digits) == minor_units


@pytest.mark.parametrize(
    ("amount", "digits", "text"),
    [(Decimal("1000"), 0, "1000"), (Decimal("1500"), 2, "1500.00"), (Decimal("1.2340"), 3, "1.234")],
)
def test_amounts_are_written_with_the_currencys_digits_and_no_exponent(
    amount: Decimal, digits: int, text: str
) -> None:
    assert amount_text(amount, digits) == text
    assert amount_text(Decimal("1E+3"), 0) == "1000"


@pytest.mark.parametrize(("amount", "currency"), [("1000.5", JPY), ("10.001", RUB), ("1.2345", KWD)])
def test_more_fraction_digits_than_the_currency_has_are_refused(amount: str, currency: Currency) -> None:
    with pytest.raises(TooManyFractionDigits) as caught:
        Money.of(amount, currency, field="amount")

    assert caught.value.code == "money.too_many_fraction_digits"
    assert [e.field for e in caught.value.errors] == ["amount"]
    assert caught.value.message.startswith(f"amount: {currency.code} amounts have")


@pytest.mark.parametrize("code", ["ZZZ", "ABC", "rubles", "", "XAU"])
def test_currencies_the_catalogue_does_not_take_are_refused_naming_the_field(code: str) -> None:
    with pytest.raises(UnknownCurrency) as caught:
        Currency.known(CURRENCIES, code)

    assert caught.value.code == "currency.unknown"
    assert [e.field for e in caught.value.errors] == ["currency"]
    assert caught.value.message.startswith("currency: ")


def test_currency_codes_are_read_in_any_case() -> None:
    assert Currency.known(CURRENCIES, " jpy ") == JPY


@pytest.mark.parametrize("amount", ["-1", "abc", "NaN", "1e26", "10000000000"])
def test_malformed_amounts_are_refused_as_malformed_input(amount: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        Money.of(amount, RUB)

    assert [e.field for e in caught.value.errors] == ["price"]


def test_the_largest_amount_the_database_holds_is_accepted() -> None:
    assert Money.of("9999999999.999", KWD).amount == Decimal("9999999999.999")
    assert Money.of("9999999999.99", RUB).amount == Decimal("9999999999.99")
