"""Idempotency keys of state-changing POSTs: the same key from the same user within the
retention period (24 h) answers with the first response instead of acting twice."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol


@dataclass(frozen=True, slots=True)
class StoredResponse:
    """The first answer given for a key, replayed byte for byte."""

    status_code: int
    body: bytes


@dataclass(frozen=True, slots=True)
class IdempotencyRecord:
    """What a key already holds: the fingerprint of the request that claimed it and, once that
    request finished, its response (None while it is still being handled)."""

    request_hash: str
    response: StoredResponse | None
    created_at: datetime


class IdempotencyStore(Protocol):
    """Each call is its own short transaction, separate from the use case's.

    The caller ``reserve``s the key before acting; when it gets None it owns the key, acts,
    then ``complete``s it with the response, or ``release``s it when acting failed so that
    a retry may act. When it gets a record, it replays the response if the request hash
    matches (or answers "in progress" while there is none) and refuses a different request
    under the same key.
    """

    async def reserve(
        self,
        user_id: uuid.UUID,
        key: str,
        *,
        request_hash: str,
        now: datetime,
        ttl: timedelta,
        abandoned_after: timedelta,
    ) -> IdempotencyRecord | None:
        """Claim the key atomically: None when this caller now owns it, else the record that
        holds it. A record older than ``ttl`` no longer counts and is replaced, and so is a
        reservation still without a response after ``abandoned_after`` (its request died
        between reserving and completing; without this the key would stay "in progress")."""
        ...

    async def complete(self, user_id: uuid.UUID, key: str, response: StoredResponse) -> None: ...

    async def release(self, user_id: uuid.UUID, key: str) -> None:
        """Forget a key whose request failed without a response worth replaying."""
        ...

    async def purge(self, *, older_than: datetime) -> int:
        """Delete keys created before ``older_than``; how many were deleted."""
        ...
