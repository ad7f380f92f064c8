"""Identity API fixtures: the real app with a recording recovery sender and helpers to act as users."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from dishka import AsyncContainer, Provider, Scope, provide
from litestar import Litestar
from litestar.testing import AsyncTestClient

from aquastream.adapters.memory.senders import MemoryRecoveryCodeSender
from aquastream.domain.identity.bootstrap import CreateAdmin
from aquastream.ports.identity import RecoveryCodeSender, VerificationCodeSender
from tests.api.conftest import Serve
from tests.api.worker import in_app, in_request

PASSWORD = "Paddle-Hard-2030!"
Client = AsyncTestClient[Litestar]


class RecordingSenderProvider(Provider):
    def __init__(self, sender: MemoryRecoveryCodeSender) -> None:
        super().__init__()
        self._sender = sender

    @provide(scope=Scope.APP)
    def sender(self) -> RecoveryCodeSender:
        return self._sender

    @provide(scope=Scope.APP)
    def verification_sender(self) -> VerificationCodeSender:
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


async def register(
    client: Client, email: str, password: str = PASSWORD, *, verified: bool = True, **extra: Any
) -> Account:
    """A new account, its email verified with the code sent to it (as its owner would) unless
    ``verified`` is False: only a verified email carries messages and recovery codes."""
    response = await client.post(
        "/api/v1/auth/register", json={"email": email, "password": password, **extra}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    account = Account(body["userId"], email, password, body["accessToken"], body["refreshToken"])
    if verified:
        await verify_email(client, account)
    return account


async def verification_code(client: Client | httpx.AsyncClient, email: str) -> str:
    """The newest email-verification code the app sent to ``email`` (the app served by the
    test client, or by an httpx client's ASGI transport in the test's own event loop)."""

    async def read(container: AsyncContainer) -> str:
        sender = await container.get(VerificationCodeSender)
        assert isinstance(sender, MemoryRecoveryCodeSender), "codes are not captured in this app"
        return sender.last_verification_code_for(email.strip().lower())

    if isinstance(client, AsyncTestClient):
        return await in_app(client, read)
    transport = client._transport
    assert isinstance(transport, httpx.ASGITransport), "the app must run in this process"
    app: Any = transport.app
    return await read(app.state.dishka_container)


async def verify_email(client: Client, account: Account) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/users/me/email/verify",
        json={"code": await verification_code(client, account.email)},
        headers=account.auth,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


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
