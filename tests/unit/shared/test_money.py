"""Money is exact: two fraction digits, a currency, nothing negative, nothing beyond the column."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aquastream.domain.shared.errors import ValidationFailed
from aquastream.domain.shared.money import Money


def test_amounts_are_kept_exactly_with_two_fraction_digits() -> None:
    price = Money.of("1500.5")
    assert price.amount == Decimal("1500.50")
    assert str(price) == "1500.50 RUB"
    assert price.minor_units == 150050
    assert Money.of(0).is_free


@pytest.mark.parametrize(
    ("amount", "currency", "fields"),
    [
        ("-1", "RUB", ["price"]),
        ("10.001", "RUB", ["price"]),
        ("abc", "RUB", ["price"]),
        ("NaN", "RUB", ["price"]),
        ("1e26", "RUB", ["price"]),
        ("10000000000", "RUB", ["price"]),
        ("10", "rub", ["currency"]),
        ("-5", "EURO", ["price", "currency"]),
    ],
)
def test_bad_amounts_and_currencies_are_refused(amount: str, currency: str, fields: list[str]) -> None:
    with pytest.raises(ValidationFailed) as caught:
        Money.of(amount, currency)
    assert [e.field for e in caught.value.errors] == fields


def test_the_largest_amount_the_database_holds_is_accepted() -> None:
    assert Money.of("9999999999.99", "USD").amount == Decimal("9999999999.99")
