"""/users/me through the real app: profile, Telegram link, export and deletion."""

from __future__ import annotations

from tests.api.identity.conftest import Client, assert_problem, login, register


async def test_profile_fields_change_partially_and_null_clears(api: Client) -> None:
    anna = await register(api, "anna@example.com", phone="+79001234567")
    response = await api.put(
        "/api/v1/users/me",
        json={
            "firstName": "Anna",
            "telegram": "@anna_rafts",
            "birthDate": "1990-05-17",
            "extra": {"size": "M"},
        },
        headers=anna.auth,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["firstName"], body["telegram"], body["birthDate"], body["extra"]) == (
        "Anna",
        "@anna_rafts",
        "1990-05-17",
        {"size": "M"},
    )
    assert body["phone"] == "+79001234567"
    cleared = await api.put("/api/v1/users/me", json={"phone": None}, headers=anna.auth)
    assert cleared.json()["phone"] is None
    assert cleared.json()["firstName"] == "Anna"


async def test_invalid_profile_values_are_all_reported_and_nothing_changes(api: Client) -> None:
    anna = await register(api, "anna@example.com")
    await api.put("/api/v1/users/me", json={"firstName": "Anna"}, headers=anna.auth)
    response = await api.put(
        "/api/v1/users/me",
        json={
            "firstName": "Changed",
            "phone": "8-900-CALL-ME",
            "telegram": "no spaces allowed",
            "birthDate": "2999-01-01",
        },
        headers=anna.auth,
    )
    body = assert_problem(response, 400, "validation.failed")
    assert {e["field"] for e in body["errors"]} == {"phone", "telegram", "birthDate"}
    me = await api.get("/api/v1/users/me", headers=anna.auth)
    assert me.json()["firstName"] == "Anna"


async def test_oversized_extra_is_refused(api: Client) -> None:
    anna = await register(api, "anna@example.com")
    response = await api.put("/api/v1/users/me", json={"extra": {"notes": "x" * 9000}}, headers=anna.auth)
    body = assert_problem(response, 400, "validation.failed")
    assert [e["field"] for e in body["errors"]] == ["extra"]


async def test_wrongly_typed_profile_field_is_400(api: Client) -> None:
    anna = await register(api, "anna@example.com")
    response = await api.put("/api/v1/users/me", json={"birthDate": "yesterday"}, headers=anna.auth)
    assert_problem(response, 400, "validation.failed")


async def test_profile_needs_a_token(api: Client) -> None:
    assert_problem(await api.get("/api/v1/users/me"), 401, "auth.unauthenticated")
    assert_problem(await api.put("/api/v1/users/me", json={}), 401, "auth.unauthenticated")


async def test_telegram_link_is_a_deep_link_to_the_bot(api: Client) -> None:
    anna = await register(api, "anna@example.com")
    response = await api.post("/api/v1/users/me/telegram/link", headers=anna.auth)
    assert response.status_code == 200
    body = response.json()
    assert body["url"].startswith("https://t.me/AquaStreamBot?start=")
    code = body["url"].split("start=", 1)[1]
    assert 20 <= len(code) <= 64
    assert body["expiresAt"].endswith("Z")


async def test_export_holds_the_users_data_as_a_download(api: Client) -> None:
    anna = await register(api, "anna@example.com", phone="+79001234567")
    response = await api.get("/api/v1/users/me/export", headers=anna.auth)
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    text = response.text
    assert "anna@example.com" in text
    assert "+79001234567" in text
    assert "passwordHash" not in text
    assert "argon2" not in text


async def test_deleting_the_account_anonymises_it_and_ends_every_session(api: Client) -> None:
    anna = await register(api, "anna@example.com", phone="+79001234567")
    response = await api.delete("/api/v1/users/me", headers=anna.auth)
    assert response.status_code == 204
    login_attempt = await api.post(
        "/api/v1/auth/login", json={"email": anna.email, "password": anna.password}
    )
    assert_problem(login_attempt, 401, "auth.invalid_credentials")
    refresh = await api.post("/api/v1/auth/refresh", json={"refreshToken": anna.refresh_token})
    assert_problem(refresh, 401, "auth.invalid_refresh_token")
    again = await register(api, "anna@example.com")
    assert again.id != anna.id


async def test_recovery_flow_sets_a_new_password_and_revokes_sessions(api: Client, sender) -> None:  # type: ignore[no-untyped-def]
    anna = await register(api, "anna@example.com")
    init = await api.post("/api/v1/auth/recovery/init", json={"email": "anna@example.com"})
    unknown = await api.post("/api/v1/auth/recovery/init", json={"email": "ghost@example.com"})
    assert init.status_code == unknown.status_code == 202
    assert init.json() == unknown.json()
    assert [s.email for s in sender.sent] == ["anna@example.com"]

    code = sender.last_code_for("anna@example.com")
    wrong = "000000" if code != "000000" else "111111"
    bad = await api.post("/api/v1/auth/recovery/verify", json={"email": "anna@example.com", "code": wrong})
    assert_problem(bad, 422, "recovery.invalid_code")
    verified = await api.post(
        "/api/v1/auth/recovery/verify", json={"email": "anna@example.com", "code": code}
    )
    assert verified.status_code == 200
    reset_token = verified.json()["resetToken"]

    weak = await api.post(
        "/api/v1/auth/recovery/reset", json={"resetToken": reset_token, "newPassword": "weak"}
    )
    assert_problem(weak, 400, "password.weak")
    reset = await api.post(
        "/api/v1/auth/recovery/reset", json={"resetToken": reset_token, "newPassword": "Brand-New-Oar-2031!"}
    )
    assert reset.status_code == 204
    reused = await api.post(
        "/api/v1/auth/recovery/reset", json={"resetToken": reset_token, "newPassword": "Other-New-Oar-2031!"}
    )
    assert_problem(reused, 422, "recovery.invalid_reset_token")

    assert_problem(
        await api.post("/api/v1/auth/refresh", json={"refreshToken": anna.refresh_token}),
        401,
        "auth.invalid_refresh_token",
    )
    old = await api.post("/api/v1/auth/login", json={"email": anna.email, "password": anna.password})
    assert_problem(old, 401, "auth.invalid_credentials")
    assert (await login(api, "anna@example.com", "Brand-New-Oar-2031!")).access_token


async def test_a_recovery_code_allows_five_tries(api: Client, sender) -> None:  # type: ignore[no-untyped-def]
    await register(api, "anna@example.com")
    await api.post("/api/v1/auth/recovery/init", json={"email": "anna@example.com"})
    code = sender.last_code_for("anna@example.com")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        answer = await api.post(
            "/api/v1/auth/recovery/verify", json={"email": "anna@example.com", "code": wrong}
        )
        assert_problem(answer, 422, "recovery.invalid_code")
    sixth = await api.post("/api/v1/auth/recovery/verify", json={"email": "anna@example.com", "code": code})
    assert_problem(sixth, 422, "recovery.too_many_attempts")
