"""A bounded store of what a process keeps after working it out once (a verified token, an
event's sale terms, a loaded public key): at most ``limit`` entries; when full, the oldest
half goes (insertion order), so a long run never grows it and the recent entries stay."""

from __future__ import annotations

from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Kept(Generic[K, V]):
    def __init__(self, limit: int) -> None:
        if limit < 2:
            raise ValueError("keep at least two entries")
        self._limit = limit
        self._entries: dict[K, V] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: K) -> V | None:
        return self._entries.get(key)

    def keep(self, key: K, value: V) -> V:
        """Keep ``value`` for ``key`` (the oldest half dropped first when full); returns it."""
        if key not in self._entries and len(self._entries) >= self._limit:
            for oldest in list(self._entries)[: self._limit // 2]:
                del self._entries[oldest]
        self._entries[key] = value
        return value
