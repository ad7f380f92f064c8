"""/admin through the real app: users, roles, blocking, audit, health and info."""

from __future__ import annotations

import uuid

from tests.api.identity.conftest import PASSWORD, Client, admin, assert_problem, login, register


async def test_only_admins_reach_the_admin_routes(api: Client) -> None:
    anna = await register(api, "anna@example.com")
    assert_problem(await api.get("/api/v1/admin/users"), 401, "auth.unauthenticated")
    assert_problem(await api.get("/api/v1/admin/users", headers=anna.auth), 403, "auth.forbidden")
    assert_problem(await api.get("/api/v1/admin/info", headers=anna.auth), 403, "auth.forbidden")


async def test_admin_lists_and_searches_users_with_paging(api: Client) -> None:
    root = await admin(api)
    for name in ("anna", "boris", "vera"):
        await register(api, f"{name}@example.com")
    everyone = (await api.get("/api/v1/admin/users", headers=root.auth)).json()
    assert everyone["total"] == 4
    assert [u["email"] for u in everyone["items"]][:3] == [
        "vera@example.com",
        "boris@example.com",
        "anna@example.com",
    ]

    found = (await api.get("/api/v1/admin/users", params={"q": "BOR"}, headers=root.auth)).json()
    assert [u["email"] for u in found["items"]] == ["boris@example.com"]
    admins = (await api.get("/api/v1/admin/users", params={"role": "ADMIN"}, headers=root.auth)).json()
    assert [u["email"] for u in admins["items"]] == ["root@example.com"]
    paged = (await api.get("/api/v1/admin/users", params={"page": 1, "size": 3}, headers=root.auth)).json()
    assert (paged["page"], paged["size"], paged["total"], paged["totalPages"], len(paged["items"])) == (
        1,
        3,
        4,
        2,
        1,
    )


async def test_the_active_filter_separates_blocked_users(api: Client) -> None:
    root = await admin(api)
    anna = await register(api, "anna@example.com")
    await register(api, "boris@example.com")
    blocked = await api.post(f"/api/v1/admin/users/{anna.id}/block", headers=root.auth)
    assert blocked.status_code == 200, blocked.text

    async def emails(active: str) -> list[str]:
        page = await api.get("/api/v1/admin/users", params={"active": active}, headers=root.auth)
        assert page.status_code == 200, page.text
        return [user["email"] for user in page.json()["items"]]

    assert await emails("false") == ["anna@example.com"]
    assert await emails("true") == ["boris@example.com", "root@example.com"]


async def test_bad_paging_and_filters_are_400(api: Client) -> None:
    root = await admin(api)
    for params in (
        {"size": 0},
        {"size": 101},
        {"page": -1},
        {"page": "first"},
        {"role": "KING"},
        {"active": "maybe"},
    ):
        response = await api.get("/api/v1/admin/users", params=params, headers=root.auth)
        assert_problem(response, 400, "validation.failed")


async def test_changing_a_role_takes_effect_and_revokes_the_users_sessions(api: Client) -> None:
    root = await admin(api)
    anna = await register(api, "anna@example.com")
    response = await api.post(
        f"/api/v1/admin/users/{anna.id}/role", json={"role": "ORGANIZER"}, headers=root.auth
    )
    assert response.status_code == 200
    assert response.json()["role"] == "ORGANIZER"
    revoked = await api.post("/api/v1/auth/refresh", json={"refreshToken": anna.refresh_token})
    assert_problem(revoked, 401, "auth.invalid_refresh_token")
    again = await login(api, "anna@example.com")
    assert (await api.get("/api/v1/users/me", headers=again.auth)).json()["role"] == "ORGANIZER"


async def test_role_change_errors(api: Client) -> None:
    root = await admin(api)
    anna = await register(api, "anna@example.com")
    bad_role = await api.post(f"/api/v1/admin/users/{anna.id}/role", json={"role": "KING"}, headers=root.auth)
    assert_problem(bad_role, 400, "validation.failed")
    unknown = await api.post(
        f"/api/v1/admin/users/{uuid.uuid4()}/role", json={"role": "USER"}, headers=root.auth
    )
    assert_problem(unknown, 404, "user.not_found")
    own = await api.post(f"/api/v1/admin/users/{root.id}/role", json={"role": "USER"}, headers=root.auth)
    assert_problem(own, 422, "user.self_change")
    not_a_uuid = await api.post("/api/v1/admin/users/42/role", json={"role": "USER"}, headers=root.auth)
    assert not_a_uuid.status_code in (400, 404)


async def test_blocked_users_cannot_log_in_until_unblocked(api: Client) -> None:
    root = await admin(api)
    anna = await register(api, "anna@example.com")
    blocked = await api.post(f"/api/v1/admin/users/{anna.id}/block", headers=root.auth)
    assert blocked.status_code == 200
    assert blocked.json()["active"] is False
    refused = await api.post("/api/v1/auth/login", json={"email": anna.email, "password": PASSWORD})
    assert_problem(refused, 403, "user.blocked")
    assert_problem(
        await api.post("/api/v1/auth/refresh", json={"refreshToken": anna.refresh_token}),
        401,
        "auth.invalid_refresh_token",
    )
    unblocked = await api.post(f"/api/v1/admin/users/{anna.id}/unblock", headers=root.auth)
    assert unblocked.json()["active"] is True
    assert (await login(api, "anna@example.com")).access_token


async def test_admin_cannot_block_themselves(api: Client) -> None:
    root = await admin(api)
    assert_problem(
        await api.post(f"/api/v1/admin/users/{root.id}/block", headers=root.auth), 422, "user.self_change"
    )


async def test_audit_log_records_who_did_what_from_where(api: Client) -> None:
    root = await admin(api)
    anna = await register(api, "anna@example.com")
    await api.post("/api/v1/auth/login", json={"email": anna.email, "password": "Wrong-Pass-2030!"})
    await login(api, "anna@example.com")
    await api.post(f"/api/v1/admin/users/{anna.id}/block", headers=root.auth)
    response = await api.get(f"/api/v1/admin/users/{anna.id}/audit", headers=root.auth)
    assert response.status_code == 200
    entries = response.json()["items"]
    actions = [e["action"] for e in entries]
    assert actions[0] == "BLOCKED"
    assert {"REGISTERED", "LOGIN_FAILED", "LOGIN", "BLOCKED"} <= set(actions)
    blocked = entries[0]
    assert blocked["actorId"] == root.id
    assert blocked["targetId"] == anna.id
    assert blocked["ip"]
    assert_problem(
        await api.get(f"/api/v1/admin/users/{uuid.uuid4()}/audit", headers=root.auth), 404, "user.not_found"
    )


async def test_admin_health_reports_each_dependency_with_latency(api: Client) -> None:
    root = await admin(api)
    body = (await api.get("/api/v1/admin/health", headers=root.auth)).json()
    assert body["status"] == "UP"
    (database,) = [d for d in body["dependencies"] if d["name"] == "database"]
    assert database["status"] == "UP"
    assert database["latencyMs"] >= 0


async def test_admin_info_shows_the_build(api: Client) -> None:
    root = await admin(api)
    body = (await api.get("/api/v1/admin/info", headers=root.auth)).json()
    assert body["name"] == "aquastream"
    assert body["version"] == "0.1.0"
    assert {"gitRevision", "buildTime"} <= body.keys()
