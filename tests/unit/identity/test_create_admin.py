"""The first administrator, made from the command line."""

from __future__ import annotations

import pytest

from aquastream.domain.identity.bootstrap import CreateAdmin
from aquastream.domain.identity.errors import WeakPassword
from aquastream.domain.identity.model import AuditAction, Role
from aquastream.domain.shared.errors import ValidationFailed
from tests.unit.identity.identity_kit import GOOD_PASSWORD, IdentityKit


async def test_a_new_admin_account_is_created(kit: IdentityKit) -> None:
    account = await kit.make(CreateAdmin)(" Root@Example.com ", GOOD_PASSWORD)

    assert account.created
    user = kit.user(account.user_id)
    assert (user.email, user.role, user.is_active) == ("root@example.com", Role.ADMIN, True)
    assert kit.profile(account.user_id).user_id == account.user_id
    [entry] = kit.audit(AuditAction.REGISTERED)
    assert entry.payload == {"via": "cli"}
    assert [e.user_id for e in kit.events("UserRegistered")] == [account.user_id]
    assert (await kit.log_in("root@example.com")).access_token.startswith(f"access:{account.user_id}:ADMIN:")


async def test_the_password_policy_applies(kit: IdentityKit) -> None:
    with pytest.raises(WeakPassword):
        await kit.make(CreateAdmin)("root@example.com", "admin")
    with pytest.raises(ValidationFailed):
        await kit.make(CreateAdmin)("root@example.com")
    assert kit.db.table("users") == {}


async def test_an_existing_user_is_promoted_and_keeps_the_password(kit: IdentityKit) -> None:
    user_id, _ = await kit.register("olga@example.com")
    kit.user(user_id).is_active = False

    account = await kit.make(CreateAdmin)("olga@example.com", "ignored")

    assert (account.user_id, account.created) == (user_id, False)
    user = kit.user(user_id)
    assert (user.role, user.is_active) == (Role.ADMIN, True)
    assert kit.live_sessions(user_id) == []
    [entry] = kit.audit(AuditAction.ROLE_CHANGED)
    assert entry.payload == {"old_role": "USER", "new_role": "ADMIN", "via": "cli"}
    assert len(kit.audit(AuditAction.UNBLOCKED)) == 1
    assert [e.new_role for e in kit.events("UserRoleChanged")] == ["ADMIN"]
    assert await kit.log_in("olga@example.com", GOOD_PASSWORD)


async def test_running_it_twice_is_harmless(kit: IdentityKit) -> None:
    first = await kit.make(CreateAdmin)("root@example.com", GOOD_PASSWORD)
    second = await kit.make(CreateAdmin)("root@example.com", GOOD_PASSWORD)

    assert second.user_id == first.user_id
    assert not second.created
    assert kit.audit(AuditAction.ROLE_CHANGED) == []
    assert len(kit.db.table("users")) == 1
