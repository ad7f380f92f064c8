"""Helpers of the crews API tests: crews made and people assigned through the routes."""

from __future__ import annotations

from typing import Any

from tests.api.catalog.kit import API
from tests.api.identity.conftest import Account, Client


async def new_crew(
    client: Client, account: Account, event_id: str, name: str = "Raft Alpha", **fields: Any
) -> dict[str, Any]:
    body = {"type": "CREW", "name": name, "capacity": 4, **fields}
    response = await client.post(f"{API}/events/{event_id}/crews", json=body, headers=account.auth)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def assign(client: Client, account: Account, crew_id: str, user_id: str, **fields: Any) -> Any:
    return await client.post(
        f"{API}/crews/{crew_id}/assignments", json={"userId": user_id, **fields}, headers=account.auth
    )


async def assigned(
    client: Client, account: Account, crew_id: str, user_id: str, **fields: Any
) -> dict[str, Any]:
    response = await assign(client, account, crew_id, user_id, **fields)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def crew_view(client: Client, account: Account, crew_id: str) -> dict[str, Any]:
    response = await client.get(f"{API}/crews/{crew_id}", headers=account.auth)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
