"""Admin incident tools through the real app (issue 13, item 2): a user in full, a forced logout
everywhere, a forced password reset, the user told of a role change, a block and an unblock,
and every admin action in the audit log."""

from __future__ import annotations

import uuid
from typing import Any

from aquastream.adapters.memory.senders import MemoryRecoveryCodeSender
from tests.api.booking.kit import booked, participant
from tests.api.catalog.kit import API, open_page, organizer_account, published_event
from tests.api.identity.conftest import PASSWORD, Account, Client, admin, assert_problem, login, register
from tests.api.worker import drain_outbox

USERS = f"{API}/admin/users"
NEW_PASSWORD = "Brand-New-Oar-2031!"


async def audit_actions(api: Client, root: Account, user_id: str) -> list[str]:
    response = await api.get(f"{USERS}/{user_id}/audit", params={"size": 100}, headers=root.auth)
    assert response.status_code == 200, response.text
    return [entry["action"] for entry in response.json()["items"]]


async def test_an_admin_sees_a_user_in_full_with_profile_sessions_bookings_and_audit(api: Client) -> None:
    root = await admin(api)
    anna = await organizer_account(api, root, "anna@example.com")
    await open_page(api, anna, "river-rats", "River Rats")
    event = await published_event(api, anna, "river-rats", title="Vuoksa rapids")
    pavel = await participant(api, "pavel@example.com", firstName="Pavel")
    booking = await booked(api, pavel, event["id"])

    response = await api.get(f"{USERS}/{pavel.id}", headers=root.auth)

    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body: dict[str, Any] = response.json()
    assert body["account"] | {"createdAt": None, "updatedAt": None} == {
        "id": pavel.id,
        "email": "pavel@example.com",
        "role": "USER",
        "active": True,
        "emailVerified": True,
        "createdAt": None,
        "updatedAt": None,
    }
    assert body["profile"]["firstName"] == "Pavel"
    assert body["profile"]["phone"].startswith("+7999")
    [session] = body["sessions"]
    assert session["current"] is False
    [held] = body["bookings"]["items"]
    assert (held["id"], held["eventId"], held["eventTitle"]) == (booking["id"], event["id"], "Vuoksa rapids")
    assert (held["status"], held["amount"], held["currency"]) == (booking["status"], "1500.00", "RUB")
    assert body["bookings"]["total"] == 1
    assert "REGISTERED" in [entry["action"] for entry in body["audit"]["items"]]
    assert (await audit_actions(api, root, pavel.id))[0] == "USER_VIEWED"


async def test_a_forced_logout_ends_every_session_of_the_user_and_is_audited(api: Client) -> None:
    root = await admin(api)
    anna = await register(api, "anna@example.com")
    laptop = await login(api, "anna@example.com")

    response = await api.post(f"{USERS}/{anna.id}/logout-all", headers=root.auth)

    assert response.status_code == 200, response.text
    assert response.json() == {"sessionsRevoked": 2}
    for account in (anna, laptop):
        refused = await api.post(f"{API}/auth/refresh", json={"refreshToken": account.refresh_token})
        assert_problem(refused, 401, "auth.invalid_refresh_token")
        assert_problem(await api.get(f"{API}/users/me", headers=account.auth), 401, "auth.token_revoked")
    assert "FORCED_LOGOUT" in await audit_actions(api, root, anna.id)
    assert (await login(api, "anna@example.com")).access_token


async def test_a_forced_password_reset_stops_the_password_and_the_user_recovers_with_the_code(
    api: Client, sender: MemoryRecoveryCodeSender
) -> None:
    root = await admin(api)
    anna = await register(api, "anna@example.com")

    response = await api.post(f"{USERS}/{anna.id}/password-reset", headers=root.auth)

    assert response.status_code == 200, response.text
    assert response.json() == {"sessionsRevoked": 1, "codeSent": True}
    old = await api.post(f"{API}/auth/login", json={"email": anna.email, "password": PASSWORD})
    assert_problem(old, 401, "auth.invalid_credentials")
    assert_problem(await api.get(f"{API}/users/me", headers=anna.auth), 401, "auth.token_revoked")
    verified = await api.post(
        f"{API}/auth/recovery/verify", json={"email": anna.email, "code": sender.last_code_for(anna.email)}
    )
    assert verified.status_code == 200, verified.text
    reset = await api.post(
        f"{API}/auth/recovery/reset",
        json={"resetToken": verified.json()["resetToken"], "newPassword": NEW_PASSWORD},
    )
    assert reset.status_code == 204, reset.text
    assert (await login(api, anna.email, NEW_PASSWORD)).access_token
    assert "PASSWORD_RESET_FORCED" in await audit_actions(api, root, anna.id)


async def test_the_user_is_told_of_a_role_change_a_block_and_an_unblock_in_the_inbox(api: Client) -> None:
    root = await admin(api)
    anna = await register(api, "anna@example.com")

    for action, body in (("role", {"role": "ORGANIZER"}), ("block", None), ("unblock", None)):
        response = await api.post(f"{USERS}/{anna.id}/{action}", json=body, headers=root.auth)
        assert response.status_code == 200, response.text
    await drain_outbox(api)

    anna = await login(api, "anna@example.com")
    inbox = await api.get(f"{API}/notifications", headers=anna.auth)
    assert inbox.status_code == 200, inbox.text
    told = [(n["category"], n["template"]) for n in inbox.json()["items"]]
    assert sorted(told) == [
        ("ACCOUNT", "account_blocked"),
        ("ACCOUNT", "account_role_changed"),
        ("ACCOUNT", "account_unblocked"),
    ]
    assert {"ROLE_CHANGED", "BLOCKED", "UNBLOCKED"} <= set(await audit_actions(api, root, anna.id))


async def test_incident_routes_are_for_admins_on_other_existing_users(api: Client) -> None:
    root = await admin(api)
    anna = await register(api, "anna@example.com")
    unknown = uuid.uuid4()

    assert_problem(await api.get(f"{USERS}/{root.id}", headers=anna.auth), 403, "auth.forbidden")
    assert_problem(await api.get(f"{USERS}/{unknown}", headers=root.auth), 404, "user.not_found")
    for action in ("logout-all", "password-reset"):
        assert_problem(
            await api.post(f"{USERS}/{root.id}/{action}", headers=anna.auth), 403, "auth.forbidden"
        )
        assert_problem(
            await api.post(f"{USERS}/{unknown}/{action}", headers=root.auth), 404, "user.not_found"
        )
        assert_problem(
            await api.post(f"{USERS}/{root.id}/{action}", headers=root.auth), 422, "user.self_change"
        )
