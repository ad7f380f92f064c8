"""``/users/me/sessions``: the caller's live logins with their device, and revoking one of them."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

import jwt
from litestar.status_codes import HTTP_204_NO_CONTENT

from tests.api.conftest import JWT_SECRET, Serve, ServeFrom
from tests.api.identity.conftest import PASSWORD, Account, Client, assert_problem, register

SESSIONS = "/api/v1/users/me/sessions"
PHONE_APP = "AquaStream/2.1 (iPhone; iOS 18.1)"
LAPTOP_BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"


def session_of(account: Account) -> str:
    """The session the account's access token was issued in (its ``sid``)."""
    sid: str = jwt.decode(account.access_token, JWT_SECRET, algorithms=["HS512"])["sid"]
    return sid


async def sessions(client: Client, account: Account) -> list[dict[str, Any]]:
    response = await client.get(SESSIONS, headers=account.auth)
    assert response.status_code == 200, response.text
    listed: list[dict[str, Any]] = response.json()
    return listed


async def phone_and_laptop(api: Client) -> tuple[Account, Account]:
    """Ivan registers on his phone, then logs in on his laptop."""
    response = await api.post(
        "/api/v1/auth/register",
        json={"email": "ivan@example.com", "password": PASSWORD},
        headers={"User-Agent": PHONE_APP},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    phone = Account(body["userId"], "ivan@example.com", PASSWORD, body["accessToken"], body["refreshToken"])
    laptop = await login_with(api, "ivan@example.com", LAPTOP_BROWSER)
    return phone, laptop


async def login_with(api: Client, email: str, user_agent: str) -> Account:
    response = await api.post(
        "/api/v1/auth/login", json={"email": email, "password": PASSWORD}, headers={"User-Agent": user_agent}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    return Account("", email, PASSWORD, body["accessToken"], body["refreshToken"])


async def refresh(api: Client, account: Account, user_agent: str = PHONE_APP) -> Any:
    return await api.post(
        "/api/v1/auth/refresh",
        json={"refreshToken": account.refresh_token},
        headers={"User-Agent": user_agent},
    )


async def test_the_caller_sees_their_live_sessions_newest_first_and_which_one_is_theirs(api: Client) -> None:
    phone, laptop = await phone_and_laptop(api)
    await register(api, "olga@example.com")

    listed = await sessions(api, laptop)

    assert [(s["id"], s["userAgent"], s["current"]) for s in listed] == [
        (session_of(laptop), LAPTOP_BROWSER, True),
        (session_of(phone), PHONE_APP, False),
    ]
    assert set(listed[0]) == {"id", "createdAt", "lastUsedAt", "userAgent", "ip", "current"}
    assert listed[0]["ip"] == "testclient"  # the test client's peer, as the app sees it
    assert [s["current"] for s in await sessions(api, phone)] == [False, True]


async def test_no_token_or_secret_is_listed(api: Client) -> None:
    phone, laptop = await phone_and_laptop(api)

    text = (await api.get(SESSIONS, headers=laptop.auth)).text

    for secret in (phone.refresh_token, laptop.refresh_token, phone.access_token, laptop.access_token):
        assert secret not in text


async def test_a_refresh_keeps_the_session_and_updates_its_last_use_and_device(api: Client) -> None:
    phone, _ = await phone_and_laptop(api)
    [before] = [s for s in await sessions(api, phone) if s["current"]]

    response = await refresh(api, phone, "AquaStream/2.2 (iPhone; iOS 18.2)")
    assert response.status_code == 200, response.text
    refreshed = dataclasses.replace(
        phone, access_token=response.json()["accessToken"], refresh_token=response.json()["refreshToken"]
    )

    [after] = [s for s in await sessions(api, refreshed) if s["current"]]
    assert after["id"] == before["id"] == session_of(refreshed)
    assert after["createdAt"] == before["createdAt"]
    assert after["lastUsedAt"] > before["lastUsedAt"]
    assert after["userAgent"] == "AquaStream/2.2 (iPhone; iOS 18.2)"


async def test_revoking_a_session_ends_its_refresh_token_and_access_token(api: Client) -> None:
    phone, laptop = await phone_and_laptop(api)

    response = await api.delete(f"{SESSIONS}/{session_of(phone)}", headers=laptop.auth)

    assert response.status_code == HTTP_204_NO_CONTENT
    assert_problem(await refresh(api, phone), 401, "auth.invalid_refresh_token")
    assert (await api.get("/api/v1/users/me", headers=phone.auth)).status_code == 401
    assert [s["id"] for s in await sessions(api, laptop)] == [session_of(laptop)]
    audit = await api.get("/api/v1/users/me/export", headers=laptop.auth)
    assert any(e["action"] == "SESSION_REVOKED" for e in audit.json()["auditLog"])


async def test_the_caller_may_revoke_their_current_session(api: Client) -> None:
    phone, laptop = await phone_and_laptop(api)

    response = await api.delete(f"{SESSIONS}/{session_of(laptop)}", headers=laptop.auth)

    assert response.status_code == HTTP_204_NO_CONTENT
    assert (await api.get(SESSIONS, headers=laptop.auth)).status_code == 401
    assert_problem(await refresh(api, laptop), 401, "auth.invalid_refresh_token")
    assert [s["id"] for s in await sessions(api, phone)] == [session_of(phone)]


async def test_another_users_unknown_or_revoked_session_is_not_found(api: Client) -> None:
    phone, laptop = await phone_and_laptop(api)
    olga = await register(api, "olga@example.com")
    await api.delete(f"{SESSIONS}/{session_of(phone)}", headers=laptop.auth)

    for session_id in (session_of(olga), str(uuid.uuid4()), session_of(phone)):
        response = await api.delete(f"{SESSIONS}/{session_id}", headers=laptop.auth)
        assert_problem(response, 404, "session.not_found")

    assert [s["current"] for s in await sessions(api, olga)] == [True]


async def test_a_malformed_session_id_is_a_client_error_not_a_crash(api: Client) -> None:
    _, laptop = await phone_and_laptop(api)

    response = await api.delete(f"{SESSIONS}/not-a-session", headers=laptop.auth)

    assert 400 <= response.status_code < 500
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_sessions_need_an_authenticated_caller(api: Client) -> None:
    phone, _ = await phone_and_laptop(api)

    assert_problem(await api.get(SESSIONS), 401, "auth.unauthenticated")
    assert_problem(await api.delete(f"{SESSIONS}/{session_of(phone)}"), 401, "auth.unauthenticated")


async def test_a_token_that_names_no_session_marks_none_as_current(api: Client) -> None:
    _, laptop = await phone_and_laptop(api)
    claims = jwt.decode(laptop.access_token, JWT_SECRET, algorithms=["HS512"])
    del claims["sid"]
    legacy = dataclasses.replace(laptop, access_token=jwt.encode(claims, JWT_SECRET, "HS512"))

    assert [s["current"] for s in await sessions(api, legacy)] == [False, False]


async def test_the_address_is_the_client_behind_a_trusted_proxy(serve_from: ServeFrom) -> None:
    async with serve_from("10.0.0.2", trusted_proxies=["10.0.0.2"], rate_limit_enabled=False) as client:
        headers = {"X-Forwarded-For": "203.0.113.7", "User-Agent": "x" * 2000}
        response = await client.post(
            "/api/v1/auth/register", json={"email": "ivan@example.com", "password": PASSWORD}, headers=headers
        )
        assert response.status_code == 201, response.text
        token = response.json()["accessToken"]
        listed = (await client.get(SESSIONS, headers={"Authorization": f"Bearer {token}"})).json()

    assert [(s["ip"], len(s["userAgent"])) for s in listed] == [("203.0.113.7", 512)]


async def test_the_routes_are_documented(api: Client) -> None:
    paths = (await api.get("/api/v1/openapi.json")).json()["paths"]

    listing = paths[SESSIONS]["get"]
    revoking = paths[SESSIONS + "/{session_id}"]["delete"]
    assert listing["summary"] == "The caller's live sessions, newest login first"
    assert "current" in listing["description"]
    assert revoking["summary"] == "Revoke one of the caller's sessions"
    assert "404" in revoking["description"]


async def test_the_routes_count_against_the_default_rate_limit(serve: Serve) -> None:
    async with serve(rate_limit_enabled=True, rate_limit_default="100/minute") as client:
        phone, _ = await phone_and_laptop(client)

        listing = await client.get(SESSIONS, headers=phone.auth)
        revoking = await client.delete(f"{SESSIONS}/{uuid.uuid4()}", headers=phone.auth)

    assert (listing.headers["x-ratelimit-limit"], listing.headers["x-ratelimit-remaining"]) == ("100", "99")
    assert (revoking.headers["x-ratelimit-limit"], revoking.headers["x-ratelimit-remaining"]) == ("100", "98")
