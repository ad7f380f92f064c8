"""Email verification (issue 13, item 1): a code sent to the address proves it the user's; only a
verified email carries recovery codes; changing the email needs the password and a new proof."""

from __future__ import annotations

from datetime import timedelta

import pytest

from aquastream.domain.identity.errors import (
    EmailAlreadyRegistered,
    EmailAlreadyVerified,
    InvalidRecoveryCode,
    InvalidVerificationCode,
    VerificationAttemptsExceeded,
    WrongPassword,
)
from aquastream.domain.identity.model import AuditAction, CodePurpose, Principal, RecoveryRequest, Role
from aquastream.domain.identity.profile import GetMyProfile
from aquastream.domain.identity.recovery import RequestPasswordRecovery, VerifyRecoveryCode
from aquastream.domain.identity.verification import (
    ChangeMyEmail,
    EmailChange,
    ResendEmailVerification,
    VerifyMyEmail,
)
from aquastream.domain.shared.errors import ValidationFailed
from tests.unit.identity.identity_kit import CTX, GOOD_PASSWORD, IdentityKit

EMAIL = "ivan@example.com"


async def unverified(kit: IdentityKit, email: str = EMAIL) -> Principal:
    user_id, _ = await kit.register(email, verified=False)
    return Principal(user_id, Role.USER, email)


def codes(kit: IdentityKit, purpose: CodePurpose) -> list[RecoveryRequest]:
    rows = [r for r in kit.db.table("recovery").values() if r.purpose is purpose]
    return sorted(rows, key=lambda r: r.created_at)


async def test_registration_emails_a_code_to_the_new_address_and_leaves_it_unverified(
    kit: IdentityKit,
) -> None:
    me = await unverified(kit)

    [sent] = kit.sender.verifications
    assert sent.email == EMAIL
    assert len(sent.code) == 6
    assert sent.code.isdigit()
    [stored] = codes(kit, CodePurpose.EMAIL_VERIFICATION)
    assert (stored.user_id, stored.email) == (me.user_id, EMAIL)
    assert sent.code not in stored.code_hash
    assert stored.expires_at == kit.clock.now() + kit.policy.recovery_code_ttl
    assert kit.user(me.user_id).email_verified_at is None
    profile = await kit.make(GetMyProfile)(me)
    assert (profile.email_verified, profile.email_verified_at) == (False, None)
    assert len(kit.audit(AuditAction.EMAIL_VERIFICATION_SENT)) == 1


async def test_the_right_code_verifies_the_email_as_of_now_and_is_audited(kit: IdentityKit) -> None:
    me = await unverified(kit)
    kit.clock.advance(timedelta(minutes=3))

    view = await kit.make(VerifyMyEmail)(me, kit.sender.verification_code_for(EMAIL), CTX)

    assert view.email_verified
    assert view.email_verified_at == kit.clock.now()
    assert kit.user(me.user_id).email_verified_at == kit.clock.now()
    [entry] = kit.audit(AuditAction.EMAIL_VERIFIED)
    assert (entry.actor_id, entry.target_id, entry.payload, entry.ip) == (
        me.user_id,
        me.user_id,
        {"email": EMAIL},
        CTX.ip,
    )
    # A second click changes nothing and is no error.
    again = await kit.make(VerifyMyEmail)(me, "000000", CTX)
    assert again.email_verified_at == view.email_verified_at


async def test_verification_codes_follow_the_recovery_rules_five_tries_then_used_up(kit: IdentityKit) -> None:
    me = await unverified(kit)
    right = kit.sender.verification_code_for(EMAIL)
    wrong = "000000" if right != "000000" else "111111"

    for _ in range(kit.policy.recovery_max_attempts):
        with pytest.raises(InvalidVerificationCode):
            await kit.make(VerifyMyEmail)(me, wrong)
    with pytest.raises(VerificationAttemptsExceeded):
        await kit.make(VerifyMyEmail)(me, right)

    assert kit.user(me.user_id).email_verified_at is None


async def test_an_expired_verification_code_does_not_verify(kit: IdentityKit) -> None:
    me = await unverified(kit)
    kit.clock.advance(kit.policy.recovery_code_ttl + timedelta(seconds=1))

    with pytest.raises(InvalidVerificationCode):
        await kit.make(VerifyMyEmail)(me, kit.sender.verification_code_for(EMAIL))


async def test_a_resent_code_replaces_the_earlier_one(kit: IdentityKit) -> None:
    me = await unverified(kit)
    first = kit.sender.verification_code_for(EMAIL)

    await kit.make(ResendEmailVerification)(me, CTX)

    second = kit.sender.verification_code_for(EMAIL)
    assert second != first
    with pytest.raises(InvalidVerificationCode):
        await kit.make(VerifyMyEmail)(me, first)
    assert (await kit.make(VerifyMyEmail)(me, second)).email_verified
    assert len(kit.audit(AuditAction.EMAIL_VERIFICATION_SENT)) == 2


