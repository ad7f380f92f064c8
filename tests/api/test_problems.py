"""Every error is application/problem+json with a code, the request path and the correlation id."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

Client = AsyncTestClient[Litestar]


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"] == f"urn:aquastream:problem:{code}"
    assert body["title"]
    assert body["detail"]
    assert body["instance"] == response.request.url.path
    assert body["correlationId"] == response.headers["x-request-id"]
    return body


@pytest.mark.parametrize(
    ("kind", "status", "code"),
    [
        ("validation", 400, "validation.failed"),
        ("unauthenticated", 401, "auth.unauthenticated"),
        ("forbidden", 403, "auth.forbidden"),
        ("not-found", 404, "not_found"),
        ("conflict", 409, "booking.duplicate"),
        ("rule", 422, "event.full"),
        ("busy", 503, "busy"),
    ],
)
async def test_each_kind_of_domain_error_has_its_status_and_code(
    client: Client, kind: str, status: int, code: str
) -> None:
    response = await client.get(f"/api/v1/probe/errors/{kind}")

    assert_problem(response, status, code)


async def test_domain_error_message_becomes_the_detail(client: Client) -> None:
    body = assert_problem(await client.get("/api/v1/probe/errors/not-found"), 404, "not_found")

    assert body["detail"] == "Event not found."


async def test_extra_of_a_domain_error_is_merged_into_the_body(client: Client) -> None:
    body = assert_problem(await client.get("/api/v1/probe/errors/conflict"), 409, "booking.duplicate")

    assert body["existingBookingId"] == "0190a1b2-0000-7000-8000-000000000001"
    assert body["detail"] == "You already booked this event."


async def test_field_errors_of_a_domain_validation_error_are_listed(client: Client) -> None:
    body = assert_problem(await client.get("/api/v1/probe/errors/validation"), 400, "validation.failed")

    assert body["errors"] == [{"field": "seatCount", "message": "Must be at least 1."}]


async def test_unauthenticated_asks_for_a_bearer_token(client: Client) -> None:
    response = await client.get("/api/v1/probe/errors/unauthenticated")

    assert response.headers["www-authenticate"] == "Bearer"


async def test_busy_tells_the_client_when_to_retry(client: Client) -> None:
    response = await client.get("/api/v1/probe/errors/busy")

    assert response.headers["retry-after"] == "1"


async def test_malformed_json_is_a_validation_failure_on_the_body(client: Client) -> None:
    response = await client.post(
        "/api/v1/probe/echo", content=b'{"firstName": "Ann",', headers={"content-type": "application/json"}
    )

    body = assert_problem(response, 400, "validation.failed")
    [error] = body["errors"]
    assert error["field"] == "body"
    assert error["message"]


async def test_wrong_type_names_the_camel_case_field(client: Client) -> None:
    response = await client.post("/api/v1/probe/echo", json={"firstName": "Ann", "seatCount": "two"})

    body = assert_problem(response, 400, "validation.failed")
    assert body["errors"] == [{"field": "seatCount", "message": "Expected `int`, got `str`"}]


async def test_wrong_type_in_a_nested_object_names_the_whole_path(client: Client) -> None:
    response = await client.post(
        "/api/v1/probe/echo",
        json={"firstName": "Ann", "seatCount": 2, "homeAddress": {"zipCode": "abc"}},
    )

    body = assert_problem(response, 400, "validation.failed")
    assert body["errors"] == [{"field": "homeAddress.zipCode", "message": "Expected `int`, got `str`"}]


async def test_missing_field_is_named(client: Client) -> None:
    response = await client.post("/api/v1/probe/echo", json={"firstName": "Ann"})

    body = assert_problem(response, 400, "validation.failed")
    assert body["errors"] == [{"field": "seatCount", "message": "Object missing required field `seatCount`"}]


async def test_valid_body_travels_in_camel_case(client: Client) -> None:
    response = await client.post(
        "/api/v1/probe/echo", json={"firstName": "Ann", "seatCount": 2, "homeAddress": {"zipCode": 101000}}
    )

    assert response.status_code == 201
    assert response.json() == {"firstName": "Ann", "seatCount": 2, "homeAddress": {"zipCode": 101000}}


async def test_unknown_route_is_not_found(client: Client) -> None:
    assert_problem(await client.get("/api/v1/no-such-thing"), 404, "not_found")


async def test_path_outside_the_api_is_not_found(client: Client) -> None:
    assert_problem(await client.get("/wp-admin"), 404, "not_found")


async def test_wrong_method_is_refused_with_the_allowed_ones(client: Client) -> None:
    response = await client.delete("/api/v1/probe/echo")

    assert_problem(response, 405, "method_not_allowed")
    assert "POST" in response.headers["allow"]


async def test_body_over_the_limit_is_too_large(serve: Any) -> None:
    async with serve(max_body_bytes=2048) as client:
        payload = b'{"firstName": "' + b"a" * 4096 + b'", "seatCount": 1}'
        response = await client.post(
            "/api/v1/probe/echo", content=payload, headers={"content-type": "application/json"}
        )

    body = assert_problem(response, 413, "request.too_large")
    assert "2048" in body["detail"]


async def test_domain_error_of_no_kind_is_an_internal_error(client: Client) -> None:
    body = assert_problem(await client.get("/api/v1/probe/errors/kindless"), 500, "internal.error")

    assert "picked no kind" not in body["detail"]


async def test_unexpected_error_is_a_500_that_shows_no_internals(client: Client) -> None:
    response = await client.get("/api/v1/probe/crash")

    body = assert_problem(response, 500, "internal.error")
    assert "hunter2" not in response.text
    assert "RuntimeError" not in response.text
    assert "Traceback" not in response.text
    assert set(body) == {"type", "title", "status", "detail", "instance", "code", "correlationId"}


async def test_unexpected_error_is_logged_with_traceback_and_request_id(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    response = await client.get("/api/v1/probe/crash", headers={"X-Request-Id": "crash-42"})

    assert response.status_code == 500
    [record] = [r for r in caplog.records if r.name == "aquastream.http.errors"]
    assert record.exc_info is not None
    assert "hunter2" in str(record.exc_info[1])
    assert record.request_id == "crash-42"  # type: ignore[attr-defined]


async def test_unknown_page_under_the_docs_is_a_problem_not_an_html_page(client: Client) -> None:
    assert_problem(await client.get("/api/v1/docs/no-such-page"), 404, "not_found")
