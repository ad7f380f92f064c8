"""Caching headers: nothing personal is ever stored by a cache, and public catalog reads can be
revalidated for free.

- ``Cache-Control: no-store`` on every answer that may carry tokens or personal data: any
  request with an ``Authorization`` header, every ``/auth/`` route (tokens), every request that
  changes something, the private calendar feed (its URL is the credential), and everything
  under ``/notifications`` (the inbox and preferences are personal, whatever the request
  carries). A route that set its own ``Cache-Control`` keeps it.
- Public catalog reads (an anonymous ``GET`` of ``/events…`` or ``/organizers…`` answered 200)
  get a weak ``ETag`` of their body and ``Cache-Control: no-cache`` (a cache may keep them but
  must ask again); a request whose ``If-None-Match`` names that tag is answered ``304 Not
  Modified`` without the body. The tag follows the bytes, so any change an organizer makes (or
  a seat count that moved) gives a new one.
"""

from __future__ import annotations

import hashlib

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import ASGIApp, HTTPResponseStartEvent, Message, Receive, Scope, Send

from aquastream.adapters.http.openapi import API_PREFIX

_PUBLIC_READS = (f"{API_PREFIX}/events", f"{API_PREFIX}/organizers")
_PRIVATE_PATHS = (f"{API_PREFIX}/auth/", f"{API_PREFIX}/calendar/", f"{API_PREFIX}/notifications")
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
NO_STORE = "no-store"
REVALIDATE = "no-cache"


class CachingHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self._app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        path = scope["path"]
        method = str(scope.get("method", ""))
        if b"authorization" in headers or method not in _SAFE_METHODS or path.startswith(_PRIVATE_PATHS):
            await self._app(scope, receive, _with_cache_control(send, NO_STORE))
            return
        if method == "GET" and path.startswith(_PUBLIC_READS):
            await self._app(scope, receive, _Validated(send, headers.get(b"if-none-match")).send)
            return
        await self._app(scope, receive, send)


def _with_cache_control(send: Send, value: str) -> Send:
    async def stamped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableScopeHeaders.from_message(message)
            if "cache-control" not in headers:
                headers["Cache-Control"] = value
        await send(message)

    return stamped


class _Validated:
    """Holds a 200 answer back until its body is whole, tags it, and answers 304 when the
    client has that version already."""

    def __init__(self, send: Send, if_none_match: bytes | None) -> None:
        self._send = send
        self._if_none_match = if_none_match
        self._start: HTTPResponseStartEvent | None = None
        self._body: list[bytes] = []

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            if message["status"] != 200:
                await self._send(message)
                return
            self._start = message
            return
        if self._start is None or message["type"] != "http.response.body":
            await self._send(message)
            return
        self._body.append(message.get("body", b""))
        if message.get("more_body", False):
            return
        body = b"".join(self._body)
        tag = f'W/"{hashlib.sha256(body).hexdigest()[:32]}"'
        headers = MutableScopeHeaders.from_message(self._start)
        headers["ETag"] = tag
        if "cache-control" not in headers:
            headers["Cache-Control"] = REVALIDATE
        if self._if_none_match is not None and _matches(self._if_none_match, tag):
            for name in ("content-length", "content-type"):
                if name in headers:
                    del headers[name]
            not_modified: HTTPResponseStartEvent = {
                "type": "http.response.start",
                "status": 304,
                "headers": self._start["headers"],
            }
            await self._send(not_modified)
            await self._send({"type": "http.response.body", "body": b"", "more_body": False})
            return
        await self._send(self._start)
        await self._send({"type": "http.response.body", "body": body, "more_body": False})


def _matches(if_none_match: bytes, tag: str) -> bool:
    """Weak comparison (RFC 9110 13.1.2): ``*`` or any listed tag equal once ``W/`` is dropped."""
    wanted = tag.removeprefix("W/")
    listed = [item.strip() for item in if_none_match.decode("latin-1").split(",")]
    return any(item == "*" or item.removeprefix("W/") == wanted for item in listed)
