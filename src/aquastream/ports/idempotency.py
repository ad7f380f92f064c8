"""Idempotency keys of state-changing POSTs (SPEC §1), kept by the domain whose resource the
request creates, in the same transaction as that resource.

A keyed request claims its key as the first statement of the transaction that creates the
booking or payment, and writes its answer down before that transaction commits. So a crash
after the commit leaves a key that answers the retry with what was created, and a request
that fails leaves no key behind (its transaction rolled back): a retry acts afresh.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from aquastream.ports.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class StoredResponse:
    """The answer given for a key, replayed byte for byte."""

    status_code: int
    body: bytes


@dataclass(frozen=True, slots=True)
class KeyRecord:
    """What a key holds: the fingerprint of the request that claimed it, the resource that
    request created and, once written down, its answer (None only when the answer is given
    in a later transaction than the resource's, as a card payment's is, and that one did not
    happen)."""

    request_hash: str
    resource_id: uuid.UUID
    response: StoredResponse | None
    created_at: datetime


class RequestKeys(Protocol):
    """The keys of one domain's requests; every call runs in its unit of work's transaction."""

    async def claim(
        self,
        user_id: uuid.UUID,
        key: str,
        *,
        request_hash: str,
        resource_id: uuid.UUID,
        now: datetime,
        retention: timedelta,
    ) -> KeyRecord | None:
        """Hold the key for the resource this transaction creates: None when it is ours now,
        else the record that holds it. A record older than ``retention`` no longer counts and
        is replaced. A claim of a key that another transaction claimed and has not finished
        waits for it: its record once it commits, the key once it rolls back."""
        ...

    async def answer(self, user_id: uuid.UUID, key: str, response: StoredResponse) -> None:
        """Write down the answer of the request that holds the key."""
        ...

    async def release(self, user_id: uuid.UUID, key: str) -> None:
        """Forget a key whose request failed after its resource was committed (a provider
        refused the payment): a retry acts afresh."""
        ...

    async def purge(self, *, older_than: datetime) -> int:
        """Delete keys claimed before ``older_than``; how many went."""
        ...


class KeyedUnitOfWork(UnitOfWork, Protocol):
    """The unit of work of a domain whose resources keyed requests create."""

    @property
    def request_keys(self) -> RequestKeys: ...
