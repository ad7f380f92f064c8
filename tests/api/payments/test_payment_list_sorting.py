"""``sort`` on the payment lists through the real app: the caller's payments and an event's
payments by ``createdAt`` (the default, newest first), ``amount`` or ``status``; an unknown
field is a 400 naming the allowed ones. The moderation queue takes no ``sort`` (oldest
submission first is its meaning)."""

from __future__ import annotations

from typing import Any

import pytest

from aquastream.adapters.memory.clock import FrozenClock
from tests.api.booking.conftest import People
from tests.api.booking.kit import booked
from tests.api.catalog.kit import API, Cast, published_event
from tests.api.identity.conftest import Account, Client, assert_problem
from tests.api.payments.kit import paid_booking, started

ALLOWED = "createdAt, -createdAt, amount, -amount, status, -status"


async def _ids(api: Client, account: Account, path: str, **params: Any) -> list[str]:
    response = await api.get(f"{API}{path}", params=params, headers=account.auth)
    assert response.status_code == 200, response.text
    return [payment["id"] for payment in response.json()["items"]]


async def test_the_payers_payments_sort_by_creation_amount_or_status(
    api: Client, cast: Cast, people: People, clock: FrozenClock
) -> None:
    payments = {}
    for name, price in (("cheap", "500"), ("dear", "3000"), ("mid", "1500")):
        booking = await paid_booking(api, cast, people.pavel, price=price)
        payments[name] = (await started(api, people.pavel, booking["id"]))["id"]
        clock.advance(minutes=1)
    cancelled = await api.post(f"{API}/payments/{payments['mid']}/cancel", headers=people.pavel.auth)
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "CANCELLED")
    cheap, dear, mid = payments["cheap"], payments["dear"], payments["mid"]

    assert await _ids(api, people.pavel, "/payments") == [mid, dear, cheap]
    assert await _ids(api, people.pavel, "/payments", sort="-createdAt") == [mid, dear, cheap]
    assert await _ids(api, people.pavel, "/payments", sort="createdAt") == [cheap, dear, mid]
    assert await _ids(api, people.pavel, "/payments", sort="amount") == [cheap, mid, dear]
    assert await _ids(api, people.pavel, "/payments", sort="-amount", size=2, page=1) == [cheap]
    # CANCELLED before the two open ones, which tie and go by id.
    assert await _ids(api, people.pavel, "/payments", sort="status") == [mid, *sorted([cheap, dear])]


async def test_an_events_payments_sort_for_its_organizer(
    api: Client, cast: Cast, people: People, clock: FrozenClock
) -> None:
    event = await published_event(api, cast.anna, "river-rats", price="1500")
    paid = []
    for payer in (people.pavel, people.rita, people.sasha):
        booking = await booked(api, payer, event["id"])
        paid.append((await started(api, payer, booking["id"]))["id"])
        clock.advance(minutes=1)
    path = f"/events/{event['id']}/payments"

    assert await _ids(api, cast.anna, path) == list(reversed(paid))
    assert await _ids(api, cast.anna, path, sort="createdAt") == paid
    assert await _ids(api, cast.anna, path, sort="-amount") == sorted(paid, reverse=True)  # one price: by id


@pytest.mark.parametrize("sort", ["method", "", "+amount", "-", "created_at"])
async def test_an_unknown_sort_field_is_400_naming_the_allowed_ones(
    api: Client, cast: Cast, people: People, sort: str
) -> None:
    event = await published_event(api, cast.anna, "river-rats", price="1500")
    for account, path in ((people.pavel, "/payments"), (cast.anna, f"/events/{event['id']}/payments")):
        response = await api.get(f"{API}{path}", params={"sort": sort}, headers=account.auth)

        body = assert_problem(response, 400, "validation.failed")
        assert body["errors"] == [{"field": "sort", "message": f"expected one of {ALLOWED}; got {sort}"}]


async def test_the_openapi_document_lists_the_payment_sort_fields(api: Client) -> None:
    document = (await api.get(f"{API}/openapi.json")).json()

    def sort_enum(path: str) -> list[str]:
        (parameter,) = [p for p in document["paths"][path]["get"]["parameters"] if p["name"] == "sort"]
        enum: list[str] = parameter["schema"]["enum"]
        return enum

    assert ", ".join(sort_enum(f"{API}/payments")) == ALLOWED
    assert sort_enum(f"{API}/events/{{event_id}}/payments") == sort_enum(f"{API}/payments")
    moderation = document["paths"][f"{API}/payments/moderation"]["get"]["parameters"]
    assert "sort" not in {p["name"] for p in moderation}
