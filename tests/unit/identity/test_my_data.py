"""The user's data: a full JSON export, and deletion by anonymisation."""

from __future__ import annotations

import json

import pytest

from aquastream.domain.identity.auth import RefreshTokens
from aquastream.domain.identity.errors import InvalidCredentials, InvalidRefreshToken, UserNotFound
from aquastream.domain.identity.model import AuditAction, Principal, Role
from aquastream.domain.identity.privacy import DeleteMyAccount, ExportMyData
from aquastream.domain.identity.profile import GetMyProfile, ProfileChanges, UpdateMyProfile
from tests.unit.identity.identity_kit import CTX, GOOD_PASSWORD, IdentityKit


async def test_the_export_holds_account_profile_sessions_and_audit(kit: IdentityKit) -> None:
    user_id, tokens = await kit.register(phone="+79991234567")
    me = Principal(user_id, Role.USER)
    await kit.make(UpdateMyProfile)(me, ProfileChanges(first_name="Ivan", extra={"shoeSize": 43}))

    export = await kit.make(ExportMyData)(me)

    assert json.loads(json.dumps(export)) == export
    assert export["user"]["id"] == str(user_id)
    assert export["user"]["email"] == "ivan@example.com"
    assert export["profile"]["firstName"] == "Ivan"
    assert export["profile"]["extra"] == {"shoeSize": 43}
    assert len(export["sessions"]) == 1
    actions = {entry["action"] for entry in export["auditLog"]}
    assert {"REGISTERED", "PROFILE_UPDATED"} <= actions
    text = json.dumps(export)
    assert "argon2" not in text
    assert tokens.refresh_token not in text
    assert kit.sessions(user_id)[0].token_hash not in text


async def test_the_export_is_audited(kit: IdentityKit) -> None:
    me = await kit.user_principal()

    await kit.make(ExportMyData)(me)

    [entry] = kit.audit(AuditAction.DATA_EXPORTED)
    assert entry.actor_id == me.user_id


async def test_a_long_audit_history_is_exported_whole(kit: IdentityKit) -> None:
    me = await kit.user_principal()
    for _ in range(120):
        with pytest.raises(InvalidCredentials):
            await kit.log_in(password="Wrong-Password-1")

    export = await kit.make(ExportMyData)(me)

    assert len(export["auditLog"]) == 123  # and REGISTERED, EMAIL_VERIFICATION_SENT, EMAIL_VERIFIED


async def test_deletion_anonymises_the_account(kit: IdentityKit) -> None:
    user_id, _ = await kit.register(phone="+79991234567")
    me = Principal(user_id, Role.USER)
    await kit.make(UpdateMyProfile)(me, ProfileChanges(first_name="Ivan", telegram="@ivan_river"))
    kit.profile(user_id).telegram_chat_id = 99

    await kit.make(DeleteMyAccount)(me, CTX)

    user = kit.user(user_id)
    assert user.email == f"deleted-{user_id}@deleted.invalid"
    assert not user.is_active
    assert user.deleted_at == kit.clock.now()
    assert not kit.hasher.verify(user.password_hash, GOOD_PASSWORD)
    profile = kit.profile(user_id)
    assert (profile.phone, profile.telegram, profile.first_name, profile.telegram_chat_id) == (
        None,
        None,
        None,
        None,
    )
    assert profile.extra == {}
    [entry] = kit.audit(AuditAction.ACCOUNT_DELETED)
    assert entry.ip == CTX.ip
    [event] = kit.events("UserDeleted")
    assert event.user_id == user_id


async def test_a_deleted_account_cannot_log_in_or_refresh(kit: IdentityKit) -> None:
    user_id, tokens = await kit.register()

    await kit.make(DeleteMyAccount)(Principal(user_id, Role.USER), CTX)

    assert kit.live_sessions(user_id) == []
    with pytest.raises(InvalidCredentials):
        await kit.log_in()
    with pytest.raises(InvalidRefreshToken):
        await kit.make(RefreshTokens)(tokens.refresh_token)
    with pytest.raises(UserNotFound):
        await kit.make(GetMyProfile)(Principal(user_id, Role.USER))


async def test_the_email_of_a_deleted_account_can_register_again(kit: IdentityKit) -> None:
    old_id, _ = await kit.register()
    await kit.make(DeleteMyAccount)(Principal(old_id, Role.USER), CTX)

    new_id, _ = await kit.register()

    assert new_id != old_id
