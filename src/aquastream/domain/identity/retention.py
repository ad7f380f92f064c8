"""Retention of the audit log: entries older than ``IdentityPolicy.audit_retention`` are
deleted by a periodic job, so the log keeps a bounded past instead of every login ever."""

from __future__ import annotations

from aquastream.domain.identity.policy import IdentityPolicy
from aquastream.ports.clock import Clock
from aquastream.ports.identity import IdentityUnitOfWork

# Entries deleted per transaction: short transactions and locks, however large the backlog.
AUDIT_PRUNE_BATCH_SIZE = 1000


class PruneAuditLog:
    """Delete one batch of audit entries older than the retention period.

    Rules:
    - an entry made within ``policy.audit_retention`` of now stays, whatever it records;
    - one call deletes at most ``AUDIT_PRUNE_BATCH_SIZE`` entries, the oldest first, and commits:
      the job calls again while batches come back full (``ioc.worker.sweep``), so a backlog
      is worked off in bounded transactions over a few ticks.
    Returns how many entries went.
    """

    def __init__(self, uow: IdentityUnitOfWork, clock: Clock, policy: IdentityPolicy) -> None:
        self._uow = uow
        self._clock = clock
        self._policy = policy

    async def __call__(self) -> int:
        async with self._uow:
            before = self._clock.now() - self._policy.audit_retention
            pruned = await self._uow.audit.prune(before=before, limit=AUDIT_PRUNE_BATCH_SIZE)
            await self._uow.commit()
        return pruned
