"""Helpers of the booking API tests: participants who can book, bookings and event seats."""

from __future__ import annotations

import itertools
from typing import Any

from tests.api.catalog.kit import API
from tests.api.identity.conftest import Account, Client, login, register

_phones = itertools.count(1)


async def participant(client: Client, email: str, **profile: Any) -> Account:
    """A registered USER whose profile has a phone (what booking needs) and ``profile`` fields."""
    account = await register(client, email, phone=f"+7999{next(_phones):07d}")
    if profile:
        response = await client.put(f"{API}/users/me", json=profile, headers=account.auth)
        assert response.status_code == 200, response.text
    return account


async def book(client: Client, account: Account, event_id: str, key: str | None = None) -> Any:
    """``POST /bookings`` as ``account``, with an ``Idempotency-Key`` when ``key`` is given."""
    headers = dict(account.auth)
    if key is not None:
        headers["Idempotency-Key"] = key
    return await client.post(f"{API}/bookings", json={"eventId": event_id}, headers=headers)


async def booked(client: Client, account: Account, event_id: str) -> dict[str, Any]:
    response = await book(client, account, event_id)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def seats_left(client: Client, event_id: str) -> int:
    """What the public event page says is still free."""
    response = await client.get(f"{API}/events/{event_id}")
    assert response.status_code == 200, response.text
    available: int = response.json()["available"]
    return available


async def join_queue(client: Client, account: Account, event_id: str) -> dict[str, Any]:
    response = await client.post(f"{API}/events/{event_id}/waitlist", headers=account.auth)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def fresh(client: Client, *accounts: Account) -> list[Account]:
    """The accounts logged in again: access tokens last 15 minutes of the frozen clock, so a
    test that moves the clock by days needs new ones."""
    return [await login(client, account.email) for account in accounts]
