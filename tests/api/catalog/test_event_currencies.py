"""Event prices through the real app: ISO 4217 currencies in use only, each price with no more
fraction digits than its currency has, and written back with exactly those digits."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.catalog.kit import API, Cast, create_event, event_body, published_event
from tests.api.identity.conftest import Account, Client, assert_problem


async def _drafts(api: Client, owner: Account) -> list[dict[str, Any]]:
    response = await api.get(f"{API}/organizers/river-rats/events", headers=owner.auth)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


@pytest.mark.parametrize(
    ("price", "currency", "shown"),
    [
        ("1000", "JPY", "1000"),
        (1000.0, "JPY", "1000"),
        ("1.234", "KWD", "1.234"),
        (4.5, "KWD", "4.500"),
        ("1500", "RUB", "1500.00"),
        ("12.5", "eur", "12.50"),
    ],
)
async def test_prices_are_written_with_their_currencys_fraction_digits(
    api: Client, cast: Cast, price: object, currency: str, shown: str
) -> None:
    created = await create_event(api, cast.anna, "river-rats", price=price, currency=currency)
    published = await api.post(f"{API}/events/{created['id']}/publish", headers=cast.anna.auth)
    read_back = await api.get(f"{API}/events/{created['id']}")

    assert (created["price"], created["currency"]) == (shown, currency.upper())
    assert published.json()["price"] == read_back.json()["price"] == shown
    [listed] = (await api.get(f"{API}/events")).json()["items"]
    assert listed["price"] == shown


@pytest.mark.parametrize("currency", ["ZZZ", "ABC", "XAU", "XXX", "rubles", ""])
async def test_an_unknown_currency_is_422_naming_the_field_and_creates_nothing(
    api: Client, cast: Cast, currency: str
) -> None:
    response = await api.post(
        f"{API}/events", json=event_body("river-rats", currency=currency or " "), headers=cast.anna.auth
    )

    problem = assert_problem(response, 422, "currency.unknown")
    assert [e["field"] for e in problem["errors"]] == ["currency"]
    assert problem["detail"].startswith("currency: ")
    assert await _drafts(api, cast.anna) == []


@pytest.mark.parametrize(
    ("price", "currency"), [("1000.5", "JPY"), (1000.5, "JPY"), ("10.001", "RUB"), ("1.2345", "KWD")]
)
async def test_a_price_finer_than_its_currency_is_422_naming_the_price(
    api: Client, cast: Cast, price: object, currency: str
) -> None:
    response = await api.post(
        f"{API}/events", json=event_body("river-rats", price=price, currency=currency), headers=cast.anna.auth
    )

    problem = assert_problem(response, 422, "money.too_many_fraction_digits")
    assert [e["field"] for e in problem["errors"]] == ["price"]
    assert problem["detail"].startswith(f"price: {currency} amounts have")
    assert await _drafts(api, cast.anna) == []


async def test_a_draft_update_with_a_bad_currency_or_price_is_422_and_changes_nothing(
    api: Client, cast: Cast
) -> None:
    draft = await create_event(api, cast.anna, "river-rats", price="1500.50", currency="RUB")
    path = f"{API}/events/{draft['id']}"

    unknown = await api.put(path, json={"currency": "ZZZ"}, headers=cast.anna.auth)
    assert [e["field"] for e in assert_problem(unknown, 422, "currency.unknown")["errors"]] == ["currency"]
    finer = await api.put(path, json={"currency": "JPY"}, headers=cast.anna.auth)
    assert [e["field"] for e in assert_problem(finer, 422, "money.too_many_fraction_digits")["errors"]] == [
        "price"
    ]
    finer_price = await api.put(path, json={"price": "1500.505"}, headers=cast.anna.auth)
    assert_problem(finer_price, 422, "money.too_many_fraction_digits")
    unchanged = (await api.get(path, headers=cast.anna.auth)).json()
    changed = await api.put(path, json={"currency": "JPY", "price": 1500}, headers=cast.anna.auth)

    assert (unchanged["price"], unchanged["currency"], unchanged["updatedAt"]) == (
        "1500.50",
        "RUB",
        draft["updatedAt"],
    )
    assert (changed.json()["price"], changed.json()["currency"]) == ("1500", "JPY")


async def test_bookings_carry_the_price_with_its_currencys_digits(api: Client, cast: Cast) -> None:
    event = await published_event(api, cast.anna, "river-rats", price="2.5", currency="KWD")
    phone = await api.put(f"{API}/users/me", json={"phone": "+79990000001"}, headers=cast.vera.auth)
    assert phone.status_code == 200, phone.text

    booking = await api.post(f"{API}/bookings", json={"eventId": event["id"]}, headers=cast.vera.auth)

    assert booking.status_code == 201, booking.text
    assert (booking.json()["amount"], booking.json()["currency"]) == ("2.500", "KWD")
    mine = (await api.get(f"{API}/bookings/{booking.json()['id']}", headers=cast.vera.auth)).json()
    assert mine["amount"] == "2.500"
