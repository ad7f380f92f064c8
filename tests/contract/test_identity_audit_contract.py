"""Contract of the identity audit log."""

from __future__ import annotations

from datetime import timedelta

from aquastream.domain.identity.model import AuditAction
from aquastream.domain.shared.paging import PageRequest

from .conftest import Backend
from .factories import NOW, a_user, an_audit_entry


async def test_a_users_audit_lists_entries_about_them_or_by_them_newest_first(backend: Backend) -> None:
    admin, anna, boris = a_user(), a_user(), a_user()
    registered = an_audit_entry(AuditAction.REGISTERED, actor=anna, target=anna, created_at=NOW)
    blocked = an_audit_entry(
        AuditAction.BLOCKED, actor=admin, target=anna, created_at=NOW + timedelta(hours=1)
    )
    blocked_boris = an_audit_entry(
        AuditAction.BLOCKED, actor=admin, target=boris, created_at=NOW + timedelta(hours=2)
    )
    failed_login = an_audit_entry(AuditAction.LOGIN_FAILED, created_at=NOW + timedelta(hours=3))
    async with backend.identity_uow() as uow:
        for entry in (registered, blocked, blocked_boris, failed_login):
            await uow.audit.add(entry)
        await uow.commit()

    async with backend.identity_uow() as uow:
        annas = await uow.audit.list_for_user(anna.id, PageRequest())
        admins = await uow.audit.list_for_user(admin.id, PageRequest())

    assert (list(annas.items), annas.total) == ([blocked, registered], 2)
    assert (list(admins.items), admins.total) == ([blocked_boris, blocked], 2)


async def test_a_users_audit_is_read_page_by_page(backend: Backend) -> None:
    anna = a_user()
    entries = [
        an_audit_entry(AuditAction.LOGIN, actor=anna, target=anna, created_at=NOW + timedelta(minutes=i))
        for i in range(5)
    ]
    async with backend.identity_uow() as uow:
        for entry in entries:
            await uow.audit.add(entry)
        await uow.commit()

    async with backend.identity_uow() as uow:
        second = await uow.audit.list_for_user(anna.id, PageRequest(page=1, size=2))

    assert (list(second.items), second.total, second.page, second.size) == (entries[2:0:-1], 5, 1, 2)


async def test_pruning_deletes_entries_before_the_cut_oldest_first_in_bounded_batches(
    backend: Backend,
) -> None:
    anna = a_user()
    old = [
        an_audit_entry(AuditAction.LOGIN, actor=anna, target=anna, created_at=NOW - timedelta(days=200 - i))
        for i in range(5)
    ]
    at_the_cut = an_audit_entry(AuditAction.LOGIN, actor=anna, target=anna, created_at=NOW)
    fresh = an_audit_entry(AuditAction.LOGOUT, actor=anna, target=anna, created_at=NOW + timedelta(days=1))
    async with backend.identity_uow() as uow:
        for entry in (fresh, *reversed(old), at_the_cut):
            await uow.audit.add(entry)
        await uow.commit()

    async with backend.identity_uow() as uow:
        assert await uow.audit.prune(before=NOW, limit=3) == 3
        await uow.commit()
    async with backend.identity_uow() as uow:
        after_one_batch = await uow.audit.list_for_user(anna.id, PageRequest())
        assert await uow.audit.prune(before=NOW, limit=3) == 2
        assert await uow.audit.prune(before=NOW, limit=3) == 0
        await uow.commit()
    async with backend.identity_uow() as uow:
        remaining = await uow.audit.list_for_user(anna.id, PageRequest())

    assert list(after_one_batch.items) == [fresh, at_the_cut, old[4], old[3]]
    assert list(remaining.items) == [fresh, at_the_cut]


async def test_a_pruning_that_is_not_committed_deletes_nothing(backend: Backend) -> None:
    entry = an_audit_entry(AuditAction.LOGIN_FAILED, created_at=NOW - timedelta(days=365))
    async with backend.identity_uow() as uow:
        await uow.audit.add(entry)
        await uow.commit()

    async with backend.identity_uow() as uow:
        assert await uow.audit.prune(before=NOW, limit=10) == 1

    async with backend.identity_uow() as uow:
        assert await uow.audit.prune(before=NOW, limit=10) == 1
        await uow.commit()
