"""Security headers on every answer; HSTS in production; a strict CSP everywhere but the
docs page, whose own lets it run its scripts, all from the service itself."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from .conftest import Serve

Client = AsyncTestClient[Litestar]

STRICT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"


@pytest.mark.parametrize(
    "path", ["/api/v1/probe/public", "/api/v1/probe/me", "/api/v1/probe/crash", "/nowhere", "/health/live"]
)
async def test_every_answer_carries_the_security_headers(client: Client, path: str) -> None:
    response = await client.get(path)

    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["content-security-policy"] == STRICT_CSP


async def test_docs_page_may_run_its_own_scripts_and_nothing_from_elsewhere(client: Client) -> None:
    response = await client.get("/api/v1/docs")

    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "script-src 'self' 'unsafe-inline'" in policy
    assert "default-src 'none'" in policy
    assert "http" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_no_strict_transport_security_outside_production(client: Client) -> None:
    assert "strict-transport-security" not in (await client.get("/health/live")).headers


async def test_strict_transport_security_in_production(serve: Serve) -> None:
    async with serve(env="production") as client:
        response = await client.get("/health/live")

    assert response.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
