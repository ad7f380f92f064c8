"""The OpenAPI 3.1 document (``/api/v1/openapi.json``) and its interactive docs (``/api/v1/docs``).

Litestar documents errors in its own shape; ``complete_document`` rewrites them as the
problem+json the API really sends, adds the 400 (an unknown query parameter), 401, 429 and
503 routes may answer, and makes the bearer token optional on public routes.
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar, Request, Response, Router, get
from litestar.enums import OpenAPIMediaType
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin
from litestar.openapi.spec import (
    Components,
    OpenAPI,
    OpenAPIResponse,
    Operation,
    Reference,
    Schema,
    SecurityScheme,
)
from litestar.openapi.spec import OpenAPIMediaType as MediaTypeObject
from litestar.openapi.spec.enums import OpenAPIType

from aquastream.adapters.http.problems import PROBLEM_MEDIA_TYPE
from aquastream.adapters.http.route_options import FREE_QUERY, PUBLIC
from aquastream.settings import Settings

API_PREFIX = "/api/v1"
# Litestar's docs router also answers every path below its own (with a 404 page), so it
# gets a folder of its own instead of all of /api/v1.
DOCS_PATH = f"{API_PREFIX}/docs"
BEARER_SCHEME = "BearerToken"
PROBLEM_SCHEMA = "Problem"

# The security of a public operation: a bearer token, or nothing at all.
OPTIONAL_BEARER: list[dict[str, list[str]]] = [{BEARER_SCHEME: []}, {}]


def openapi_config(settings: Settings) -> OpenAPIConfig:
    """Operations need the bearer token unless marked ``@public`` (token optional there)."""
    return OpenAPIConfig(
        title="AquaStream API",
        version=settings.version,
        description=(
            "Bookings, payments, notifications and crews for outdoor events. Errors are "
            "application/problem+json with a machine `code` and a `correlationId`."
        ),
        components=Components(
            security_schemes={
                BEARER_SCHEME: SecurityScheme(
                    type="http",
                    scheme="bearer",
                    bearer_format="JWT",
                    description="The access token from POST /api/v1/auth/login.",
                )
            },
        ),
        security=[{BEARER_SCHEME: []}],
        use_handler_docstrings=True,
        render_plugins=[ScalarRenderPlugin(path="/")],
        openapi_router=Router(
            DOCS_PATH, route_handlers=[], include_in_schema=False, opt={PUBLIC: True, FREE_QUERY: True}
        ),
    )


@get(
    "/openapi.json",
    include_in_schema=False,
    sync_to_thread=False,
    media_type=OpenAPIMediaType.OPENAPI_JSON,
    opt={PUBLIC: True},
)
def openapi_document(request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
    """The OpenAPI document, generated from the route handlers."""
    return Response(request.app.openapi_schema.to_schema(), media_type=OpenAPIMediaType.OPENAPI_JSON)


def complete_document(app: Litestar) -> None:
    """Finish the document once every route is registered (the app calls it at start-up).

    Public routes (``opt["public"]``) get an optional bearer token, all others keep the
    required one; every error response is described as problem+json.
    """
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            if isinstance(handler, HTTPRouteHandler) and handler.opt.get(PUBLIC) and handler.security is None:
                handler.security = list(OPTIONAL_BEARER)
    _document_problems(app.openapi_schema)


def _document_problems(document: OpenAPI) -> None:
    """Describe every error response as problem+json; add 401 (protected), 429 (limited) and
    503 (no token is vouched for while the revoked ones cannot be read)."""
    # Litestar fills ``components.schemas`` with the schemas it generates: add ours afterwards.
    if document.components.schemas is None:
        document.components.schemas = {}
    document.components.schemas[PROBLEM_SCHEMA] = _problem_schema()
    for path, path_item in (document.paths or {}).items():
        for method in ("get", "put", "post", "delete", "patch"):
            operation: Operation | None = getattr(path_item, method)
            if operation is None:
                continue
            responses = operation.responses if operation.responses is not None else {}
            for status, response in list(responses.items()):
                if isinstance(response, OpenAPIResponse) and _is_litestar_error_shape(response):
                    responses[status] = _problem_response(response.description)
            # Any operation refuses a query parameter it does not take (``query_check``).
            responses.setdefault("400", _problem_response("Malformed input, or an unknown query parameter."))
            if path.startswith(API_PREFIX):
                if operation.security != OPTIONAL_BEARER:
                    responses.setdefault("401", _problem_response("No valid access token."))
                responses.setdefault("429", _problem_response("Rate limited; see Retry-After."))
                responses.setdefault(
                    "503", _problem_response("A dependency is unavailable; see Retry-After.")
                )
            operation.responses = responses


def _is_litestar_error_shape(response: OpenAPIResponse) -> bool:
    """Litestar's ``{status_code, detail, extra}``, which the API never sends."""
    for media in (response.content or {}).values():
        schema = media.schema
        variants = (schema.one_of or [schema]) if isinstance(schema, Schema) else []
        if any(isinstance(v, Schema) and "status_code" in (v.properties or {}) for v in variants):
            return True
    return False


def _problem_response(description: str) -> OpenAPIResponse:
    schema = Reference(ref=f"#/components/schemas/{PROBLEM_SCHEMA}")
    return OpenAPIResponse(
        description=description, content={PROBLEM_MEDIA_TYPE: MediaTypeObject(schema=schema)}
    )


def _problem_schema() -> Schema:
    text = Schema(type=OpenAPIType.STRING)
    field_error = Schema(
        type=OpenAPIType.OBJECT,
        properties={"field": text, "message": text},
        required=["field", "message"],
    )
    return Schema(
        type=OpenAPIType.OBJECT,
        description="RFC 9457 problem details; members of the error's `extra` may be added.",
        properties={
            "type": text,
            "title": text,
            "status": Schema(type=OpenAPIType.INTEGER),
            "detail": text,
            "instance": text,
            "code": Schema(type=OpenAPIType.STRING, examples=["booking.duplicate"]),
            "correlationId": text,
            "errors": Schema(type=OpenAPIType.ARRAY, items=field_error),
        },
        required=["type", "title", "status", "detail", "instance", "code", "correlationId"],
    )
