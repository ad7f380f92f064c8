"""Administration: list users, change roles, block and unblock, read the audit log."""

from __future__ import annotations

import uuid

import pytest

from aquastream.domain.identity.admin import BlockUser, ChangeUserRole, ListUsers, ReadAuditLog, UnblockUser
from aquastream.domain.identity.auth import RefreshTokens
from aquastream.domain.identity.errors import (
    CannotChangeOwnAccess,
    InvalidRefreshToken,
    NotAllowed,
    UserNotFound,
)
from aquastream.domain.identity.model import AuditAction, Principal, Role
from aquastream.domain.identity.privacy import DeleteMyAccount
from aquastream.domain.shared.paging import PageRequest
from tests.unit.identity.identity_kit import CTX, IdentityKit


async def test_only_admins_may_administer(kit: IdentityKit) -> None:
    user = await kit.user_principal()
    other = await kit.user_principal("other@example.com")

    with pytest.raises(NotAllowed):
        await kit.make(ListUsers)(user, PageRequest())
    with pytest.raises(NotAllowed):
        await kit.make(ChangeUserRole)(user, other.user_id, Role.ADMIN, CTX)
    with pytest.raises(NotAllowed):
        await kit.make(BlockUser)(user, other.user_id)
    with pytest.raises(NotAllowed):
        await kit.make(UnblockUser)(user, other.user_id)
    with pytest.raises(NotAllowed):
        await kit.make(ReadAuditLog)(user, other.user_id, PageRequest())


async def test_a_token_claiming_admin_is_not_enough_once_the_account_was_demoted(kit: IdentityKit) -> None:
    admin = await kit.admin_principal()
    kit.user(admin.user_id).role = Role.USER

    with pytest.raises(NotAllowed):
        await kit.make(ListUsers)(admin, PageRequest())


async def test_users_are_listed_newest_first_and_filtered(kit: IdentityKit) -> None:
    admin = await kit.admin_principal()
    await kit.register("anna@river.org")
    kit.clock.advance(seconds=1)
    olga_id, _ = await kit.register("olga@river.org")
    kit.clock.advance(seconds=1)
    await kit.register("petr@lake.org")
    kit.user(olga_id).role = Role.ORGANIZER
    list_users = kit.make(ListUsers)

    everyone = await list_users(admin, PageRequest(0, 2))
    by_text = await list_users(admin, PageRequest(), text=" RIVER ")
    organizers = await list_users(admin, PageRequest(), role=Role.ORGANIZER)

    assert [u.email for u in everyone.items] == ["petr@lake.org", "olga@river.org"]
    assert (everyone.total, everyone.total_pages) == (4, 2)
    assert {u.email for u in by_text.items} == {"anna@river.org", "olga@river.org"}
    assert [u.id for u in organizers.items] == [olga_id]


async def test_blocked_users_can_be_listed_apart(kit: IdentityKit) -> None:
    admin = await kit.admin_principal()
    blocked = await kit.user_principal("blocked@example.com")
    await kit.user_principal("fine@example.com")
    await kit.make(BlockUser)(admin, blocked.user_id)

    found = await kit.make(ListUsers)(admin, PageRequest(), active=False)

    assert [u.email for u in found.items] == ["blocked@example.com"]


async def test_deleted_users_are_not_listed(kit: IdentityKit) -> None:
    admin = await kit.admin_principal()
    gone = await kit.user_principal("gone@example.com")
    await kit.make(DeleteMyAccount)(gone, CTX)

    found = await kit.make(ListUsers)(admin, PageRequest())

    assert [u.email for u in found.items] == ["root@example.com"]


async def test_a_role_change_revokes_the_users_sessions_and_is_recorded(kit: IdentityKit) -> None:
    admin = await kit.admin_principal()
    user_id, tokens = await kit.register()

    summary = await kit.make(ChangeUserRole)(admin, user_id, Role.ORGANIZER, CTX)

    assert summary.role is Role.ORGANIZER
    assert kit.user(user_id).role is Role.ORGANIZER
    with pytest.raises(InvalidRefreshToken):
        await kit.make(RefreshTokens)(tokens.refresh_token)
    [entry] = kit.audit(AuditAction.ROLE_CHANGED)
    assert (entry.actor_id, entry.target_id) == (admin.user_id, user_id)
    assert entry.payload == {"old_role": "USER", "new_role": "ORGANIZER"}
    [event] = kit.events("UserRoleChanged")
    assert (event.user_id, event.old_role, event.new_role) == (user_id, "USER", "ORGANIZER")
    assert (await kit.log_in()).access_token.startswith(f"access:{user_id}:ORGANIZER:")


