"""Contract of the administrator's lists' orders (``sort``): users by creation or by email, a
user's audit by time, the same on every adapter, ties by id in the direction of the sort.

Emails are compared by code point on every database: PostgreSQL's collation would otherwise
skip ``.``, ``-`` and ``_`` (``a.z@`` between ``ab@`` and ``az@``), SQLite's binary one and
Python's do not. The emails below are chosen so that the two orders would differ."""

from __future__ import annotations

from datetime import timedelta

from aquastream.domain.identity.model import AuditAction, User
from aquastream.domain.identity.ordering import NEWEST_AUDIT_ENTRIES, NEWEST_USERS, AuditSortKey, UserSortKey
from aquastream.domain.shared.paging import PageRequest
from aquastream.domain.shared.sorting import Sort

from .conftest import Backend
from .factories import NOW, a_user, an_audit_entry


async def _users(backend: Backend) -> dict[str, User]:
    users = {
        "ab": a_user("ab@example.com", created_at=NOW + timedelta(hours=2)),
        "a.z": a_user("a.z@example.com", created_at=NOW),
        "a-c": a_user("a-c@example.com", created_at=NOW + timedelta(hours=2)),
        "az": a_user("az@example.com", created_at=NOW + timedelta(hours=1)),
        "b_1": a_user("b_1@example.com", created_at=NOW + timedelta(hours=3)),
    }
    async with backend.identity_uow() as uow:
        for user in users.values():
            await uow.users.add(user)
        await uow.commit()
    return users


async def _searched(backend: Backend, sort: Sort[UserSortKey], size: int = 100) -> list[str]:
    found: list[str] = []
    async with backend.identity_uow() as uow:
        for page in range(6):
            result = await uow.users.search(PageRequest(page, size), sort=sort)
            found += [user.email.removesuffix("@example.com") for user in result.items]
    return found


def _by_id(users: dict[str, User], *names: str, descending: bool = False) -> list[str]:
    return sorted(names, key=lambda name: users[name].id, reverse=descending)


async def test_users_come_newest_first_by_default_ties_by_id_descending(backend: Backend) -> None:
    users = await _users(backend)

    found = await _searched(backend, NEWEST_USERS)

    assert found == ["b_1", *_by_id(users, "ab", "a-c", descending=True), "az", "a.z"]


async def test_users_by_creation_ascending_tie_by_id_ascending(backend: Backend) -> None:
    users = await _users(backend)

    found = await _searched(backend, Sort(UserSortKey.CREATED_AT))

    assert found == ["a.z", "az", *_by_id(users, "ab", "a-c"), "b_1"]


async def test_users_by_email_compare_code_points_on_every_database(backend: Backend) -> None:
    await _users(backend)

    ascending = await _searched(backend, Sort(UserSortKey.EMAIL))
    descending = await _searched(backend, Sort(UserSortKey.EMAIL, descending=True))

    assert ascending == ["a-c", "a.z", "ab", "az", "b_1"]
    assert descending == list(reversed(ascending))


async def test_pages_of_users_by_email_cut_one_order(backend: Backend) -> None:
    await _users(backend)
    email = Sort(UserSortKey.EMAIL, descending=True)

    assert await _searched(backend, email, size=2) == await _searched(backend, email)


async def test_a_users_audit_comes_newest_or_oldest_first_ties_by_id(backend: Backend) -> None:
    anna = a_user()
    first = an_audit_entry(AuditAction.REGISTERED, actor=anna, target=anna, created_at=NOW)
    together = [
        an_audit_entry(AuditAction.LOGIN, actor=anna, target=anna, created_at=NOW + timedelta(hours=1))
        for _ in range(2)
    ]
    last = an_audit_entry(AuditAction.LOGIN, actor=anna, target=anna, created_at=NOW + timedelta(hours=2))
    async with backend.identity_uow() as uow:
        for entry in (last, *together, first):
            await uow.audit.add(entry)
        await uow.commit()

    async def listed(sort: Sort[AuditSortKey], size: int = 100) -> list[object]:
        async with backend.identity_uow() as uow:
            pages = [await uow.audit.list_for_user(anna.id, PageRequest(p, size), sort) for p in range(5)]
        return [entry.id for page in pages for entry in page.items]

    middle = sorted(entry.id for entry in together)
    assert await listed(NEWEST_AUDIT_ENTRIES) == [last.id, *reversed(middle), first.id]
    assert await listed(Sort(AuditSortKey.CREATED_AT)) == [first.id, *middle, last.id]
    assert await listed(Sort(AuditSortKey.CREATED_AT), size=1) == [first.id, *middle, last.id]
