"""Every error as ``application/problem+json`` (RFC 9457), from one table of error kinds to statuses.

Body: ``type`` (``urn:aquastream:problem:<code>``), ``title`` (the status phrase),
``status``, ``detail``, ``instance`` (the request path), ``code``, ``correlationId``
(the request id), ``errors[]`` (``field``, ``message``) and whatever ``extra`` the
domain error carries (``existingBookingId``, …). A 500 never shows what went wrong; the
log line does, with the traceback and the same request id.

A dependency that is down (``adapters.outage``: the database or Redis unreachable, the
connection dropped, the pool exhausted) or a database not migrated to this release is never a
500: it is 503 ``service.unavailable`` with ``Retry-After``, logged as one line (not a
traceback per request; ``adapters.outage.OutageLog``), the second kind telling the operator
to run ``aquastream migrate``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, SerializationException, ValidationException

from aquastream.adapters.http.field_choices import explain
from aquastream.adapters.http.metrics import HTTP_ERRORS
from aquastream.adapters.http.request_id import current_request_id
from aquastream.adapters.outage import OutageLog
from aquastream.domain.shared.errors import (
    Busy,
    Conflict,
    DependencyUnavailable,
    DomainError,
    FieldError,
    Forbidden,
    NotFound,
    RuleViolated,
    Unauthenticated,
    ValidationFailed,
)

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_PREFIX = "urn:aquastream:problem:"

logger = logging.getLogger("aquastream.http.errors")
_outages = OutageLog(logger)

# The one table from domain error kind to HTTP status. Order matters only for classes
# that inherit from two kinds (none do today): the first match wins.
STATUS_BY_ERROR_KIND: tuple[tuple[type[DomainError], int], ...] = (
    (ValidationFailed, 400),
    (Unauthenticated, 401),
    (Forbidden, 403),
    (NotFound, 404),
    (Conflict, 409),
    (RuleViolated, 422),
    (Busy, 503),
    (DependencyUnavailable, 503),
)

# Codes for errors Litestar raises itself (routing, body parsing, limits).
_CODE_BY_STATUS: Mapping[int, str] = {
    400: ValidationFailed.code,
    401: Unauthenticated.code,
    403: Forbidden.code,
    404: NotFound.code,
    405: "method_not_allowed",
    406: "not_acceptable",
    409: Conflict.code,
    413: "request.too_large",
    415: "unsupported_media_type",
    429: "rate_limit.exceeded",
}
_DETAIL_BY_STATUS: Mapping[int, str] = {
    404: NotFound.default_message,
    405: "This method is not allowed on this resource.",
    429: "Too many requests; retry later.",
}
INTERNAL_ERROR_CODE = "internal.error"
RETRY_AFTER_SECONDS = "1"
INTERNAL_ERROR_DETAIL = "An unexpected error occurred. Quote the correlation id when reporting it."

_encoder = msgspec.json.Encoder(enc_hook=str)
_MISSING_FIELD = re.compile(r"Object missing required field `(?P<name>[^`]+)`")


def problem_body(
    *,
    status: int,
    code: str,
    detail: str,
    instance: str,
    errors: Sequence[FieldError] = (),
    extra: Mapping[str, Any] | None = None,
) -> bytes:
    """The encoded body; ``extra`` adds members but never overrides the standard ones."""
    body: dict[str, Any] = dict(extra or {})
    body.update(
        type=PROBLEM_TYPE_PREFIX + code,
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=instance,
        code=code,
        correlationId=current_request_id(),
    )
    if errors:
        body["errors"] = [{"field": error.field, "message": error.message} for error in errors]
    HTTP_ERRORS.labels(str(status), code).inc()
    return _encoder.encode(body)


def problem_response(
    request: Request[Any, Any, Any],
    *,
    status: int,
    code: str,
    detail: str,
    errors: Sequence[FieldError] = (),
    extra: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response[bytes]:
    body = problem_body(
        status=status, code=code, detail=detail, instance=request.url.path, errors=errors, extra=extra
    )
    return Response(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=dict(headers or {}))


def handle_exception(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    """The application's only exception handler (registered for ``Exception``)."""
    if isinstance(exc, DomainError):
        return _domain_problem(request, exc)
    if isinstance(exc, HTTPException) and exc.status_code < 500:
        return _litestar_problem(request, exc)
    # The route's template, not the path: a path may carry a private token (the calendar feed).
    route = request.scope.get("path_template", "a request")
    if _outages.report(exc, f"{request.method} {route} answered 503"):
        return _unavailable(request)
    logger.error("Unhandled %s on %s %s", type(exc).__name__, request.method, request.url.path, exc_info=exc)
    return problem_response(request, status=500, code=INTERNAL_ERROR_CODE, detail=INTERNAL_ERROR_DETAIL)


