"""The catalog cache's own rules: expiry, the generation that keeps a stale answer out, its
bound on entries, and readers of a page being computed waiting for that answer."""

from __future__ import annotations

import asyncio
from typing import Any

from litestar.types import Message, Receive, Scope, Send

from aquastream.adapters.http import catalog_cache
from aquastream.adapters.http.catalog_cache import PublicReadCache, PublicReadCacheMiddleware, _Answer


def _answer(expires_at: float, body: bytes = b"{}") -> _Answer:
    return _Answer(expires_at, [(b"content-type", b"application/json")], body)


def test_an_answer_is_given_until_it_expires() -> None:
    cache = PublicReadCache(1.0)
    key = ("/api/v1/events", b"", b"")
    cache.put(key, _answer(expires_at=11.0), cache.generation)

    assert cache.get(key, now=10.9) is not None
    assert cache.get(key, now=11.0) is None
    assert cache.get(key, now=10.0) is None  # gone once expired


def test_an_answer_computed_across_a_change_is_not_kept() -> None:
    cache = PublicReadCache(1.0)
    key = ("/api/v1/events/1", b"", b"")
    began_at = cache.generation
    cache.clear()  # a change committed while the answer was being computed

    cache.put(key, _answer(expires_at=11.0), began_at)

    assert cache.get(key, now=10.0) is None


def test_clear_forgets_everything() -> None:
    cache = PublicReadCache(1.0)
    keys = [("/api/v1/events", f"page={n}".encode(), b"") for n in range(3)]
    for key in keys:
        cache.put(key, _answer(expires_at=11.0), cache.generation)

    cache.clear()

    assert [cache.get(key, now=10.0) for key in keys] == [None, None, None]


def test_the_oldest_answers_go_past_the_bound(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(catalog_cache, "MAX_ENTRIES", 2)
    cache = PublicReadCache(1.0)
    keys = [("/api/v1/events", f"page={n}".encode(), b"") for n in range(3)]
    for key in keys:
        cache.put(key, _answer(expires_at=11.0), cache.generation)

    assert cache.get(keys[0], now=10.0) is None
    assert cache.get(keys[1], now=10.0) is not None
    assert cache.get(keys[2], now=10.0) is not None


class _Page:
    """A catalog page that takes a while to compute and counts how often it was computed."""

    def __init__(self, status: int = 200) -> None:
        self.computed = 0
        self.status = status
        self.release = asyncio.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.computed += 1
        number = self.computed
        await self.release.wait()
        await send({"type": "http.response.start", "status": self.status, "headers": []})
        await send({"type": "http.response.body", "body": b"page %d" % number, "more_body": False})


async def _read(middleware: PublicReadCacheMiddleware, page: _Page) -> tuple[int, bytes]:
    scope: Any = {
        "type": "http",
        "method": "GET",
        "path": "/api/v1/events/1",
        "query_string": b"",
        "headers": [],
    }
    answer: list[Message] = []

    async def send(message: Message) -> None:
        answer.append(message)

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    await middleware.handle(scope, receive, send, page)
    return answer[0]["status"], answer[1]["body"]


def _middleware() -> tuple[PublicReadCacheMiddleware, PublicReadCache]:
    middleware = PublicReadCacheMiddleware(container=None)  # type: ignore[arg-type]
    cache = PublicReadCache(1.0)
    middleware._cache = cache
    return middleware, cache


async def test_readers_of_a_page_being_computed_wait_for_that_answer_instead_of_computing_it_again() -> None:
    middleware, _ = _middleware()
    page = _Page()
    readers = [asyncio.create_task(_read(middleware, page)) for _ in range(10)]
    await asyncio.sleep(0.01)
    page.release.set()

    answers = await asyncio.gather(*readers)

    assert page.computed == 1
    assert answers == [(200, b"page 1")] * 10


async def test_after_a_change_during_the_computation_each_waiting_reader_computes_its_own() -> None:
    middleware, cache = _middleware()
    page = _Page()
    first = asyncio.create_task(_read(middleware, page))
    await asyncio.sleep(0.01)
    waiting = asyncio.create_task(_read(middleware, page))  # joins the first's computation
    await asyncio.sleep(0.01)
    cache.clear()  # a change commits meanwhile
    late = asyncio.create_task(_read(middleware, page))  # must not join the old computation
    await asyncio.sleep(0.01)
    page.release.set()

    answers = await asyncio.gather(first, waiting, late)

    assert page.computed == 3
    assert sorted(body for _, body in answers) == [b"page 1", b"page 2", b"page 3"]


async def test_an_answer_that_is_not_a_whole_200_is_not_shared() -> None:
    middleware, _ = _middleware()
    page = _Page(status=404)
    readers = [asyncio.create_task(_read(middleware, page)) for _ in range(3)]
    await asyncio.sleep(0.01)
    page.release.set()

    answers = await asyncio.gather(*readers)

    assert page.computed == 3
    assert [status for status, _ in answers] == [404] * 3
