"""Email verification through the real app (issue 13, item 1): registration emails a code, the
profile shows the email verified once the code is typed, a changed email is verified again,
and only a verified email carries fallback messages and recovery codes."""

from __future__ import annotations

from aquastream.adapters.memory.senders import MemoryRecoveryCodeSender
from tests.api.conftest import Serve
from tests.api.identity.conftest import (
    PASSWORD,
    Client,
    RecordingSenderProvider,
    admin,
    assert_problem,
    register,
    verification_code,
    verify_email,
)

ME = "/api/v1/users/me"


async def test_registration_emails_a_code_and_the_profile_shows_the_email_verified_once_typed(
    api: Client, sender: MemoryRecoveryCodeSender
) -> None:
    anna = await register(api, "anna@example.com", verified=False)
    [sent] = sender.verifications
    assert sent.email == "anna@example.com"
    me = await api.get(ME, headers=anna.auth)
    assert (me.json()["emailVerified"], me.json()["emailVerifiedAt"]) == (False, None)

    wrong = "000000" if sent.code != "000000" else "111111"
    bad = await api.post(f"{ME}/email/verify", json={"code": wrong}, headers=anna.auth)
    assert_problem(bad, 422, "email.invalid_code")
    verified = await api.post(f"{ME}/email/verify", json={"code": sent.code}, headers=anna.auth)

    assert verified.status_code == 200, verified.text
    assert verified.json()["emailVerified"] is True
    me = await api.get(ME, headers=anna.auth)
    assert me.json()["emailVerified"] is True
    assert me.json()["emailVerifiedAt"].endswith("Z")


async def test_a_new_code_can_be_asked_for_until_the_email_is_verified(
    api: Client, sender: MemoryRecoveryCodeSender
) -> None:
    anna = await register(api, "anna@example.com", verified=False)

    resent = await api.post(f"{ME}/email/verification", headers=anna.auth)
    assert resent.status_code == 202, resent.text
    assert len(sender.verifications) == 2
    await verify_email(api, anna)
    again = await api.post(f"{ME}/email/verification", headers=anna.auth)
    assert_problem(again, 409, "email.already_verified")


async def test_changing_the_email_needs_the_password_and_verifies_the_new_address_again(
    api: Client, sender: MemoryRecoveryCodeSender
) -> None:
    anna = await register(api, "anna@example.com")
    await register(api, "boris@example.com")

    wrong = await api.put(
        f"{ME}/email",
        json={"email": "anna@new.example.com", "password": "Wrong-Pass-2030!"},
        headers=anna.auth,
    )
    assert_problem(wrong, 403, "auth.wrong_password")
    taken = await api.put(
        f"{ME}/email", json={"email": "boris@example.com", "password": PASSWORD}, headers=anna.auth
    )
    assert_problem(taken, 409, "user.email_taken")
    changed = await api.put(
        f"{ME}/email", json={"email": "anna@new.example.com", "password": PASSWORD}, headers=anna.auth
    )

    assert changed.status_code == 200, changed.text
    assert (changed.json()["email"], changed.json()["emailVerified"]) == ("anna@new.example.com", False)
    assert sender.verifications[-1].email == "anna@new.example.com"
    code = await verification_code(api, "anna@new.example.com")
    verified = await api.post(f"{ME}/email/verify", json={"code": code}, headers=anna.auth)
    assert verified.json()["emailVerified"] is True
    login = await api.post("/api/v1/auth/login", json={"email": "anna@new.example.com", "password": PASSWORD})
    assert login.status_code == 200


async def test_recovery_codes_and_fallback_messages_reach_an_email_only_once_verified(
    api: Client, sender: MemoryRecoveryCodeSender
) -> None:
    root = await admin(api)
    anna = await register(api, "anna@example.com", verified=False)

    init = await api.post("/api/v1/auth/recovery/init", json={"email": "anna@example.com"})
    assert init.status_code == 202
    assert sender.sent == []
    test_message = {"userId": anna.id, "text": "ping"}
    unreachable = await api.post("/api/v1/admin/notifications/test", json=test_message, headers=root.auth)
    assert_problem(unreachable, 404, "notifications.recipient_not_found")

    await verify_email(api, anna)
    await api.post("/api/v1/auth/recovery/init", json={"email": "anna@example.com"})
    assert [s.email for s in sender.sent] == ["anna@example.com"]
    queued = await api.post("/api/v1/admin/notifications/test", json=test_message, headers=root.auth)
    assert queued.json()["channel"] == "EMAIL"


async def test_verification_routes_are_limited_as_the_recovery_routes_are(serve: Serve) -> None:
    sender = MemoryRecoveryCodeSender()
    async with serve(RecordingSenderProvider(sender), rate_limit_recovery="2/5minutes") as api:
        anna = await register(api, "anna@example.com", verified=False)
        first = await api.post(f"{ME}/email/verification", headers=anna.auth)
        second = await api.post(f"{ME}/email/verify", json={"code": "000000"}, headers=anna.auth)
        third = await api.post(f"{ME}/email/verification", headers=anna.auth)

    assert (first.status_code, second.status_code) == (202, 422)
    assert_problem(third, 429, "rate_limit.exceeded")
    assert third.headers["retry-after"]