def _unavailable(request: Request[Any, Any, Any]) -> Response[bytes]:
    return problem_response(
        request,
        status=503,
        code=DependencyUnavailable.code,
        detail=DependencyUnavailable.default_message,
        headers={"Retry-After": RETRY_AFTER_SECONDS},
    )


def code_for_status(status: int) -> str:
    """The problem code of an error Litestar (not the domain) raised with ``status``."""
    if status >= 500:
        return INTERNAL_ERROR_CODE
    return _CODE_BY_STATUS.get(status, "request.invalid")


def detail_for_status(status: int) -> str:
    """A generic detail for an error of ``status`` that came with no words of its own."""
    return _DETAIL_BY_STATUS.get(status, "The request could not be served.")


def status_for(error: DomainError) -> int | None:
    """The status of a domain error's kind; None for a ``DomainError`` that picked no kind."""
    return status_of(type(error))


def status_of(error_type: type[DomainError]) -> int | None:
    """The status of an error class's kind (what the OpenAPI document declares for it)."""
    for kind, status in STATUS_BY_ERROR_KIND:
        if issubclass(error_type, kind):
            return status
    return None


def _domain_problem(request: Request[Any, Any, Any], error: DomainError) -> Response[bytes]:
    status = status_for(error)
    if status is None:
        logger.error("Domain error %r has no kind; answered as an internal error", error.code, exc_info=error)
        return problem_response(request, status=500, code=INTERNAL_ERROR_CODE, detail=INTERNAL_ERROR_DETAIL)
    headers: dict[str, str] = {}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    elif status == 503:
        headers["Retry-After"] = RETRY_AFTER_SECONDS
    return problem_response(
        request,
        status=status,
        code=error.code,
        detail=error.message,
        errors=error.errors,
        extra=error.extra,
        headers=headers,
    )


def _litestar_problem(request: Request[Any, Any, Any], exc: HTTPException) -> Response[bytes]:
    status = exc.status_code
    code = code_for_status(status)
    errors: list[FieldError] = []
    detail = exc.detail
    if isinstance(exc, ValidationException):
        errors = _field_errors(request, exc.extra)
        detail = ValidationFailed.default_message
    elif isinstance(exc.__cause__, SerializationException):
        # "JSON is malformed: …" and the like: the client needs it to fix the body.
        errors = [FieldError(field="body", message=exc.detail)]
        detail = ValidationFailed.default_message
    elif status == 413:
        limit = request.route_handler.resolve_request_max_body_size()
        detail = f"The request body is larger than {limit} bytes."
    elif detail == HTTPStatus(status).phrase:
        detail = _DETAIL_BY_STATUS.get(status, detail)
    headers = dict(exc.headers or {})
    return problem_response(request, status=status, code=code, detail=detail, errors=errors, headers=headers)


def _field_errors(request: Request[Any, Any, Any], extra: Any) -> list[FieldError]:
    """Litestar's validation messages as camelCase field paths (``seatCount``, ``inner.zipCode``),
    naming the allowed values of an enum (``field_choices``)."""
    if not isinstance(extra, list):
        return []
    errors = []
    for item in extra:
        if not isinstance(item, Mapping):
            continue
        message = str(item.get("message", "Invalid value."))
        key = str(item.get("key", ""))
        # The whole body is the handler's ``data`` parameter.
        field = "" if key == "data" else key.removeprefix("data.")
        if field:
            field, message = explain(request.route_handler, field, item.get("source"), message)
        if missing := _MISSING_FIELD.fullmatch(message):
            field = f"{field}.{missing['name']}" if field else missing["name"]
        errors.append(FieldError(field=field or "body", message=message))
    return errors
