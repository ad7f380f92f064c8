"""``sort`` on the administrator's lists through the real app: users by ``createdAt`` (the
default, newest first) or ``email`` (lower-case, by code point on every database), a user's
audit by ``createdAt``; an unknown field is a 400 naming the allowed ones."""

from __future__ import annotations

import pytest

from tests.api.identity.conftest import Client, admin, assert_problem, login, register

USERS = "/api/v1/admin/users"


async def test_users_sort_by_creation_or_by_email(api: Client) -> None:
    root = await admin(api)
    for name in ("boris", "anna", "vera"):
        await register(api, f"{name}@example.com")

    async def emails(**params: str | int) -> list[str]:
        response = await api.get(USERS, params=params, headers=root.auth)
        assert response.status_code == 200, response.text
        return [user["email"].removesuffix("@example.com") for user in response.json()["items"]]

    assert await emails() == ["vera", "anna", "boris", "root"]
    assert await emails(sort="-createdAt") == await emails()
    assert await emails(sort="createdAt") == ["root", "boris", "anna", "vera"]
    assert await emails(sort="email") == ["anna", "boris", "root", "vera"]
    assert await emails(sort="-email", size=3) == ["vera", "root", "boris"]
    assert await emails(sort="email", q="r") == ["boris", "root", "vera"]


async def test_a_users_audit_sorts_newest_or_oldest_first(api: Client) -> None:
    root = await admin(api)
    anna = await register(api, "anna@example.com")
    await login(api, "anna@example.com")
    await api.post(f"{USERS}/{anna.id}/block", headers=root.auth)

    async def actions(**params: str) -> list[str]:
        response = await api.get(f"{USERS}/{anna.id}/audit", params=params, headers=root.auth)
        assert response.status_code == 200, response.text
        return [entry["action"] for entry in response.json()["items"]]

    newest_first = await actions()
    assert (newest_first[0], newest_first[-1]) == ("BLOCKED", "REGISTERED")
    assert await actions(sort="-createdAt") == newest_first
    assert await actions(sort="createdAt") == list(reversed(newest_first))


@pytest.mark.parametrize(
    ("path", "allowed"),
    [("", "createdAt, -createdAt, email, -email"), ("/{id}/audit", "createdAt, -createdAt")],
)
@pytest.mark.parametrize("sort", ["role", "", "+email", "-", "at"])
async def test_an_unknown_sort_field_is_400_naming_the_allowed_ones(
    api: Client, path: str, allowed: str, sort: str
) -> None:
    root = await admin(api)
    url = USERS + path.replace("{id}", root.id)

    response = await api.get(url, params={"sort": sort}, headers=root.auth)

    body = assert_problem(response, 400, "validation.failed")
    assert body["errors"] == [{"field": "sort", "message": f"expected one of {allowed}; got {sort}"}]


async def test_the_openapi_document_lists_the_admin_sort_fields(api: Client) -> None:
    document = (await api.get("/api/v1/openapi.json")).json()

    def sort_enum(path: str) -> list[str]:
        (parameter,) = [p for p in document["paths"][path]["get"]["parameters"] if p["name"] == "sort"]
        enum: list[str] = parameter["schema"]["enum"]
        return enum

    assert sort_enum(USERS) == ["createdAt", "-createdAt", "email", "-email"]
    assert sort_enum(f"{USERS}/{{user_id}}/audit") == ["createdAt", "-createdAt"]
