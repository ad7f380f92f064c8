"""Password recovery: a hashed one-time code, five tries, a one-time reset token."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from aquastream.adapters.memory.identity import MemoryIdentityUnitOfWork
from aquastream.domain.identity.admin import BlockUser
from aquastream.domain.identity.errors import (
    InvalidCredentials,
    InvalidRecoveryCode,
    InvalidResetToken,
    RecoveryAttemptsExceeded,
    WeakPassword,
)
from aquastream.domain.identity.model import AuditAction, CodePurpose, RecoveryRequest
from aquastream.domain.identity.recovery import RequestPasswordRecovery, ResetPassword, VerifyRecoveryCode
from aquastream.domain.identity.tokens import hash_token
from aquastream.domain.shared.ids import new_id
from tests.unit.identity.identity_kit import CTX, GOOD_PASSWORD, OTHER_GOOD_PASSWORD, IdentityKit


async def request_code(kit: IdentityKit, email: str = "ivan@example.com") -> str:
    """The code the user received."""
    before = len(kit.sender.sent)
    await kit.make(RequestPasswordRecovery)(email, CTX)
    assert len(kit.sender.sent) == before + 1
    return kit.sender.sent[-1].code


async def verify(kit: IdentityKit, code: str, email: str = "ivan@example.com") -> tuple[str, int]:
    return await kit.make(VerifyRecoveryCode)(email, code)


async def reset(kit: IdentityKit, reset_token: str, password: str = OTHER_GOOD_PASSWORD) -> None:
    await kit.make(ResetPassword)(reset_token, password, CTX)


def requests(kit: IdentityKit) -> list[RecoveryRequest]:
    recovery = [r for r in kit.db.table("recovery").values() if r.purpose is CodePurpose.PASSWORD_RESET]
    return sorted(recovery, key=lambda r: r.created_at)


# Asking for a code


async def test_a_code_is_sent_by_email_and_stored_only_hashed(kit: IdentityKit) -> None:
    user_id, _ = await kit.register()

    code = await request_code(kit, " Ivan@Example.com")

    assert len(code) == 6
    assert code.isdigit()
    [sent] = kit.sender.sent
    assert (sent.email, sent.telegram_chat_id) == ("ivan@example.com", None)
    [request] = requests(kit)
    assert request.user_id == user_id
    assert code not in request.code_hash
    assert kit.hasher.verify(request.code_hash, code)
    assert request.expires_at == kit.clock.now() + timedelta(minutes=15)
    [entry] = kit.audit(AuditAction.RECOVERY_REQUESTED)
    assert (entry.target_id, entry.ip) == (user_id, CTX.ip)


async def test_recovery_init_answers_the_same_for_an_unknown_email(kit: IdentityKit) -> None:
    await kit.register()
    codes_before = kit.secrets.codes_made
    use_case = kit.make(RequestPasswordRecovery)

    answer = await use_case("nobody@example.com", CTX)

    assert answer is None
    assert kit.sender.sent == []
    assert requests(kit) == []
    assert kit.audit(AuditAction.RECOVERY_REQUESTED) == []
    assert kit.secrets.codes_made == codes_before + 1  # the same work as for a real account


async def test_the_code_goes_to_the_linked_telegram_chat(kit: IdentityKit) -> None:
    user_id, _ = await kit.register()
    kit.profile(user_id).telegram_chat_id = 777
    kit.profile(user_id).telegram_verified = True

    await request_code(kit)

    assert kit.sender.sent[0].telegram_chat_id == 777


async def test_a_blocked_user_gets_no_code(kit: IdentityKit) -> None:
    admin = await kit.admin_principal()
    user_id, _ = await kit.register()
    await kit.make(BlockUser)(admin, user_id)

    await kit.make(RequestPasswordRecovery)("ivan@example.com", CTX)

    assert kit.sender.sent == []
    assert requests(kit) == []


async def test_a_new_code_replaces_the_earlier_one(kit: IdentityKit) -> None:
    await kit.register()
    first = await request_code(kit)
    second = await request_code(kit)
    assert first != second

    with pytest.raises(InvalidRecoveryCode):
        await verify(kit, first)
    assert await verify(kit, second)


async def test_the_code_is_sent_after_the_request_is_committed(kit: IdentityKit) -> None:
    await kit.register()
    seen_when_sending: list[bool] = []

    class CheckingSender:
        """Looks at the database as another request would, while being asked to send."""

        async def send_recovery_code(self, *, email: str, telegram_chat_id: int | None, code: str) -> None:
            # Inside the transaction this would wait for its lock: fail fast instead of hanging.
            async with asyncio.timeout(1), MemoryIdentityUnitOfWork(kit.db) as uow:
                user = await uow.users.get_by_email(email)
                assert user is not None
                request = await uow.recovery.latest_open_for_user(user.id, now=kit.clock.now())
                seen_when_sending.append(request is not None)

    kit.sender = CheckingSender()  # type: ignore[assignment]
    await kit.make(RequestPasswordRecovery)("ivan@example.com", CTX)

    assert seen_when_sending == [True]


async def test_a_failed_delivery_does_not_tell_the_requester(
    kit: IdentityKit, caplog: pytest.LogCaptureFixture
) -> None:
    await kit.register()
    kit.sender.fail = True

    await kit.make(RequestPasswordRecovery)("ivan@example.com", CTX)

    assert len(requests(kit)) == 1
    assert "Could not deliver a recovery code" in caplog.text


# Verifying the code


async def test_the_right_code_gives_a_reset_token(kit: IdentityKit) -> None:
    await kit.register()
    code = await request_code(kit)

    reset_token, expires_in = await verify(kit, code)

    assert expires_in == 15 * 60
    [request] = requests(kit)
    assert request.verified_at == kit.clock.now()
    assert request.reset_token_hash == hash_token(reset_token)
    assert request.reset_expires_at == kit.clock.now() + kit.policy.reset_token_ttl


async def test_a_wrong_code_is_refused_and_the_try_is_counted(kit: IdentityKit) -> None:
    await kit.register()
    await request_code(kit)

    with pytest.raises(InvalidRecoveryCode):
        await verify(kit, "000000")

    assert requests(kit)[0].attempts == 1


async def test_five_tries_at_most_then_even_the_right_code_is_refused(kit: IdentityKit) -> None:
    await kit.register()
    code = await request_code(kit)

    for _ in range(5):
        with pytest.raises(InvalidRecoveryCode):
            await verify(kit, "000000")
    with pytest.raises(RecoveryAttemptsExceeded):
        await verify(kit, code)

    assert requests(kit)[0].attempts == 5
    assert requests(kit)[0].verified_at is None


async def test_the_right_code_on_the_fifth_try_still_works(kit: IdentityKit) -> None:
    await kit.register()
    code = await request_code(kit)

    for _ in range(4):
        with pytest.raises(InvalidRecoveryCode):
            await verify(kit, "000000")

    assert await verify(kit, code)


async def test_a_new_code_gives_five_new_tries(kit: IdentityKit) -> None:
    await kit.register()
    await request_code(kit)
    for _ in range(5):
        with pytest.raises(InvalidRecoveryCode):
            await verify(kit, "000000")

    code = await request_code(kit)

    assert await verify(kit, code)


async def test_an_expired_code_is_refused(kit: IdentityKit) -> None:
    await kit.register()
    code = await request_code(kit)
    kit.clock.advance(minutes=15)

    with pytest.raises(InvalidRecoveryCode):
        await verify(kit, code)


async def test_a_code_works_once(kit: IdentityKit) -> None:
    await kit.register()
    code = await request_code(kit)
    await verify(kit, code)

    with pytest.raises(InvalidRecoveryCode):
        await verify(kit, code)


async def test_verifying_for_an_unknown_email_is_refused_like_a_wrong_code(kit: IdentityKit) -> None:
    with pytest.raises(InvalidRecoveryCode):
        await verify(kit, "123456", email="nobody@example.com")


# Resetting the password


async def reset_token_for(kit: IdentityKit) -> str:
    code = await request_code(kit)
    reset_token, _ = await verify(kit, code)
    return reset_token


async def test_reset_sets_the_new_password_and_ends_every_session(kit: IdentityKit) -> None:
    user_id, _ = await kit.register()
    await kit.log_in()
    reset_token = await reset_token_for(kit)

    await reset(kit, reset_token)

    assert kit.live_sessions(user_id) == []
    with pytest.raises(InvalidCredentials):
        await kit.log_in(password=GOOD_PASSWORD)
    assert await kit.log_in(password=OTHER_GOOD_PASSWORD)
    [entry] = kit.audit(AuditAction.PASSWORD_CHANGED)
    assert (entry.actor_id, entry.target_id, entry.ip) == (user_id, user_id, CTX.ip)


async def test_a_reset_token_works_once(kit: IdentityKit) -> None:
    await kit.register()
    reset_token = await reset_token_for(kit)
    await reset(kit, reset_token)

    with pytest.raises(InvalidResetToken):
        await reset(kit, reset_token, "Another-Good-Pass-7")


async def test_an_expired_reset_token_is_refused(kit: IdentityKit) -> None:
    await kit.register()
    reset_token = await reset_token_for(kit)
    kit.clock.advance(kit.policy.reset_token_ttl)

    with pytest.raises(InvalidResetToken):
        await reset(kit, reset_token)


async def test_an_unknown_reset_token_is_refused(kit: IdentityKit) -> None:
    with pytest.raises(InvalidResetToken):
        await reset(kit, "made-up")


async def test_the_new_password_follows_the_policy_and_the_token_survives(kit: IdentityKit) -> None:
    await kit.register()
    reset_token = await reset_token_for(kit)

    with pytest.raises(WeakPassword):
        await reset(kit, reset_token, "qwerty")
    with pytest.raises(WeakPassword):
        await reset(kit, reset_token, "Ivan-Rafting-2031")

    await reset(kit, reset_token)


async def test_reset_closes_other_open_requests(kit: IdentityKit) -> None:
    user_id, _ = await kit.register()
    reset_token = await reset_token_for(kit)
    stray = RecoveryRequest(
        id=new_id(),
        user_id=user_id,
        code_hash=kit.hasher.hash("654321"),
        created_at=kit.clock.now(),
        expires_at=kit.clock.now() + timedelta(minutes=15),
    )
    async with MemoryIdentityUnitOfWork(kit.db) as uow:
        await uow.recovery.add(stray)
        await uow.commit()

    await reset(kit, reset_token)

    with pytest.raises(InvalidRecoveryCode):
        await verify(kit, "654321")
