"""The audit log keeps the retention period and no more, deleted in bounded batches."""

from __future__ import annotations

from datetime import timedelta

from aquastream.adapters.memory.identity import MemoryAuditLog
from aquastream.domain.identity.audit import audit_entry
from aquastream.domain.identity.model import AuditAction
from aquastream.domain.identity.retention import AUDIT_PRUNE_BATCH_SIZE, PruneAuditLog
from aquastream.ioc.worker import sweep
from tests.unit.identity.identity_kit import IdentityKit


async def write_entries(kit: IdentityKit, count: int, *, age: timedelta) -> None:
    log = MemoryAuditLog(kit.db)
    for _ in range(count):
        await log.add(audit_entry(AuditAction.LOGIN_FAILED, at=kit.clock.now() - age))


async def test_entries_older_than_the_period_go_and_entries_within_it_stay(kit: IdentityKit) -> None:
    retention = kit.policy.audit_retention
    assert retention == timedelta(days=180)
    await write_entries(kit, 2, age=retention + timedelta(seconds=1))
    await write_entries(kit, 3, age=retention - timedelta(seconds=1))

    assert await kit.make(PruneAuditLog)() == 2

    assert len(kit.audit()) == 3
    assert all(e.created_at > kit.clock.now() - retention for e in kit.audit())
    assert await kit.make(PruneAuditLog)() == 0


async def test_one_call_deletes_one_bounded_batch_and_the_job_sweeps_the_rest(kit: IdentityKit) -> None:
    await write_entries(kit, AUDIT_PRUNE_BATCH_SIZE + 5, age=timedelta(days=400))
    await write_entries(kit, 1, age=timedelta(days=1))
    prune = kit.make(PruneAuditLog)

    assert await prune() == AUDIT_PRUNE_BATCH_SIZE
    assert len(kit.audit()) == 6

    assert await sweep(prune, AUDIT_PRUNE_BATCH_SIZE) == 5
    assert [e.created_at for e in kit.audit()] == [kit.clock.now() - timedelta(days=1)]
