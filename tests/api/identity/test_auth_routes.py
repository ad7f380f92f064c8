"""/auth through the real app: register, login, refresh rotation and theft detection, logout."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from aquastream.adapters.crypto.jwt_tokens import JwtAccessTokens
from aquastream.adapters.system import SystemClock
from tests.api.conftest import JWT_SECRET, a_user

from .conftest import PASSWORD, Client, assert_problem, login, register


async def test_registration_logs_the_user_in(api: Client) -> None:
    response = await api.post(
        "/api/v1/auth/register",
        json={"email": "Anna@Example.com", "password": PASSWORD, "phone": "+79001234567"},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["tokenType"] == "Bearer"
    assert body["expiresIn"] == 900
    assert body["refreshToken"]
    me = await api.get("/api/v1/users/me", headers={"Authorization": f"Bearer {body['accessToken']}"})
    assert me.status_code == 200
    assert me.json() | {"extra": {}} == {
        "id": body["userId"],
        "email": "anna@example.com",
        "emailVerified": False,
        "emailVerifiedAt": None,
        "role": "USER",
        "phone": "+79001234567",
        "telegram": None,
        "telegramVerified": False,
        "firstName": None,
        "lastName": None,
        "birthDate": None,
        "extra": {},
        "avatar": None,
    }


async def test_second_registration_with_the_same_email_in_any_case_is_refused(api: Client) -> None:
    await register(api, "anna@example.com")
    response = await api.post(
        "/api/v1/auth/register", json={"email": "ANNA@example.com", "password": PASSWORD}
    )
    assert_problem(response, 409, "user.email_taken")


async def test_weak_password_is_refused_with_every_broken_rule(api: Client) -> None:
    response = await api.post("/api/v1/auth/register", json={"email": "a@example.com", "password": "short"})
    body = assert_problem(response, 400, "password.weak")
    assert {error["field"] for error in body["errors"]} == {"password"}
    assert len(body["errors"]) >= 3
    login_attempt = await api.post("/api/v1/auth/login", json={"email": "a@example.com", "password": "short"})
    assert_problem(login_attempt, 401, "auth.invalid_credentials")


async def test_malformed_registration_bodies_are_400_and_create_nothing(api: Client) -> None:
    for body in (b"{not json", b'{"email": 5, "password": "x"}', b'{"password": "Paddle-Hard-2030!"}'):
        response = await api.post(
            "/api/v1/auth/register", content=body, headers={"Content-Type": "application/json"}
        )
        assert_problem(response, 400, "validation.failed")
    unknown_field = await api.post(
        "/api/v1/auth/register", json={"email": "b@example.com", "password": PASSWORD, "role": "ADMIN"}
    )
    assert_problem(unknown_field, 400, "validation.failed")
    assert (
        await api.post("/api/v1/auth/login", json={"email": "b@example.com", "password": PASSWORD})
    ).status_code == 401


async def test_wrong_password_and_unknown_email_get_the_same_answer(api: Client) -> None:
    await register(api, "anna@example.com")
    wrong = await api.post(
        "/api/v1/auth/login", json={"email": "anna@example.com", "password": "Wrong-Pass-2030!"}
    )
    unknown = await api.post("/api/v1/auth/login", json={"email": "nobody@example.com", "password": PASSWORD})
    first = assert_problem(wrong, 401, "auth.invalid_credentials")
    second = assert_problem(unknown, 401, "auth.invalid_credentials")
    assert {k: v for k, v in first.items() if k != "correlationId"} == {
        k: v for k, v in second.items() if k != "correlationId"
    }


async def test_login_is_case_insensitive_on_the_email(api: Client) -> None:
    await register(api, "anna@example.com")
    account = await login(api, "ANNA@EXAMPLE.COM")
    assert account.refresh_token


async def test_login_and_refresh_answer_whose_tokens_they_are(api: Client) -> None:
    registered = await register(api, "anna@example.com")

    logged_in = await api.post("/api/v1/auth/login", json={"email": "anna@example.com", "password": PASSWORD})
    refreshed = await api.post(
        "/api/v1/auth/refresh", json={"refreshToken": logged_in.json()["refreshToken"]}
    )

    assert logged_in.json()["userId"] == str(registered.id)
    assert refreshed.json()["userId"] == str(registered.id)


async def test_refresh_rotates_the_pair(api: Client) -> None:
    account = await register(api, "anna@example.com")
    response = await api.post("/api/v1/auth/refresh", json={"refreshToken": account.refresh_token})
    assert response.status_code == 200
    rotated = response.json()
    assert rotated["refreshToken"] != account.refresh_token
    me = await api.get("/api/v1/users/me", headers={"Authorization": f"Bearer {rotated['accessToken']}"})
    assert me.status_code == 200


async def test_replaying_a_rotated_refresh_token_revokes_the_whole_family(api: Client) -> None:
    account = await register(api, "anna@example.com")
    first = (await api.post("/api/v1/auth/refresh", json={"refreshToken": account.refresh_token})).json()
    replay = await api.post("/api/v1/auth/refresh", json={"refreshToken": account.refresh_token})
    assert_problem(replay, 401, "auth.invalid_refresh_token")
    stolen_successor = await api.post("/api/v1/auth/refresh", json={"refreshToken": first["refreshToken"]})
    assert_problem(stolen_successor, 401, "auth.invalid_refresh_token")


async def test_unknown_refresh_token_is_401(api: Client) -> None:
    response = await api.post("/api/v1/auth/refresh", json={"refreshToken": "made-up"})
    assert_problem(response, 401, "auth.invalid_refresh_token")


async def test_logout_revokes_that_session_only(api: Client) -> None:
    phone = await register(api, "anna@example.com")
    laptop = await login(api, "anna@example.com")
    response = await api.post(
        "/api/v1/auth/logout", json={"refreshToken": phone.refresh_token}, headers=phone.auth
    )
    assert response.status_code == 204
    revoked = await api.post("/api/v1/auth/refresh", json={"refreshToken": phone.refresh_token})
    assert_problem(revoked, 401, "auth.invalid_refresh_token")
    still_fine = await api.post("/api/v1/auth/refresh", json={"refreshToken": laptop.refresh_token})
    assert still_fine.status_code == 200


async def test_logout_cannot_revoke_someone_elses_session(api: Client) -> None:
    anna = await register(api, "anna@example.com")
    boris = await register(api, "boris@example.com")
    response = await api.post(
        "/api/v1/auth/logout", json={"refreshToken": anna.refresh_token}, headers=boris.auth
    )
    assert response.status_code == 204
    assert (
        await api.post("/api/v1/auth/refresh", json={"refreshToken": anna.refresh_token})
    ).status_code == 200


async def test_logout_everywhere_revokes_every_session(api: Client) -> None:
    phone = await register(api, "anna@example.com")
    laptop = await login(api, "anna@example.com")
    response = await api.post("/api/v1/auth/logout-all", headers=laptop.auth)
    assert response.status_code == 204
    for account in (phone, laptop):
        refresh = await api.post("/api/v1/auth/refresh", json={"refreshToken": account.refresh_token})
        assert_problem(refresh, 401, "auth.invalid_refresh_token")


async def test_logout_needs_a_token(api: Client) -> None:
    assert_problem(
        await api.post("/api/v1/auth/logout", json={"refreshToken": "x"}), 401, "auth.unauthenticated"
    )
    assert_problem(await api.post("/api/v1/auth/logout-all"), 401, "auth.unauthenticated")


async def test_expired_access_token_is_refused(api: Client) -> None:
    account = await register(api, "anna@example.com")
    tokens = JwtAccessTokens(JWT_SECRET, 900, clock=SystemClock())
    user = a_user(user_id=uuid.UUID(account.id))
    stale, _ = tokens.issue(user, now=datetime.now(UTC) - timedelta(hours=1), session_family_id=uuid.uuid4())
    response = await api.get("/api/v1/users/me", headers={"Authorization": f"Bearer {stale}"})
    assert_problem(response, 401, "auth.token_expired")


async def test_access_token_signed_with_another_key_is_refused(api: Client) -> None:
    account = await register(api, "anna@example.com")
    forger = JwtAccessTokens("another-secret-" + "z" * 60, 900, clock=SystemClock())
    user = a_user(user_id=uuid.UUID(account.id))
    forged, _ = forger.issue(user, now=datetime.now(UTC), session_family_id=uuid.uuid4())
    response = await api.get("/api/v1/users/me", headers={"Authorization": f"Bearer {forged}"})
    assert_problem(response, 401, "auth.token_invalid")


async def test_auth_routes_are_rate_limited_per_client(serve) -> None:  # type: ignore[no-untyped-def]
    async with serve(rate_limit_auth="3/minute") as client:
        answers = [
            await client.post("/api/v1/auth/login", json={"email": "x@example.com", "password": PASSWORD})
            for _ in range(4)
        ]
    assert [a.status_code for a in answers] == [401, 401, 401, 429]
    limited = assert_problem(answers[-1], 429, "rate_limit.exceeded")
    assert limited["status"] == 429
    assert int(answers[-1].headers["retry-after"]) > 0
    assert answers[0].headers["x-ratelimit-limit"] == "3"
