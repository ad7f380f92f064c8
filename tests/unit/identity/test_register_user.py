"""Registration: a new active USER with an empty profile, logged in at once."""

from __future__ import annotations

import pytest

from aquastream.domain.identity.errors import EmailAlreadyRegistered, WeakPassword
from aquastream.domain.identity.model import AuditAction, Role
from aquastream.domain.identity.registration import RegisterUser, Registration
from aquastream.domain.identity.tokens import hash_token
from aquastream.domain.shared.errors import ValidationFailed
from tests.unit.identity.identity_kit import CTX, GOOD_PASSWORD, IdentityKit


async def test_registration_creates_an_active_user_with_an_empty_profile(kit: IdentityKit) -> None:
    user_id, _ = await kit.register("  Ivan.Petrov@Example.COM ", phone="+7 (999) 123-45-67")

    user = kit.user(user_id)
    assert user.email == "ivan.petrov@example.com"
    assert user.role is Role.USER
    assert user.is_active
    assert user.password_hash.startswith("$argon2id$")
    assert GOOD_PASSWORD not in user.password_hash
    profile = kit.profile(user_id)
    assert profile.phone == "+79991234567"
    assert (profile.first_name, profile.telegram, profile.extra) == (None, None, {})


async def test_registration_logs_the_user_in(kit: IdentityKit) -> None:
    user_id, tokens = await kit.register()

    assert tokens.access_token.startswith(f"access:{user_id}:USER:")
    assert tokens.expires_in == 900
    [session] = kit.sessions(user_id)
    assert session.token_hash == hash_token(tokens.refresh_token)
    assert tokens.refresh_token not in session.token_hash
    assert session.family_id == session.id
    assert session.expires_at == kit.clock.now() + kit.policy.refresh_token_ttl


async def test_registration_is_audited_and_announced(kit: IdentityKit) -> None:
    user_id, _ = await kit.register()

    [entry] = kit.audit(AuditAction.REGISTERED)
    assert (entry.actor_id, entry.target_id, entry.ip) == (user_id, user_id, CTX.ip)
    [event] = kit.events("UserRegistered")
    assert (event.user_id, event.email) == (user_id, "ivan@example.com")


async def test_second_registration_with_same_email_is_refused(kit: IdentityKit) -> None:
    await kit.register("ivan@example.com")

    with pytest.raises(EmailAlreadyRegistered):
        await kit.register("IVAN@example.com")
    assert len(kit.db.table("users")) == 1


async def test_a_weak_password_is_refused_with_every_reason(kit: IdentityKit) -> None:
    with pytest.raises(WeakPassword) as caught:
        await kit.register(password="password")

    assert len(caught.value.errors) >= 4
    assert kit.db.table("users") == {}


async def test_a_bad_email_and_phone_are_reported_with_the_password_problems(kit: IdentityKit) -> None:
    with pytest.raises(ValidationFailed) as caught:
        await kit.make(RegisterUser)(Registration("not-an-email", "short", "12345"), CTX)

    fields = {e.field for e in caught.value.errors}
    assert fields == {"email", "phone", "password"}
    assert not isinstance(caught.value, WeakPassword)


async def test_a_blank_phone_is_no_phone(kit: IdentityKit) -> None:
    user_id, _ = await kit.register(phone="  ")

    assert kit.profile(user_id).phone is None


async def test_nothing_is_kept_when_registration_fails(kit: IdentityKit) -> None:
    await kit.register()

    with pytest.raises(EmailAlreadyRegistered):
        await kit.register()
    assert len(kit.audit(AuditAction.REGISTERED)) == 1
    assert len(kit.events("UserRegistered")) == 1
