"""X-Request-Id: echoed when sane, made up otherwise, on every answer and in the problem body."""

from __future__ import annotations

import re

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

Client = AsyncTestClient[Litestar]


async def test_request_id_of_the_client_is_echoed(client: Client) -> None:
    response = await client.get("/api/v1/probe/public", headers={"X-Request-Id": "web-7f3a:42"})

    assert response.headers["x-request-id"] == "web-7f3a:42"


async def test_request_id_is_generated_when_missing(client: Client) -> None:
    first = await client.get("/api/v1/probe/public")
    second = await client.get("/api/v1/probe/public")

    assert re.fullmatch(r"[0-9a-f]{32}", first.headers["x-request-id"])
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


@pytest.mark.parametrize("unsafe", ["a" * 129, "two words", "id\twith-tab", "<script>", "ünïcode", ""])
async def test_unsafe_request_id_is_replaced(client: Client, unsafe: str) -> None:
    response = await client.get("/api/v1/probe/public", headers={b"x-request-id": unsafe.encode("utf-8")})

    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["x-request-id"])


async def test_request_id_of_128_safe_characters_is_kept(client: Client) -> None:
    longest = "A1._:-" * 21 + "xy"

    response = await client.get("/api/v1/probe/public", headers={"X-Request-Id": longest})

    assert response.headers["x-request-id"] == longest


async def test_error_answers_carry_the_request_id_in_header_and_body(client: Client) -> None:
    response = await client.get("/api/v1/probe/me", headers={"X-Request-Id": "trace-me"})

    assert response.status_code == 401
    assert response.headers["x-request-id"] == "trace-me"
    assert response.json()["correlationId"] == "trace-me"


async def test_unknown_route_carries_the_request_id(client: Client) -> None:
    response = await client.get("/nowhere", headers={"X-Request-Id": "lost-1"})

    assert response.status_code == 404
    assert response.headers["x-request-id"] == "lost-1"
    assert response.json()["correlationId"] == "lost-1"


async def test_health_answers_carry_a_request_id(client: Client) -> None:
    response = await client.get("/health/live")

    assert response.headers["x-request-id"]
