"""The OpenAPI 3.1 document (``/api/v1/openapi.json``) and its interactive docs (``/api/v1/docs``).

Litestar documents errors in its own shape; ``complete_document`` rewrites them as the
problem+json the API really sends and makes the bearer token optional on public routes.
Every operation may answer 400 for a query parameter it does not take (``query_check``).

Errors: every operation declares every status it can answer with an error, each with the
``Problem`` schema (``$ref``, so that a generated client has one error type) and, for each
status, the machine ``code`` values it can give: listed in the response's description and
as one named example per code (the example's ``value`` is a whole problem body). They are
derived from the code, not from lists kept by hand per route:

- the use cases the handler runs (its ``FromDishka`` parameters): each use case class
  declares what it raises as ``raises: ClassVar[Raises] = (EventNotFound, ...)``; a test
  (``tests/api/test_openapi_errors.py``) reads the use case's code and fails when it can
  raise an error it does not declare;
- what the route raises itself (its handler body, HTTP helpers such as
  ``answer_keyed``): ``opt={"raises": (...)}`` on the handler, Controller or Router (the
  same test holds it to the handler's code); what its guards raise: ``@raising(...)`` on the
  guard (``route_options``);
- what every route of ``/api/v1`` may answer: 401 for a token that is present but invalid,
  expired or revoked (even on a public route) and, unless public, for none at all; 400
  ``validation.failed`` when it takes parameters or a body; 413 when it takes a body; 429
  when it is rate limited; 503 ``service.unavailable`` and ``busy``.

Each error class maps to its status through ``problems.STATUS_BY_ERROR_KIND``, the table
the error handler answers with.

A new route: inject its use case (``use_case: FromDishka[UseCase]``) and give the use case
class ``raises: ClassVar[Raises] = (...)`` (``domain.shared.errors.Raises``), with the
errors that only its adapters raise (a unique index, a provider) too; put what the handler
raises itself in ``opt={"raises": (...)}``. ``tests/api/test_openapi_errors.py`` names
whatever is missing: a use case without ``raises``, a ``raise`` its code can reach that is
not declared. That test reads calls it can resolve (functions, ``self`` methods, classes
made in ``__init__``), not calls through a port.

Docs page: ``/api/v1/docs`` is Swagger UI, whose JavaScript, CSS and icon the service
serves itself from ``/api/v1/docs/assets/<version>/<file>``: the dist files of the Python
package ``swagger-ui-bundle-v2`` (pinned in ``pyproject.toml`` and ``uv.lock``; its
version is in the asset paths, so a browser never keeps an old file after an upgrade).
The page names no other host, so it works offline and behind a firewall, and its
Content-Security-Policy (``edge``) lets it load nothing from elsewhere. Swagger UI
rather than Scalar: no Python package ships Scalar's files, and Swagger UI 5 renders
OpenAPI 3.1.

Descriptions: an operation's ``description`` is the docstring of the first use case it
runs, followed by the handler's own docstring (what the HTTP side adds); a route with no
use case (health, metrics, docs) has the handler's docstring alone. Its ``summary`` is the
handler's ``summary=`` (Litestar's title of the handler's name when it has none).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Iterator
from http import HTTPStatus
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated, Any, get_args, get_origin, get_type_hints

from litestar import Litestar, Request, Response, Router, get
from litestar.enums import OpenAPIMediaType
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import (
    Components,
    Example,
    OpenAPIResponse,
    Operation,
    Reference,
    Schema,
    SecurityScheme,
)
from litestar.openapi.spec import OpenAPIMediaType as MediaTypeObject
from litestar.openapi.spec.enums import OpenAPIType
from litestar.params import FromPath
from litestar.response import File
from litestar.routes import HTTPRoute
from swagger_ui_bundle import swagger_ui_path

from aquastream.adapters.crypto.errors import TokenExpired, TokenInvalid, TokenRevoked
from aquastream.adapters.http.openapi_names import name_schemas
from aquastream.adapters.http.problems import (
    PROBLEM_MEDIA_TYPE,
    PROBLEM_TYPE_PREFIX,
    code_for_status,
    detail_for_status,
    status_of,
)
from aquastream.adapters.http.query_check import UnknownQueryParameter
from aquastream.adapters.http.route_options import FREE_QUERY, PUBLIC, RAISES, RATE_LIMIT, raised_by_guard
from aquastream.domain.shared.errors import (
    Busy,
    DependencyUnavailable,
    DomainError,
    NotFound,
    Unauthenticated,
    ValidationFailed,
)
from aquastream.settings import Settings

API_PREFIX = "/api/v1"
# Litestar's docs router also answers every path below its own (with a 404 page), so it
# gets a folder of its own instead of all of /api/v1.
DOCS_PATH = f"{API_PREFIX}/docs"
BEARER_SCHEME = "BearerToken"
PROBLEM_SCHEMA = "Problem"

# A token that is present but bad is refused on every route of the API, public ones too.
TOKEN_ERRORS: tuple[type[DomainError], ...] = (TokenInvalid, TokenExpired, TokenRevoked)

# The security of a public operation: a bearer token, or nothing at all.
OPTIONAL_BEARER: list[dict[str, list[str]]] = [{BEARER_SCHEME: []}, {}]


# Swagger UI's dist folder in the pinned package, named ``swagger-ui-<version>``.
SWAGGER_UI_FILES = Path(str(swagger_ui_path))
SWAGGER_UI_VERSION = SWAGGER_UI_FILES.name.removeprefix("swagger-ui-")
DOCS_ASSETS_PATH = f"{DOCS_PATH}/assets/{SWAGGER_UI_VERSION}"
# The files the page loads, with their media types (Litestar adds the charset of text):
# nothing else of the folder is served.
DOCS_ASSETS: dict[str, str] = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-standalone-preset.js": "text/javascript",
    "favicon-32x32.png": "image/png",
}
DOCS_ASSET_MAX_AGE_SECONDS = 7 * 24 * 3600


@get(
    "/assets/{version:str}/{name:str}",
    include_in_schema=False,
    sync_to_thread=False,
    opt={PUBLIC: True, RATE_LIMIT: None},
)
def docs_asset(version: FromPath[str], name: FromPath[str]) -> File:
    """One of Swagger UI's files for the docs page; 404 for any other name or version."""
    media_type = DOCS_ASSETS.get(name)
    if version != SWAGGER_UI_VERSION or media_type is None:
        raise NotFound()
    return File(
        SWAGGER_UI_FILES / name,
        media_type=media_type,
        content_disposition_type="inline",
        headers={"Cache-Control": f"public, max-age={DOCS_ASSET_MAX_AGE_SECONDS}, immutable"},
    )


