"""The OpenAPI 3.1 document and the interactive docs, both public."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from aquastream.adapters.http.openapi import SWAGGER_UI_FILES, SWAGGER_UI_VERSION

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
    problem = {"$ref": "#/components/schemas/Problem"}

    assert echo["400"]["content"]["application/problem+json"]["schema"] == problem
    assert echo["429"]["content"]["application/problem+json"]["schema"] == problem
    # A public route: only a token that is present but bad is refused.
    assert set(echo["401"]["content"]["application/problem+json"]["examples"]) == {
        "auth.token_invalid",
        "auth.token_expired",
        "auth.token_revoked",
    }
    me = document["paths"]["/api/v1/probe/me"]["get"]["responses"]
    assert me["401"]["content"]["application/problem+json"]["schema"] == problem
    assert "auth.unauthenticated" in me["401"]["content"]["application/problem+json"]["examples"]
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


async def test_docs_page_is_served_anonymously(client: Client) -> None:
    response = await client.get("/api/v1/docs")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "SwaggerUIBundle" in response.text


ASSET_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}


async def test_docs_page_loads_everything_from_the_service_itself(client: Client) -> None:
    page = (await client.get("/api/v1/docs")).text
    head = page.split("<body", 1)[0]
    references = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page)

    # Nothing from another host: no CDN, so the page works offline.
    assert not re.search(r"https?:|//[a-z]", head, re.IGNORECASE)
    assert all(reference.startswith("/api/v1/docs/assets/") for reference in references)
    assert {reference.rsplit("/", 1)[1] for reference in references} == {
        "swagger-ui.css",
        "swagger-ui-bundle.js",
        "swagger-ui-standalone-preset.js",
        "favicon-32x32.png",
    }
    for reference in references:
        asset = await client.get(reference)
        assert asset.status_code == 200, reference
        suffix = reference[reference.rindex(".") :]
        assert asset.headers["content-type"].startswith(ASSET_TYPES[suffix]), reference
        assert asset.headers["content-type"].count("charset") <= 1, reference
        assert len(asset.content) > 0
        if suffix == ".css":
            # A stylesheet could pull fonts or images from elsewhere: it does not.
            assert not re.search(r"url\(\s*[\"']?(https?:)?//", asset.text), reference
            assert "@import" not in asset.text


async def test_docs_assets_are_the_pinned_package_s_files_and_no_others(client: Client) -> None:
    version = SWAGGER_UI_VERSION
    served = await client.get(f"/api/v1/docs/assets/{version}/swagger-ui-bundle.js")
    assert served.content == (SWAGGER_UI_FILES / "swagger-ui-bundle.js").read_bytes()
    assert "immutable" in served.headers["cache-control"]

    for path in (
        f"/api/v1/docs/assets/{version}/index.html",
        f"/api/v1/docs/assets/{version}/..%2F..%2F__init__.py",
        "/api/v1/docs/assets/0.0.1/swagger-ui-bundle.js",
    ):
        refused = await client.get(path)
        assert refused.status_code == 404, path
        assert refused.headers["content-type"].startswith("application/problem+json")
