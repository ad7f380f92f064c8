"""A short-lived cache of public catalog reads: the answers anonymous callers get from
``GET /api/v1/events…`` and ``GET /api/v1/organizers…``.

The catalog is read far more than it changes, and the same event page is asked for by many
people at once. Each process keeps the whole answer (status 200, its headers and body) for
at most ``catalog_cache_seconds`` (``AQUASTREAM_CATALOG_CACHE_SECONDS``: 1 s by default and
at most, 0 turns it off), keyed by path, query string and ``Accept``.

The bound on staleness is that second, and it is shorter in every case that can be seen:

- any request of this process that may change something (a method other than GET, HEAD or
  OPTIONS) empties the cache when it is answered without an error, so the organizer who
  edits an event, and the participant who books its last seat, read their own change at once;
- every commit of this process that writes facts to the event spine (``outbox.spine_written``:
  the catalog's events, booking's seat changes, the expiry sweep …) empties it;
- on PostgreSQL, every other process's such commit empties it too, through the spine's
  ``NOTIFY`` (``SpineListener``);
- an answer whose computation overlapped one of the above is not kept (a generation counter),
  so a read that began before a change can never put the old state back.

Many readers of one page at the moment its answer expires (or before it was ever computed)
do not each compute it: the first computes, and the others of the same key wait for that
answer (``aquastream_catalog_cache_total{result="joined"}``) instead of running the same
statements side by side. They get it only within the same bound (it expires as a kept answer
would, counted from the start of its computation) and only when nothing changed meanwhile;
otherwise, or when the first request fails or gives anything but a whole 200, each computes
its own.

What is never cached: a request with an ``Authorization`` header (answers may depend on who
asks), any answer other than 200, bodies over ``MAX_BODY_BYTES``. Seat decisions never read
this cache: it sits in front of public reads only, and booking's use cases read the database.

The cache runs after authentication and rate limiting (so a hit still counts against the
caller's budget and carries its ``X-RateLimit-*`` headers) and inside ``CachingHeaders``
(which tags the body with its ``ETag``, as for any answer). Hits and misses are counted in
``aquastream_catalog_cache_total``.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from dataclasses import dataclass

from dishka import AsyncContainer
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from aquastream.adapters.http.metrics import CATALOG_CACHE
from aquastream.adapters.http.openapi import API_PREFIX

PUBLIC_READS = (f"{API_PREFIX}/events", f"{API_PREFIX}/organizers")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_ENTRIES = 2048
MAX_BODY_BYTES = 256 * 1024

_Key = tuple[str, bytes, bytes]


@dataclass(frozen=True, slots=True)
class _Answer:
    expires_at: float
    headers: list[tuple[bytes, bytes]]
    body: bytes


class PublicReadCache:
    """The answers kept, oldest first, and the answers being computed; ``clear`` is safe to
    call from any callback."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._answers: OrderedDict[_Key, _Answer] = OrderedDict()
        self._computing: dict[_Key, tuple[int, asyncio.Future[_Answer | None]]] = {}
        self.generation = 0

    def computing(self, key: _Key) -> asyncio.Future[_Answer | None] | None:
        """The answer to ``key`` another request is computing since the last change, if any."""
        found = self._computing.get(key)
        return found[1] if found is not None and found[0] == self.generation else None

    def begin(self, key: _Key) -> asyncio.Future[_Answer | None]:
        """This request computes ``key``; others may wait for it until ``end``."""
        future: asyncio.Future[_Answer | None] = asyncio.get_running_loop().create_future()
        self._computing[key] = (self.generation, future)
        return future

    def end(self, key: _Key, future: asyncio.Future[_Answer | None], answer: _Answer | None) -> None:
        """The computation of ``key`` ended with ``answer`` (None: nothing to share)."""
        found = self._computing.get(key)
        if found is not None and found[1] is future:
            del self._computing[key]
        if not future.done():
            future.set_result(answer)

    def get(self, key: _Key, now: float) -> _Answer | None:
        answer = self._answers.get(key)
        if answer is None:
            return None
        if answer.expires_at <= now:
            del self._answers[key]
            return None
        return answer

    def put(self, key: _Key, answer: _Answer, generation: int) -> bool:
        """Keep ``answer`` unless something changed since its computation began; whether kept."""
        if generation != self.generation:
            return False
        self._answers[key] = answer
        self._answers.move_to_end(key)
        while len(self._answers) > MAX_ENTRIES:
            self._answers.popitem(last=False)
        return True

    def clear(self) -> None:
        self.generation += 1
        self._answers.clear()
        # Computations under way stay registered until they end, but nobody joins them: they
        # belong to the old generation; their waiters get nothing and compute their own.


class PublicReadCacheMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    def __init__(self, container: AsyncContainer) -> None:
        self._container = container
        self._cache: PublicReadCache | None = None

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        if self._cache is None:
            self._cache = await self._container.get(PublicReadCache)
        method = scope.get("method", "GET")
        if method not in SAFE_METHODS:
            await next_app(scope, receive, _clearing(self._cache, send))
            return
        if method != "GET" or not scope["path"].startswith(PUBLIC_READS):
            await next_app(scope, receive, send)
            return
        accept = b""
        for name, value in scope["headers"]:
            if name == b"authorization":
                await next_app(scope, receive, send)
                return
            if name == b"accept":
                accept = value
        key = (scope["path"], scope.get("query_string", b""), accept)
        cache = self._cache
        now = time.monotonic()
        answer = cache.get(key, now)
        if answer is not None:
            CATALOG_CACHE.labels("hit").inc()
            await _give(answer, send)
            return
        computing = cache.computing(key)
        if computing is not None:
            # shield: a waiter that goes away must not cancel the answer for the others.
            shared = await asyncio.shield(computing)
            if shared is not None and shared.expires_at > time.monotonic():
                CATALOG_CACHE.labels("joined").inc()
                await _give(shared, send)
                return
        CATALOG_CACHE.labels("miss").inc()
        keeping = _Keeping(cache, key, now + cache.seconds, send)
        future = cache.begin(key)
        try:
            await next_app(scope, receive, keeping.send)
        finally:
            cache.end(key, future, keeping.kept)


async def _give(answer: _Answer, send: Send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": list(answer.headers)})
    await send({"type": "http.response.body", "body": answer.body, "more_body": False})


def _clearing(cache: PublicReadCache, send: Send) -> Send:
    async def clearing(message: Message) -> None:
        if message["type"] == "http.response.start" and message["status"] < 400:
            cache.clear()
        await send(message)

    return clearing


class _Keeping:
    """Passes the answer on and keeps a copy of a whole 200 answer."""

    def __init__(self, cache: PublicReadCache, key: _Key, expires_at: float, send: Send) -> None:
        self._cache = cache
        self._key = key
        self._expires_at = expires_at
        self._send = send
        self._generation = cache.generation
        self._headers: list[tuple[bytes, bytes]] | None = None
        self._body: list[bytes] = []
        self._size = 0
        self.kept: _Answer | None = None  # the whole 200 answer, once sent, if nothing changed

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            if message["status"] == 200:
                self._headers = list(message.get("headers", ()))
        elif message["type"] == "http.response.body" and self._headers is not None:
            chunk = message.get("body", b"")
            self._size += len(chunk)
            if self._size > MAX_BODY_BYTES:
                self._headers = None
            else:
                self._body.append(chunk)
                if not message.get("more_body", False):
                    answer = _Answer(self._expires_at, self._headers, b"".join(self._body))
                    if self._cache.put(self._key, answer, self._generation):
                        self.kept = answer
        await self._send(message)
