"""Login: the same answer for an unknown email and a wrong password, blocked users kept out."""

from __future__ import annotations

import pytest

from aquastream.adapters.crypto.argon2_hasher import Argon2PasswordHasher
from aquastream.domain.identity.admin import BlockUser
from aquastream.domain.identity.errors import InvalidCredentials, UserBlocked
from aquastream.domain.identity.model import AuditAction
from aquastream.domain.identity.tokens import hash_token
from aquastream.domain.shared.errors import Forbidden
from tests.unit.identity.identity_kit import CTX, GOOD_PASSWORD, CountingHasher, IdentityKit


async def test_login_returns_a_new_token_pair_and_session_family(kit: IdentityKit) -> None:
    user_id, registered = await kit.register()

    tokens = await kit.log_in(" IVAN@example.com ")

    assert tokens.access_token.startswith(f"access:{user_id}:USER:")
    assert tokens.refresh_token != registered.refresh_token
    sessions = kit.live_sessions(user_id)
    assert len(sessions) == 2
    newest = next(s for s in sessions if s.token_hash == hash_token(tokens.refresh_token))
    assert newest.family_id == newest.id


async def test_login_is_audited(kit: IdentityKit) -> None:
    user_id, _ = await kit.register()

    await kit.log_in()

    [entry] = kit.audit(AuditAction.LOGIN)
    assert (entry.actor_id, entry.target_id, entry.ip) == (user_id, user_id, CTX.ip)


async def test_wrong_password_and_unknown_email_give_the_same_error(kit: IdentityKit) -> None:
    await kit.register()

    with pytest.raises(InvalidCredentials) as wrong_password:
        await kit.log_in(password="Wrong-Password-1")
    with pytest.raises(InvalidCredentials) as unknown_email:
        await kit.log_in("nobody@example.com")

    assert wrong_password.value.code == unknown_email.value.code == "auth.invalid_credentials"
    assert wrong_password.value.message == unknown_email.value.message


async def test_an_unknown_email_costs_a_password_check_like_a_wrong_password(kit: IdentityKit) -> None:
    assert isinstance(kit.hasher, CountingHasher)
    await kit.register(verified=False)  # verifying the email would check a code with the hasher

    with pytest.raises(InvalidCredentials):
        await kit.log_in(password="Wrong-Password-1")
    after_wrong_password = kit.hasher.verifications
    with pytest.raises(InvalidCredentials):
        await kit.log_in("nobody@example.com")

    assert after_wrong_password == 1
    assert kit.hasher.verifications - after_wrong_password == 1


async def test_failed_logins_are_audited_even_though_the_login_fails(kit: IdentityKit) -> None:
    user_id, _ = await kit.register()

    with pytest.raises(InvalidCredentials):
        await kit.log_in(password="Wrong-Password-1")
    with pytest.raises(InvalidCredentials):
        await kit.log_in("Nobody@example.com")

    known, unknown = kit.audit(AuditAction.LOGIN_FAILED)
    assert (known.target_id, known.payload, known.ip) == (user_id, {"email": "ivan@example.com"}, CTX.ip)
    assert (unknown.target_id, unknown.payload) == (None, {"email": "nobody@example.com"})
    assert len(kit.live_sessions(user_id)) == 1  # only the one registration opened


async def test_a_blocked_user_cannot_log_in(kit: IdentityKit) -> None:
    admin = await kit.admin_principal()
    user_id, _ = await kit.register()
    await kit.make(BlockUser)(admin, user_id)

    with pytest.raises(UserBlocked) as caught:
        await kit.log_in()

    assert isinstance(caught.value, Forbidden)
    assert caught.value.code == "user.blocked"
    assert kit.live_sessions(user_id) == []
    [failure] = kit.audit(AuditAction.LOGIN_FAILED)
    assert failure.payload == {"email": "ivan@example.com", "reason": "blocked"}


async def test_a_blocked_user_with_a_wrong_password_learns_nothing_more(kit: IdentityKit) -> None:
    admin = await kit.admin_principal()
    user_id, _ = await kit.register()
    await kit.make(BlockUser)(admin, user_id)

    with pytest.raises(InvalidCredentials):
        await kit.log_in(password="Wrong-Password-1")


async def test_a_hash_with_old_parameters_is_upgraded_on_login(kit: IdentityKit) -> None:
    user_id, _ = await kit.register()
    old_hash = kit.user(user_id).password_hash
    kit.hasher = Argon2PasswordHasher(time_cost=2, memory_cost=16, parallelism=1)

    await kit.log_in()

    new_hash = kit.user(user_id).password_hash
    assert new_hash != old_hash
    assert "m=16,t=2,p=1" in new_hash
    assert kit.hasher.verify(new_hash, GOOD_PASSWORD)


async def test_a_current_hash_is_left_alone(kit: IdentityKit) -> None:
    user_id, _ = await kit.register()
    old_hash = kit.user(user_id).password_hash

    await kit.log_in()

    assert kit.user(user_id).password_hash == old_hash