async def test_resending_to_a_verified_email_is_refused(kit: IdentityKit) -> None:
    user_id, _ = await kit.register(EMAIL)

    with pytest.raises(EmailAlreadyVerified):
        await kit.make(ResendEmailVerification)(Principal(user_id, Role.USER, EMAIL))


async def test_a_verification_code_is_no_recovery_code_and_a_recovery_code_verifies_no_email(
    kit: IdentityKit,
) -> None:
    user_id, _ = await kit.register(EMAIL)  # verified: recovery codes go to the email
    me = Principal(user_id, Role.USER, EMAIL)
    await kit.make(ChangeMyEmail)(me, EmailChange("ivan@new.example.com", GOOD_PASSWORD))
    await kit.make(RequestPasswordRecovery)("ivan@new.example.com", CTX)
    verification = kit.sender.verification_code_for("ivan@new.example.com")

    with pytest.raises(InvalidRecoveryCode):
        await kit.make(VerifyRecoveryCode)("ivan@new.example.com", verification)
    assert kit.sender.sent == []  # the new email is not verified: no recovery code went to it


async def test_recovery_codes_go_to_an_email_only_once_it_is_verified(kit: IdentityKit) -> None:
    me = await unverified(kit)

    await kit.make(RequestPasswordRecovery)(EMAIL, CTX)
    assert kit.sender.sent == []

    await kit.make(VerifyMyEmail)(me, kit.sender.verification_code_for(EMAIL))
    await kit.make(RequestPasswordRecovery)(EMAIL, CTX)
    [sent] = kit.sender.sent
    assert (sent.email, sent.telegram_chat_id) == (EMAIL, None)


async def test_a_linked_telegram_chat_still_carries_recovery_codes_of_an_unverified_email(
    kit: IdentityKit,
) -> None:
    me = await unverified(kit)
    kit.profile(me.user_id).telegram_chat_id = 777
    kit.profile(me.user_id).telegram_verified = True

    await kit.make(RequestPasswordRecovery)(EMAIL, CTX)

    [sent] = kit.sender.sent
    assert (sent.email, sent.telegram_chat_id) == (None, 777)


async def test_changing_the_email_needs_the_password_and_sends_a_code_to_the_new_address(
    kit: IdentityKit,
) -> None:
    user_id, _ = await kit.register(EMAIL)
    me = Principal(user_id, Role.USER, EMAIL)

    with pytest.raises(WrongPassword):
        await kit.make(ChangeMyEmail)(me, EmailChange("ivan@new.example.com", "Not-The-Password-1!"))
    view = await kit.make(ChangeMyEmail)(me, EmailChange(" Ivan@New.Example.com ", GOOD_PASSWORD), CTX)

    assert (view.email, view.email_verified) == ("ivan@new.example.com", False)
    assert kit.user(user_id).email_verified_at is None
    assert kit.sender.verifications[-1].email == "ivan@new.example.com"
    [entry] = kit.audit(AuditAction.EMAIL_CHANGED)
    assert entry.payload == {"old_email": EMAIL, "new_email": "ivan@new.example.com"}
    verified = await kit.make(VerifyMyEmail)(me, kit.sender.verification_code_for("ivan@new.example.com"))
    assert verified.email_verified


async def test_a_code_sent_to_the_old_email_does_not_verify_the_new_one(kit: IdentityKit) -> None:
    me = await unverified(kit)
    old_code = kit.sender.verification_code_for(EMAIL)
    await kit.make(ChangeMyEmail)(me, EmailChange("ivan@new.example.com", GOOD_PASSWORD))

    with pytest.raises(InvalidVerificationCode):
        await kit.make(VerifyMyEmail)(me, old_code)


async def test_the_new_email_must_be_valid_and_free(kit: IdentityKit) -> None:
    await kit.register("taken@example.com")
    user_id, _ = await kit.register(EMAIL)
    me = Principal(user_id, Role.USER, EMAIL)

    with pytest.raises(ValidationFailed):
        await kit.make(ChangeMyEmail)(me, EmailChange("not-an-email", GOOD_PASSWORD))
    with pytest.raises(EmailAlreadyRegistered):
        await kit.make(ChangeMyEmail)(me, EmailChange("TAKEN@example.com", GOOD_PASSWORD))
    same = await kit.make(ChangeMyEmail)(me, EmailChange("IVAN@example.com", GOOD_PASSWORD))
    assert same.email_verified  # the same email changes nothing
    assert kit.audit(AuditAction.EMAIL_CHANGED) == []
