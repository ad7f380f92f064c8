"""Helpers of the catalog API tests: organizer accounts, brand pages, events and seats taken."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.api.identity.conftest import Account, Client, login, register

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
API = "/api/v1"


def at(days: float, hours: float = 0) -> str:
    """An instant ``days`` after the tests' now, as the API writes it."""
    return (NOW + timedelta(days=days, hours=hours)).isoformat().replace("+00:00", "Z")


async def organizer_account(client: Client, root: Account, email: str) -> Account:
    """A registered user promoted to ORGANIZER by the admin, logged in again (the role
    change revoked the sessions, and the old access token still says USER)."""
    account = await register(client, email)
    response = await client.post(
        f"{API}/admin/users/{account.id}/role", json={"role": "ORGANIZER"}, headers=root.auth
    )
    assert response.status_code == 200, response.text
    return await login(client, email)


def event_body(organizer_slug: str, **overrides: Any) -> dict[str, Any]:
    """Everything a publishable event needs, starting 30 days from now."""
    body: dict[str, Any] = {
        "organizerSlug": organizer_slug,
        "type": "RAFTING",
        "title": "Rafting on the Msta",
        "description": "Two days on the river with a night in tents.",
        "dateStart": at(30),
        "dateEnd": at(31),
        "location": {"address": "Pier 3", "city": "Veliky Novgorod", "latitude": 58.52, "longitude": 31.27},
        "price": "1500.00",
        "currency": "RUB",
        "capacity": 10,
        "tags": ["river", "beginners"],
        "coverUrl": "https://cdn.example.org/msta.jpg",
    }
    body.update(overrides)
    return body


async def create_event(
    client: Client, account: Account, organizer_slug: str, **overrides: Any
) -> dict[str, Any]:
    response = await client.post(
        f"{API}/events", json=event_body(organizer_slug, **overrides), headers=account.auth
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def publish(client: Client, account: Account, event_id: str) -> dict[str, Any]:
    response = await client.post(f"{API}/events/{event_id}/publish", headers=account.auth)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def published_event(
    client: Client, account: Account, organizer_slug: str, **overrides: Any
) -> dict[str, Any]:
    draft = await create_event(client, account, organizer_slug, **overrides)
    return await publish(client, account, draft["id"])


async def book_seat(client: Client, event_id: str, account: Account) -> None:
    """``account`` books a seat through ``POST /bookings`` (free events are CONFIRMED at once,
    paid ones PENDING; both take a seat), after adding the phone that booking needs."""
    phone = await client.put(f"{API}/users/me", json={"phone": "+79990000000"}, headers=account.auth)
    assert phone.status_code == 200, phone.text
    response = await client.post(f"{API}/bookings", json={"eventId": event_id}, headers=account.auth)
    assert response.status_code == 201, response.text


async def open_page(client: Client, owner: Account, slug: str, name: str, **fields: Any) -> dict[str, Any]:
    response = await client.post(
        f"{API}/organizers", json={"slug": slug, "name": name, **fields}, headers=owner.auth
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


@dataclass(frozen=True)
class Cast:
    """``anna`` owns ``river-rats``, ``boris`` owns ``forest-club``, ``vera`` is a participant."""

    root: Account
    anna: Account
    boris: Account
    vera: Account
