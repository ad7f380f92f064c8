"""Bytes and characters no client should send: every one answers 400 problem+json and changes
nothing, on SQLite and on PostgreSQL (which cannot store a NUL character)."""

from __future__ import annotations

import uuid

import pytest

from .conftest import Serve
from .test_problems import assert_problem

REGISTER = "/api/v1/auth/register"
PASSWORD = "Paddle-Hard-2030!"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> dict[str, str]:
    if request.param == "sqlite":
        return {}
    url: str = request.getfixturevalue("migrated_postgres_url")
    return {"database_url": url, "rate_limit_enabled": "false"}


async def test_a_body_that_is_not_utf8_is_refused(serve: Serve, backend: dict[str, str]) -> None:
    async with serve(**backend) as client:
        response = await client.post(
            REGISTER,
            content=b'{"email": "\xffbad@example.com", "password": "' + PASSWORD.encode() + b'"}',
            headers={"content-type": "application/json"},
        )

    body = assert_problem(response, 400, "validation.failed")
    assert body["errors"] == [{"field": "body", "message": "The body is not valid UTF-8."}]


@pytest.mark.parametrize("depth", [66, 100_000])
async def test_json_nested_too_deeply_is_refused(serve: Serve, depth: int) -> None:
    async with serve() as client:
        response = await client.post(
            REGISTER,
            content=("[" * depth + "]" * depth).encode(),
            headers={"content-type": "application/json"},
        )

    body = assert_problem(response, 400, "validation.failed")
    assert body["errors"][0]["field"] == "body"
    assert "nest" in body["errors"][0]["message"]


async def test_a_nul_character_in_a_body_is_refused_and_nothing_is_created(
    serve: Serve, backend: dict[str, str]
) -> None:
    async with serve(**backend) as client:
        refused = await client.post(REGISTER, json={"email": "nul\u0000@example.com", "password": PASSWORD})
        login = await client.post(
            "/api/v1/auth/login", json={"email": "nul@example.com", "password": PASSWORD}
        )

    body = assert_problem(refused, 400, "validation.failed")
    assert body["errors"] == [{"field": "body", "message": "The body holds a NUL character (\\u0000)."}]
    assert login.status_code == 401


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/events?q=raft%00ing",
        "/api/v1/events?city=%00",
        "/api/v1/events?organizer=%00river",
        "/api/v1/admin/users?q=an%00na",
        "/api/v1/organizers/river%00rats",
        "/api/v1/organizers/river%00rats/events",
    ],
)
async def test_a_nul_character_in_the_url_is_refused(serve: Serve, backend: dict[str, str], url: str) -> None:
    async with serve(**backend) as client:
        response = await client.get(url)

    body = assert_problem(response, 400, "validation.failed")
    assert body["detail"] == "The URL holds a NUL character (%00)."


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("Anna\nMaria", {"field": "firstName", "message": "must be one line without control characters"}),
        ("An\u0000na", {"field": "body", "message": "The body holds a NUL character (\\u0000)."}),
    ],
)
async def test_a_name_with_a_line_break_or_a_nul_is_refused_and_the_profile_unchanged(
    serve: Serve, backend: dict[str, str], name: str, error: dict[str, str]
) -> None:
    async with serve(**backend) as client:
        registered = (
            await client.post(
                REGISTER, json={"email": f"{uuid.uuid4().hex}@example.com", "password": PASSWORD}
            )
        ).json()
        auth = {"Authorization": f"Bearer {registered['accessToken']}"}
        response = await client.put("/api/v1/users/me", json={"firstName": name}, headers=auth)
        me = await client.get("/api/v1/users/me", headers=auth)

    body = assert_problem(response, 400, "validation.failed")
    assert body["errors"] == [error]
    assert me.json()["firstName"] is None
