"""The outermost layer: request id, security headers, access log and request metrics for every answer.

It wraps the whole application (routing, CORS and dishka included), so 404s, refused CORS
preflights and errors raised before any route handler ran get the same headers, log line
and metrics as the rest. It is also the last safety net of "problem+json for everything":
an error answer that is not JSON (Litestar's CORS refusal, its docs 404 page) is rewritten
as a problem, and an exception nobody handled becomes a 500 problem.

A URL whose path or query holds a NUL character is refused here (400), before any route: no
value has a use for one, and PostgreSQL cannot take one in a statement's parameter.
"""

from __future__ import annotations

import logging
import time
from typing import Any, cast

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from aquastream.adapters.http.metrics import UNMATCHED_ROUTE, observe_request
from aquastream.adapters.http.openapi import DOCS_PATH
from aquastream.adapters.http.problems import (
    INTERNAL_ERROR_CODE,
    INTERNAL_ERROR_DETAIL,
    PROBLEM_MEDIA_TYPE,
    code_for_status,
    detail_for_status,
    problem_body,
)
from aquastream.adapters.http.request_id import (
    REQUEST_ID_HEADER,
    accept_or_generate,
    bind_request_id,
    unbind_request_id,
)
from aquastream.domain.shared.principal import Principal
from aquastream.settings import Settings

access_log = logging.getLogger("aquastream.http.access")
logger = logging.getLogger("aquastream.http.errors")

_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
# A JSON API loads nothing and may be framed by no one.
_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
# The docs page: its own scripts and styles (Swagger UI's, served from the docs folder, and
# the inline script that starts it), its requests to the API; nothing from another host.
_DOCS_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
)
_CONTENT_SECURITY_POLICY_VALUE = _CONTENT_SECURITY_POLICY.encode("latin-1")
_DOCS_CONTENT_SECURITY_POLICY_VALUE = _DOCS_CONTENT_SECURITY_POLICY.encode("latin-1")
_STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"
# Probes and scrapes arrive every few seconds; their access lines would drown the rest.
_QUIET_PATH_PREFIXES = ("/health/", "/metrics")
_MAX_LOGGED_PATH = 200
_MAX_PLAIN_DETAIL = 200


class EdgeMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self._app = app
        headers = dict(_SECURITY_HEADERS)
        if settings.env == "production":
            headers["Strict-Transport-Security"] = _STRICT_TRANSPORT_SECURITY
        self._stamps = _Stamps(headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self._app(scope, receive, send)
            return
        request_id = accept_or_generate(_header(scope, b"x-request-id"))
        token = bind_request_id(request_id)
        started = time.perf_counter()
        answer = _Answer(scope, send, self._stamps, request_id)
        try:
            if _holds_nul(scope):
                await answer.send_problem(400, code_for_status(400), "The URL holds a NUL character (%00).")
                return
            await self._app(scope, receive, answer.send)
        except Exception:
            # Whatever escaped the application's own error handling (it should not happen).
            logger.exception("Unhandled error outside the route handlers")
            if answer.started:
                raise
            await answer.send_problem(500, INTERNAL_ERROR_CODE, INTERNAL_ERROR_DETAIL)
        finally:
            _record(scope, answer.status, time.perf_counter() - started)
            unbind_request_id(token)


def _holds_nul(scope: Scope) -> bool:
    return "\x00" in scope["path"] or b"%00" in scope.get("query_string", b"")


class _Stamps:
    """The headers every answer gets, encoded once: they replace any of the same name."""

    def __init__(self, headers: dict[str, str]) -> None:
        self.fixed = [
            (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()
        ]
        self.names = frozenset(name for name, _ in self.fixed) | {
            _REQUEST_ID_NAME,
            _CONTENT_SECURITY_POLICY_NAME,
        }

    def stamp(self, message: Message, request_id: str, docs: bool) -> None:
        start = cast("dict[str, Any]", message)  # an http.response.start
        headers = [
            (name, value) for name, value in start.get("headers", ()) if name.lower() not in self.names
        ]
        headers.extend(self.fixed)
        headers.append((_REQUEST_ID_NAME, request_id.encode("latin-1")))
        headers.append(
            (
                _CONTENT_SECURITY_POLICY_NAME,
                _DOCS_CONTENT_SECURITY_POLICY_VALUE if docs else _CONTENT_SECURITY_POLICY_VALUE,
            )
        )
        start["headers"] = headers


_REQUEST_ID_NAME = REQUEST_ID_HEADER.lower().encode("latin-1")
_CONTENT_SECURITY_POLICY_NAME = b"content-security-policy"


class _Answer:
    """The response on its way out: stamps headers, and holds back a non-JSON error to rewrite it."""

    def __init__(self, scope: Scope, send: Send, stamps: _Stamps, request_id: str) -> None:
        self._scope = scope
        self._send = send
        self._stamps = stamps
        self._request_id = request_id
        self._held: Message | None = None
        self._held_body: list[bytes] = []
        self.started = False
        self.status = 500

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.started = True
            self.status = message["status"]
            self._stamp(message)
            if self.status >= 400 and b"json" not in (_raw_header(message, b"content-type") or b""):
                self._held = message
                return
        elif message["type"] == "http.response.body" and self._held is not None:
            self._held_body.append(message.get("body", b""))
            if not message.get("more_body", False):
                await self._send_rewritten()
            return
        await self._send(message)

    async def send_problem(self, status: int, code: str, detail: str, start: Message | None = None) -> None:
        body = problem_body(status=status, code=code, detail=detail, instance=self._scope["path"])
        message: Message = start or {"type": "http.response.start", "status": status, "headers": []}
        self._stamp(message)
        headers = MutableScopeHeaders.from_message(message)
        headers["Content-Type"] = PROBLEM_MEDIA_TYPE
        headers["Content-Length"] = str(len(body))
        self.started = True
        self.status = status
        await self._send(message)
        await self._send({"type": "http.response.body", "body": body, "more_body": False})

    async def _send_rewritten(self) -> None:
        assert self._held is not None
        status = self.status
        headers = MutableScopeHeaders.from_message(self._held)
        text = b"".join(self._held_body).decode("utf-8", "replace").strip()
        if _is_preflight(self._scope):
            code, detail = "cors.rejected", text[:_MAX_PLAIN_DETAIL] or "CORS preflight refused."
        elif status >= 500:
            code, detail = INTERNAL_ERROR_CODE, INTERNAL_ERROR_DETAIL
        else:
            plain = headers.get("content-type", "").startswith("text/plain")
            code = code_for_status(status)
            detail = text[:_MAX_PLAIN_DETAIL] if plain and text else detail_for_status(status)
        await self.send_problem(status, code, detail, start=self._held)

    def _stamp(self, message: Message) -> None:
        self._stamps.stamp(message, self._request_id, self._scope["path"].startswith(DOCS_PATH))


def _record(scope: Scope, status: int, duration_seconds: float) -> None:
    method = str(scope.get("method", "-"))
    template = scope.get("path_template")
    observe_request(method, template or UNMATCHED_ROUTE, status, duration_seconds)
    path = template or scope["path"][:_MAX_LOGGED_PATH]
    user = scope.get("user")
    level = logging.DEBUG if scope["path"].startswith(_QUIET_PATH_PREFIXES) else logging.INFO
    duration_ms = round(duration_seconds * 1000, 2)
    access_log.log(
        level,
        "%s %s %s %.2fms",
        method,
        path,
        status,
        duration_ms,
        extra={
            "method": method,
            "path": path,
            "status": status,
            "duration_ms": duration_ms,
            "user_id": str(user.user_id) if isinstance(user, Principal) else None,
        },
    )


def _is_preflight(scope: Scope) -> bool:
    return scope.get("method") == "OPTIONS" and _header(scope, b"access-control-request-method") is not None


def _raw_header(message: Message, name: bytes) -> bytes | None:
    for key, value in cast("dict[str, Any]", message).get("headers", ()):
        if key.lower() == name:
            return bytes(value)
    return None


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None
