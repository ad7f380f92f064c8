"""Identity API fixtures: the real app with a recording recovery sender and helpers to act as users."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from dishka import AsyncContainer, Provider, Scope, provide
from litestar import Litestar
from litestar.testing import AsyncTestClient

from aquastream.adapters.memory.senders import MemoryRecoveryCodeSender
from aquastream.domain.identity.bootstrap import CreateAdmin
from aquastream.ports.identity import RecoveryCodeSender
from tests.api.conftest import Serve
from tests.api.worker import in_request

PASSWORD = "Paddle-Hard-2030!"
Client = AsyncTestClient[Litestar]


class RecordingSenderProvider(Provider):
    def __init__(self, sender: MemoryRecoveryCodeSender) -> None:
        super().__init__()
        self._sender = sender

    @provide(scope=Scope.APP)
    def sender(self) -> RecoveryCodeSender:
        return self._sender


@pytest.fixture
def sender() -> MemoryRecoveryCodeSender:
    return MemoryRecoveryCodeSender()


@pytest.fixture
async def api(serve: Serve, sender: MemoryRecoveryCodeSender) -> AsyncIterator[Client]:
    """The app without rate limits (the rate-limit tests turn them on themselves)."""
    async with serve(RecordingSenderProvider(sender), rate_limit_enabled=False) as client:
        yield client


@dataclass
class Account:
    id: str
    email: str
    password: str
    access_token: str
    refresh_token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


async def register(client: Client, email: str, password: str = PASSWORD, **extra: Any) -> Account:
    response = await client.post(
        "/api/v1/auth/register", json={"email": email, "password": password, **extra}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    return Account(body["userId"], email, password, body["accessToken"], body["refreshToken"])


async def login(client: Client, email: str, password: str = PASSWORD) -> Account:
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    body = response.json()
    me = await client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {body['accessToken']}"})
    return Account(me.json()["id"], email, password, body["accessToken"], body["refreshToken"])


async def admin(client: Client, email: str = "root@example.com") -> Account:
    """An admin account, made the way an operator does it (the create-admin use case), then logged in."""

    async def create(request: AsyncContainer) -> None:
        create_admin = await request.get(CreateAdmin)
        await create_admin(email=email, password=PASSWORD)

    await in_request(client, create)
    return await login(client, email)


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["code"] == code, body
    assert body["correlationId"] == response.headers["x-request-id"]
    return body
