"""An event's price and currency: only currencies the catalogue takes, and prices with no more
fraction digits than their currency has."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aquastream.domain.catalog.event_rules import EventChanges
from aquastream.domain.shared.errors import ValidationFailed
from aquastream.domain.shared.money import TooManyFractionDigits, UnknownCurrency
from tests.unit.catalog.catalog_kit import CatalogKit


@pytest.mark.parametrize(
    ("price", "currency", "stored"),
    [
        (Decimal("1000"), "JPY", "1000"),
        (Decimal("1000.00"), "JPY", "1000"),
        (Decimal("1.234"), "KWD", "1.234"),
        (Decimal("1.2"), "KWD", "1.200"),
        (Decimal("1500.5"), "RUB", "1500.50"),
        (Decimal("0"), "jpy", "0"),
    ],
)
async def test_a_price_is_kept_with_exactly_its_currencys_fraction_digits(
    kit: CatalogKit, price: Decimal, currency: str, stored: str
) -> None:
    await kit.organizer("vuoksa")

    view = await kit.draft("vuoksa", price=price, currency=currency)

    assert (str(view.event.price), view.event.currency) == (stored, currency.upper())
    assert str(kit.stored_event(view.event.id).price) == stored


@pytest.mark.parametrize(("price", "currency"), [("1000.5", "JPY"), ("10.001", "RUB"), ("1.2345", "KWD")])
async def test_a_price_finer_than_its_currency_is_refused_naming_the_price(
    kit: CatalogKit, price: str, currency: str
) -> None:
    await kit.organizer("vuoksa")

    with pytest.raises(TooManyFractionDigits) as caught:
        await kit.draft("vuoksa", price=Decimal(price), currency=currency)

    assert [e.field for e in caught.value.errors] == ["price"]
    assert kit.db.table("catalog.events") == {}


@pytest.mark.parametrize("currency", ["ZZZ", "ABC", "rubles", " "])
async def test_a_currency_the_catalogue_does_not_take_is_refused_naming_the_currency(
    kit: CatalogKit, currency: str
) -> None:
    await kit.organizer("vuoksa")

    with pytest.raises(UnknownCurrency) as caught:
        await kit.draft("vuoksa", currency=currency)

    assert [e.field for e in caught.value.errors] == ["currency"]


async def test_a_malformed_price_is_malformed_input_whatever_the_currency(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")

    with pytest.raises(ValidationFailed) as caught:
        await kit.draft("vuoksa", price=Decimal("-1.5"), currency="ZZZ")

    assert [e.field for e in caught.value.errors] == ["price"]


async def test_a_draft_that_changes_currency_has_its_price_checked_again(kit: CatalogKit) -> None:
    await kit.organizer("vuoksa")
    draft = await kit.draft("vuoksa", price=Decimal("1500.50"), currency="RUB")
    update = kit.update_event()

    with pytest.raises(TooManyFractionDigits):
        await update(kit.owner, draft.event.id, EventChanges(currency="JPY"))
    with pytest.raises(UnknownCurrency):
        await update(kit.owner, draft.event.id, EventChanges(currency="ZZZ"))
    unchanged = kit.stored_event(draft.event.id)
    assert (str(unchanged.price), unchanged.currency) == ("1500.50", "RUB")
    changed = await update(kit.owner, draft.event.id, EventChanges(currency="KWD", price=Decimal("4.875")))

    assert (str(changed.event.price), changed.event.currency) == ("4.875", "KWD")
