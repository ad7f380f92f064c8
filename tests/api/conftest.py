"""API fixtures: the real application on a SQLite file, served to a test client, and access tokens.

With ``AQUASTREAM_TEST_DOMAIN_ROLES=1`` the application runs on PostgreSQL instead, each
domain as a role that sees only its own schema (see ``tests/api/domain_roles.py``).
"""

from __future__ import annotations

import asyncio
import shutil
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from dishka import AsyncContainer, Provider, Scope, provide
from litestar import Litestar
from litestar.testing import AsyncTestClient

from aquastream.adapters.crypto.jwt_tokens import JwtAccessTokens
from aquastream.adapters.http.token_check import AccessTokenCheck
from aquastream.adapters.http.tracing import Tracing
from aquastream.adapters.memory.senders import MemoryRecoveryCodeSender
from aquastream.app import create_app
from aquastream.domain.identity.model import User
from aquastream.domain.shared.principal import Role
from aquastream.ports.identity import VerificationCodeSender
from aquastream.settings import Settings

from . import domain_roles
from .domain_roles import RolesTemplate
from .probes import PROBE_ROUTES
from .worker import in_app

Serve = Callable[..., AbstractAsyncContextManager[AsyncTestClient[Litestar]]]
ServeFrom = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]
Bearer = Callable[..., dict[str, str]]


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path, migrated_sqlite_file: Path) -> str:
    """A fresh copy of the migrated SQLite template for every test (under domain roles, a
    fresh PostgreSQL database as the ``infra`` role)."""
    if domain_roles.enabled():
        url: str = request.getfixturevalue("domain_roles_database_url")
        return url
    path = tmp_path / "api.db"
    shutil.copyfile(migrated_sqlite_file, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture(scope="session")
def domain_roles_template(postgres_server_url: str) -> Iterator[RolesTemplate]:
    yield from domain_roles.roles_template(postgres_server_url)


@pytest.fixture
def domain_roles_database_url(domain_roles_template: RolesTemplate) -> Iterator[str]:
    """A copy of the roles' template, as the ``infra`` role's URL."""
    yield from domain_roles_template.copy()


@pytest.fixture
def database_settings(request: pytest.FixtureRequest, database_url: str) -> dict[str, str]:
    """``database_url``, and under domain roles each domain's role's URL of the same database."""
    settings = {"database_url": database_url}
    if domain_roles.enabled():
        template: RolesTemplate = request.getfixturevalue("domain_roles_template")
        settings.update(template.settings_of(database_url))
    return settings


# RFC 7518 §3.2: an HS512 key has at least 64 bytes (pyjwt warns below that).
JWT_SECRET = "api-test-secret-" + "k" * 48


@pytest.fixture
def make_settings(database_settings: dict[str, str]) -> Callable[..., Settings]:
    def make(**overrides: Any) -> Settings:
        # Another database asked for by a test comes without the test database's domain URLs.
        database = {} if "database_url" in overrides else database_settings
        return Settings.for_tests(**{**database, "jwt_secret": JWT_SECRET, **overrides})

    return make


class CapturedVerificationCodesProvider(Provider):
    """Email-verification codes kept in memory, so that the helpers that register accounts
    can verify their emails as their owners would (``tests.api.identity.conftest.register``).
    A test's own provider of the port comes later and wins."""

    @provide(scope=Scope.APP)
    def verification_sender(self) -> VerificationCodeSender:
        return MemoryRecoveryCodeSender()


@pytest.fixture
def make_app(make_settings: Callable[..., Settings]) -> Callable[..., Litestar]:
    """``make_app(*providers, tracing=None, **setting_overrides)``: the real app plus the probe
    routes (``tracing``: one of the test's own, exporting to memory); email-verification codes
    are captured in memory (``CapturedVerificationCodesProvider``)."""

    def make(*providers: Provider, tracing: Tracing | None = None, **overrides: Any) -> Litestar:
        return create_app(
            make_settings(**overrides),
            CapturedVerificationCodesProvider(),
            *providers,
            extra_routes=PROBE_ROUTES,
            tracing=tracing,
        )

    return make


@pytest.fixture
def serve(make_app: Callable[..., Litestar]) -> Serve:
    """``async with serve(**setting_overrides) as client``: started app, stopped afterwards."""

    @asynccontextmanager
    async def serve(*providers: Provider, **overrides: Any) -> AsyncIterator[AsyncTestClient[Litestar]]:
        async with AsyncTestClient(make_app(*providers, **overrides)) as client:
            await in_app(client, judging_tokens)
            yield client

    return serve


JUDGING_TOKENS_TRIES = 3


async def judging_tokens(container: AsyncContainer) -> None:
    """Wait, as a load balancer waits for ``/health/ready``, until the app can judge access
    tokens. On a loaded machine its first read of the revoked tokens may outlast the read's
    timeout; the app then answers tokens 503 until its next read, as it should, and a test
    would see that 503 in its set-up. A few tries, no more: an app started on a database
    that is down on purpose goes on to its test."""
    check = await container.get(AccessTokenCheck)
    for _ in range(JUDGING_TOKENS_TRIES):
        try:
            await check.check()
        except Exception:
            await asyncio.sleep(0.2)
        else:
            return


@pytest.fixture
def serve_from(make_app: Callable[..., Litestar]) -> ServeFrom:
    """Like ``serve``, but the requests come from ``peer`` (an IP), as a proxy's would.

    Litestar's test client always says its peer is "testclient", so this one talks to
    the app through httpx's ASGI transport, in the test's own event loop.
    """

    @asynccontextmanager
    async def serve_from(peer: str, **overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
        app = make_app(**overrides)
        # Litestar and httpx spell the ASGI types differently; the app is a plain ASGI app.
        transport = httpx.ASGITransport(app=app, client=(peer, 40000))  # type: ignore[arg-type]
        async with (
            app.lifespan(),
            httpx.AsyncClient(transport=transport, base_url="http://api.test") as client,
        ):
            await judging_tokens(app.state.dishka_container)
            yield client

    return serve_from


@pytest.fixture
async def client(serve: Serve) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with serve() as client:
        yield client


@pytest.fixture
def jwt_secret(make_settings: Callable[..., Settings]) -> str:
    return make_settings().secret


@pytest.fixture
def access_tokens(jwt_secret: str) -> JwtAccessTokens:
    """Tokens the application under test accepts (same secret)."""
    return JwtAccessTokens(jwt_secret, ttl_seconds=900)


def a_user(role: Role = Role.USER, *, user_id: uuid.UUID | None = None) -> User:
    now = datetime.now(UTC)
    return User(
        id=user_id or uuid.uuid4(),
        email=f"{role.value.lower()}@example.org",
        password_hash="not-used",
        role=role,
        is_active=True,
        created_at=now,
        updated_at=now,
    )


@pytest.fixture
def bearer(access_tokens: JwtAccessTokens) -> Bearer:
    """``bearer(Role.ADMIN)``: an Authorization header with a fresh token for a new user."""

    def bearer(role: Role = Role.USER, *, user_id: uuid.UUID | None = None) -> dict[str, str]:
        user, now = a_user(role, user_id=user_id), datetime.now(UTC)
        token, _ = access_tokens.issue(user, now=now, session_family_id=uuid.uuid4())
        return {"Authorization": f"Bearer {token}"}

    return bearer
