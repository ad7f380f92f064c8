"""The OpenAPI 3.1 document and the interactive docs, both public."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

Client = AsyncTestClient[Litestar]
READABLE_NAME = re.compile(r"[A-Z][A-Za-z0-9]*")


@pytest.fixture
async def document(client: Client) -> dict[str, Any]:
    response = await client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.oai.openapi+json")
    body: dict[str, Any] = response.json()
    return body


def test_document_is_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1")
    assert document["info"]["title"] == "AquaStream API"


def test_bearer_scheme_is_documented_and_required_by_default(document: dict[str, Any]) -> None:
    assert document["components"]["securitySchemes"]["BearerToken"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "The access token from POST /api/v1/auth/login.",
    }
    assert document["security"] == [{"BearerToken": []}]
    assert "security" not in document["paths"]["/api/v1/probe/me"]["get"]


def test_public_operations_make_the_token_optional(document: dict[str, Any]) -> None:
    optional: list[dict[str, list[str]]] = [{"BearerToken": []}, {}]
    assert document["paths"]["/api/v1/probe/public"]["get"]["security"] == optional
    assert document["paths"]["/api/v1/probe/declared-public"]["get"]["security"] == optional
    assert document["paths"]["/health/live"]["get"]["security"] == optional


def test_errors_are_documented_as_problem_details(document: dict[str, Any]) -> None:
    echo = document["paths"]["/api/v1/probe/echo"]["post"]["responses"]
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}

    assert echo["400"]["content"] == problem
    assert echo["429"]["content"] == problem
    assert "401" not in echo
    assert document["paths"]["/api/v1/probe/me"]["get"]["responses"]["401"]["content"] == problem
    assert "correlationId" in document["components"]["schemas"]["Problem"]["properties"]


def test_bodies_are_documented_in_camel_case(document: dict[str, Any]) -> None:
    assert set(document["components"]["schemas"]["Participant"]["properties"]) == {
        "firstName",
        "seatCount",
        "homeAddress",
    }


def test_the_document_leaves_out_operator_plumbing(document: dict[str, Any]) -> None:
    assert "/metrics" not in document["paths"]
    assert "/api/v1/openapi.json" not in document["paths"]


def test_schema_names_are_unique_and_readable(document: dict[str, Any]) -> None:
    schemas: dict[str, dict[str, Any]] = document["components"]["schemas"]
    titles = Counter(schema.get("title", name) for name, schema in schemas.items())
    referenced = set(re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(document)))

    assert [name for name in schemas if not READABLE_NAME.fullmatch(name)] == []
    assert [title for title, count in titles.items() if count > 1] == []
    assert [name for name, schema in schemas.items() if schema.get("title", name) != name] == []
    assert referenced - set(schemas) == set()


def test_types_sharing_a_name_are_told_apart_by_their_domain(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    booking_status = schemas["BookingOut"]["properties"]["paymentStatus"]

    assert booking_status == {"$ref": "#/components/schemas/BookingPaymentStatus"}
    assert "SUCCEEDED" in schemas["PaymentStatus"]["enum"]
    assert {"CrewPreferencesIn", "NotificationPreferencesIn", "CrewPreferencesOut"} <= set(schemas)
    page_items = schemas["BookingPage"]["properties"]["items"]["items"]
    assert page_items == {"$ref": "#/components/schemas/BookingOut"}


def test_the_journeys_conflict_and_absence_are_declared_as_problems(document: dict[str, Any]) -> None:
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    book = document["paths"]["/api/v1/bookings"]["post"]["responses"]
    show = document["paths"]["/api/v1/bookings/{booking_id}"]["get"]["responses"]

    assert (book["409"]["content"], book["404"]["content"], show["404"]["content"]) == (problem,) * 3


async def test_docs_page_is_served_anonymously(client: Client) -> None:
    response = await client.get("/api/v1/docs")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "api-reference" in response.text
