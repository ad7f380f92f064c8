"""Requests a client may safely repeat (``Idempotency-Key``): the same key from the same user
within 24 h gets the first answer again instead of acting twice.

The use case that creates the resource claims the key first thing in its transaction and
writes its answer down before it commits (see ``ports.idempotency``). A key already held by
the same request raises ``RequestAlreadyHandled`` with what to replay; held by a different
request, the same exception says so, and the caller refuses the reuse.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from aquastream.ports.clock import Clock
from aquastream.ports.idempotency import KeyedUnitOfWork, KeyRecord, StoredResponse

R = TypeVar("R")

KEY_RETENTION = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class KeyedRequest(Generic[R]):
    """Who sent the request, its key, the fingerprint of what it asked, and how its answer is
    written down from the use case's result."""

    user_id: uuid.UUID
    key: str
    fingerprint: str
    answer: Callable[[R], StoredResponse]


class RequestAlreadyHandled(Exception):
    """The key is held already: by this very request (replay ``record``) or by another one."""

    def __init__(self, record: KeyRecord, *, same_request: bool) -> None:
        super().__init__("the Idempotency-Key was used before")
        self.record = record
        self.same_request = same_request


async def claim_key(
    uow: KeyedUnitOfWork, request: KeyedRequest[R] | None, resource_id: uuid.UUID, *, now: datetime
) -> None:
    """Claim the request's key (if it has one) for ``resource_id``, first in the transaction."""
    if request is None:
        return
    held = await uow.request_keys.claim(
        request.user_id,
        request.key,
        request_hash=request.fingerprint,
        resource_id=resource_id,
        now=now,
        retention=KEY_RETENTION,
    )
    if held is not None:
        raise RequestAlreadyHandled(held, same_request=held.request_hash == request.fingerprint)


async def record_answer(uow: KeyedUnitOfWork, request: KeyedRequest[R] | None, result: R) -> None:
    """Write the answer down with the key, before the transaction commits."""
    if request is not None:
        await uow.request_keys.answer(request.user_id, request.key, request.answer(result))


class PurgeRequestKeys:
    """Forget keys older than their retention (a scheduled job of each keyed domain); returns
    how many went."""

    def __init__(self, uow: KeyedUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self) -> int:
        async with self._uow:
            purged = await self._uow.request_keys.purge(older_than=self._clock.now() - KEY_RETENTION)
            await self._uow.commit()
        return purged