def docs_page_plugin() -> SwaggerRenderPlugin:
    """Swagger UI at the docs folder's root, with its files from ``docs_asset``."""
    return SwaggerRenderPlugin(
        path="/",
        js_url=f"{DOCS_ASSETS_PATH}/swagger-ui-bundle.js",
        css_url=f"{DOCS_ASSETS_PATH}/swagger-ui.css",
        standalone_preset_js_url=f"{DOCS_ASSETS_PATH}/swagger-ui-standalone-preset.js",
        favicon=f"<link rel='icon' type='image/png' href='{DOCS_ASSETS_PATH}/favicon-32x32.png'>",
    )


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
        render_plugins=[docs_page_plugin()],
        openapi_router=Router(
            DOCS_PATH,
            route_handlers=[docs_asset],
            include_in_schema=False,
            opt={PUBLIC: True, FREE_QUERY: True},
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
    """The OpenAPI document, generated from the route handlers on the first request and kept
    (0.8 s of Python on a 2-core machine, which no start waits for: it was four tenths of
    the time from start to ready)."""
    app = request.app
    if not app.state.get(_DOCUMENT_COMPLETE):
        complete_document(app)
        app.state[_DOCUMENT_COMPLETE] = True  # the event loop's thread only: no race
    return Response(app.openapi_schema.to_schema(), media_type=OpenAPIMediaType.OPENAPI_JSON)


_DOCUMENT_COMPLETE = "aquastream_openapi_document_complete"


def complete_document(app: Litestar) -> None:
    """Finish the document once every route is registered (``openapi_document`` calls it once).

    Public routes (``opt["public"]``) get an optional bearer token, all others keep the
    required one; every operation gets its errors as problem+json and its description.
    """
    for handler in _handlers(app):
        if handler.opt.get(PUBLIC) and handler.security is None:
            handler.security = list(OPTIONAL_BEARER)
    document = app.openapi_schema
    # Litestar fills ``components.schemas`` with the schemas it generates: add ours afterwards.
    if document.components.schemas is None:
        document.components.schemas = {}
    document.components.schemas[PROBLEM_SCHEMA] = _problem_schema()
    for path, method, handler in operations(app):
        path_item = (document.paths or {}).get(path)
        operation: Operation | None = getattr(path_item, method.lower(), None)
        if operation is None:
            continue
        operation.description = description_of(handler) or operation.description
        operation.responses = _responses(path, operation, handler)
    name_schemas(document)  # last: it renames every schema added before it


def _handlers(app: Litestar) -> Iterator[HTTPRouteHandler]:
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            if isinstance(handler, HTTPRouteHandler):
                yield handler


def operations(app: Litestar) -> Iterator[tuple[str, str, HTTPRouteHandler]]:
    """(path as in the document, method, handler) of every operation."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for method, (handler, _) in route.route_handler_map.items():
            if method not in ("OPTIONS", "HEAD"):
                yield route.path_format, method, handler


def use_cases_of(handler: HTTPRouteHandler) -> list[type]:
    """The use cases the handler runs: its ``FromDishka`` parameters whose class declares
    ``raises``, in the order of the parameters."""
    return [dependency for dependency in injected_classes(handler) if hasattr(dependency, "raises")]


def injected_classes(handler: HTTPRouteHandler) -> list[type]:
    """The classes dishka hands the handler (its ``FromDishka[...]`` parameters)."""
    return list(_injected(getattr(handler.fn, "__dishka_orig_func__", handler.fn)))


@functools.cache
def _injected(function: Any) -> tuple[type, ...]:
    """Read once per process: every application made of the same handlers shares them."""
    annotations = {
        name: hint
        for name, hint in getattr(function, "__annotations__", {}).items()
        if "FromDishka" in str(hint)
    }
    try:
        hints = get_type_hints(
            SimpleNamespace(__annotations__=annotations), function.__globals__, include_extras=True
        )
    except NameError:  # a name only type checkers see: no use case is named that way
        return ()
    found = []
    for hint in hints.values():
        arguments = get_args(hint) if get_origin(hint) is Annotated else ()
        if arguments and isinstance(arguments[0], type):
            found.append(arguments[0])
    return tuple(found)


def errors_of(handler: HTTPRouteHandler) -> set[type[DomainError]]:
    """The domain errors the route declares: its use cases', its own and its guards'."""
    errors: set[type[DomainError]] = set(handler.opt.get(RAISES, ()))
    for guard in handler.resolve_guards():
        errors.update(raised_by_guard(guard))
    for use_case in use_cases_of(handler):
        errors.update(use_case.raises)  # type: ignore[attr-defined]
    return errors


def description_of(handler: HTTPRouteHandler) -> str:
    """The first use case's docstring, then the handler's own (either may be missing)."""
    parts = [inspect.cleandoc(use_case.__doc__ or "") for use_case in use_cases_of(handler)[:1]]
    parts.append(handler.description or inspect.cleandoc(handler.fn.__doc__ or ""))
    return "\n\n".join(part for part in parts if part)


def problems_of(path: str, operation: Operation, handler: HTTPRouteHandler) -> dict[int, dict[str, str]]:
    """Every error the operation may answer: status → code → the detail it comes with."""
    answers: dict[int, dict[str, str]] = {}

    def add(status: int, code: str, detail: str) -> None:
        answers.setdefault(status, {}).setdefault(code, detail)

    for error in sorted(errors_of(handler), key=lambda error: error.code):
        status = status_of(error)
        if status is not None:
            add(status, error.code, error.default_message)
    if not handler.opt.get(FREE_QUERY):  # every route refuses what it does not take (query_check)
        add(
            status_of(UnknownQueryParameter) or 400,
            UnknownQueryParameter.code,
            UnknownQueryParameter.default_message,
        )
    if not path.startswith(API_PREFIX):
        return answers
    generic: list[type[DomainError]] = [*TOKEN_ERRORS, DependencyUnavailable, Busy]
    if not handler.opt.get(PUBLIC):
        generic.append(Unauthenticated)
    if operation.parameters or operation.request_body:
        generic.append(ValidationFailed)
    for error in generic:
        add(status_of(error) or 500, error.code, error.default_message)
    if operation.request_body:
        add(413, code_for_status(413), "The request body is larger than the limit.")
    if handler.opt.get(RATE_LIMIT, "") is not None:
        add(429, code_for_status(429), detail_for_status(429))
    return answers


def _responses(
    path: str, operation: Operation, handler: HTTPRouteHandler
) -> dict[str, OpenAPIResponse | Reference]:
    responses = dict(operation.responses or {})
    for status, response in list(responses.items()):
        if isinstance(response, OpenAPIResponse) and _is_litestar_error_shape(response):
            del responses[status]
    for error_status, codes in sorted(problems_of(path, operation, handler).items()):
        if str(error_status) not in responses:
            responses[str(error_status)] = _problem_response(path, error_status, codes)
    return dict(sorted(responses.items()))


def _is_litestar_error_shape(response: OpenAPIResponse) -> bool:
    """Litestar's ``{status_code, detail, extra}``, which the API never sends."""
    for media in (response.content or {}).values():
        schema = media.schema
        variants = (schema.one_of or [schema]) if isinstance(schema, Schema) else []
        if any(isinstance(v, Schema) and "status_code" in (v.properties or {}) for v in variants):
            return True
    return False


def _problem_response(path: str, status: int, codes: dict[str, str]) -> OpenAPIResponse:
    """One status: its codes in the description and as examples, the schema a ``$ref``."""
    phrase = HTTPStatus(status).phrase
    lines = [f"{phrase}, with one of these codes:", ""]
    lines += [f"- `{code}`: {detail}" for code, detail in codes.items()]
    examples: dict[str, Example | Reference] = {
        code: Example(
            summary=detail,
            value={
                "type": PROBLEM_TYPE_PREFIX + code,
                "title": phrase,
                "status": status,
                "detail": detail,
                "instance": path,
                "code": code,
                "correlationId": "4f0c2a9e6f1b4c7d9a3e5b8d1c2f3a4b",
            },
        )
        for code, detail in codes.items()
    }
    schema = Reference(ref=f"#/components/schemas/{PROBLEM_SCHEMA}")
    return OpenAPIResponse(
        description="\n".join(lines),
        content={PROBLEM_MEDIA_TYPE: MediaTypeObject(schema=schema, examples=examples)},
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
