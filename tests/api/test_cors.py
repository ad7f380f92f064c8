"""CORS for the configured origins only; none at all when no origin is configured."""

from __future__ import annotations

from .conftest import Bearer, Serve
from .test_problems import assert_problem

ORIGIN = "https://app.aquastream.example"


async def test_preflight_from_a_configured_origin_is_allowed(serve: Serve) -> None:
    async with serve(cors_origins=[ORIGIN]) as client:
        response = await client.options(
            "/api/v1/probe/me",
            headers={
                "Origin": ORIGIN,
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "authorization",
            },
        )

    assert response.status_code in (200, 204)
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert "authorization" in response.headers["access-control-allow-headers"].lower()
    assert "GET" in response.headers["access-control-allow-methods"]


async def test_preflight_from_another_origin_is_refused_as_a_problem(serve: Serve) -> None:
    async with serve(cors_origins=[ORIGIN]) as client:
        response = await client.options(
            "/api/v1/probe/me",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
        )

    assert_problem(response, 400, "cors.rejected")
    assert "access-control-allow-origin" not in response.headers


async def test_answers_to_a_configured_origin_expose_the_edge_headers(serve: Serve, bearer: Bearer) -> None:
    async with serve(cors_origins=[ORIGIN]) as client:
        response = await client.get("/api/v1/probe/me", headers={"Origin": ORIGIN, **bearer()})

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ORIGIN
    exposed = response.headers["access-control-expose-headers"].lower()
    assert "x-request-id" in exposed
    assert "retry-after" in exposed


async def test_error_answers_to_a_configured_origin_carry_cors_headers(serve: Serve) -> None:
    async with serve(cors_origins=[ORIGIN]) as client:
        response = await client.get("/api/v1/probe/me", headers={"Origin": ORIGIN})

    assert response.status_code == 401
    assert response.headers["access-control-allow-origin"] == ORIGIN


async def test_without_configured_origins_there_are_no_cors_headers(serve: Serve) -> None:
    async with serve(cors_origins=[]) as client:
        response = await client.get("/api/v1/probe/public", headers={"Origin": ORIGIN})

    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