async def test_giving_the_same_role_changes_nothing(kit: IdentityKit) -> None:
    admin = await kit.admin_principal()
    user_id, _ = await kit.register()

    await kit.make(ChangeUserRole)(admin, user_id, Role.USER, CTX)

    assert len(kit.live_sessions(user_id)) == 1
    assert kit.audit(AuditAction.ROLE_CHANGED) == []


async def test_admins_cannot_change_their_own_access(kit: IdentityKit) -> None:
    admin = await kit.admin_principal()

    with pytest.raises(CannotChangeOwnAccess):
        await kit.make(ChangeUserRole)(admin, admin.user_id, Role.USER, CTX)
    with pytest.raises(CannotChangeOwnAccess):
        await kit.make(BlockUser)(admin, admin.user_id)
    with pytest.raises(CannotChangeOwnAccess):
        await kit.make(UnblockUser)(admin, admin.user_id)


async def test_unknown_users_are_not_found(kit: IdentityKit) -> None:
    admin = await kit.admin_principal()
    nobody = uuid.uuid4()

    with pytest.raises(UserNotFound):
        await kit.make(ChangeUserRole)(admin, nobody, Role.ORGANIZER, CTX)
    with pytest.raises(UserNotFound):
        await kit.make(BlockUser)(admin, nobody)
    with pytest.raises(UserNotFound):
        await kit.make(ReadAuditLog)(admin, nobody, PageRequest())


async def test_blocking_revokes_sessions_and_unblocking_lets_the_user_in(kit: IdentityKit) -> None:
    admin = await kit.admin_principal()
    user_id, _ = await kit.register()

    blocked = await kit.make(BlockUser)(admin, user_id, CTX)
    await kit.make(BlockUser)(admin, user_id, CTX)

    assert not blocked.is_active
    assert kit.live_sessions(user_id) == []
    assert len(kit.audit(AuditAction.BLOCKED)) == 1
    assert [e.user_id for e in kit.events("UserBlocked")] == [user_id]

    unblocked = await kit.make(UnblockUser)(admin, user_id, CTX)
    await kit.make(UnblockUser)(admin, user_id, CTX)

    assert unblocked.is_active
    assert len(kit.audit(AuditAction.UNBLOCKED)) == 1
    assert [e.user_id for e in kit.events("UserUnblocked")] == [user_id]
    assert await kit.log_in()


async def test_an_admin_reads_a_users_audit_log_newest_first(kit: IdentityKit) -> None:
    admin = await kit.admin_principal()
    user_id, _ = await kit.register()
    kit.clock.advance(seconds=1)
    await kit.log_in()
    kit.clock.advance(seconds=1)
    await kit.make(BlockUser)(admin, user_id)

    page = await kit.make(ReadAuditLog)(admin, user_id, PageRequest(0, 2))

    assert [e.action for e in page.items] == [AuditAction.BLOCKED, AuditAction.LOGIN]
    assert page.total == 5  # REGISTERED, EMAIL_VERIFICATION_SENT, EMAIL_VERIFIED, LOGIN, BLOCKED


async def test_the_audit_log_of_a_deleted_user_stays_readable(kit: IdentityKit) -> None:
    admin = await kit.admin_principal()
    gone = await kit.user_principal("gone@example.com")
    await kit.make(DeleteMyAccount)(gone, CTX)

    page = await kit.make(ReadAuditLog)(admin, gone.user_id, PageRequest())

    assert AuditAction.ACCOUNT_DELETED in [e.action for e in page.items]


async def test_a_deleted_user_cannot_be_given_a_role(kit: IdentityKit) -> None:
    admin = await kit.admin_principal()
    gone = await kit.user_principal("gone@example.com")
    await kit.make(DeleteMyAccount)(gone, CTX)

    with pytest.raises(UserNotFound):
        await kit.make(UnblockUser)(admin, gone.user_id)
    with pytest.raises(UserNotFound):
        await kit.make(ChangeUserRole)(admin, gone.user_id, Role.ADMIN, CTX)


def test_principal_role_decides_is_admin() -> None:
    assert Principal(uuid.uuid4(), Role.ADMIN).is_admin
    assert not Principal(uuid.uuid4(), Role.ORGANIZER).is_admin
