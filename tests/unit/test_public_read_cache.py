"""The catalog cache's own rules: expiry, the generation that keeps a stale answer out, and
its bound on entries."""

from __future__ import annotations

from aquastream.adapters.http import catalog_cache
from aquastream.adapters.http.catalog_cache import PublicReadCache, _Answer


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
