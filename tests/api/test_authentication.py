"""Bearer tokens at the edge: default-deny, public routes, and 401s for bad tokens even where public."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import jwt
from litestar import Litestar
from litestar.testing import AsyncTestClient

from aquastream.adapters.crypto.jwt_tokens import JwtAccessTokens
from aquastream.domain.shared.principal import Role

from .conftest import Bearer, a_user
from .test_problems import assert_problem

Client = AsyncTestClient[Litestar]


def claims(**overrides: object) -> dict[str, object]:
    now = int(datetime.now(UTC).timestamp())
    values: dict[str, object] = {
        "sub": str(uuid.uuid4()),
        "username": "ann@example.org",
        "role": "USER",
        "jti": uuid.uuid4().hex,
        "iat": now,
        "exp": now + 900,
    }
    values.update(overrides)
    return values


def header(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_protected_route_without_token_is_unauthenticated(client: Client) -> None:
    response = await client.get("/api/v1/probe/me")

    assert_problem(response, 401, "auth.unauthenticated")
    assert response.headers["www-authenticate"] == "Bearer"


async def test_valid_token_reaches_the_handler_with_the_principal(client: Client, bearer: Bearer) -> None:
    user_id = uuid.uuid4()

    response = await client.get("/api/v1/probe/me", headers=bearer(Role.ORGANIZER, user_id=user_id))

    assert response.status_code == 200
    assert response.json() == {"userId": str(user_id), "role": "ORGANIZER", "email": "organizer@example.org"}


async def test_expired_token_is_refused_as_expired(client: Client, access_tokens: JwtAccessTokens) -> None:
    token, _ = access_tokens.issue(
        a_user(), now=datetime.now(UTC) - timedelta(hours=1), session_family_id=uuid.uuid4()
    )

    response = await client.get("/api/v1/probe/me", headers=header(token))

    assert_problem(response, 401, "auth.token_expired")


async def test_token_signed_with_another_key_is_invalid(client: Client) -> None:
    forged = jwt.encode(claims(role="ADMIN"), "someone-elses-key-" + "y" * 48, algorithm="HS512")

    assert_problem(await client.get("/api/v1/probe/me", headers=header(forged)), 401, "auth.token_invalid")


async def test_unsigned_token_with_alg_none_is_invalid(client: Client) -> None:
    unsigned = jwt.encode(claims(role="ADMIN"), key=None, algorithm="none")

    assert_problem(await client.get("/api/v1/probe/me", headers=header(unsigned)), 401, "auth.token_invalid")


async def test_token_signed_with_another_algorithm_is_invalid(client: Client, jwt_secret: str) -> None:
    other_algorithm = jwt.encode(claims(), jwt_secret, algorithm="HS256")

    assert_problem(
        await client.get("/api/v1/probe/me", headers=header(other_algorithm)), 401, "auth.token_invalid"
    )


async def test_token_missing_a_claim_is_invalid(client: Client, jwt_secret: str) -> None:
    without_role = claims()
    del without_role["role"]
    token = jwt.encode(without_role, jwt_secret, algorithm="HS512")

    assert_problem(await client.get("/api/v1/probe/me", headers=header(token)), 401, "auth.token_invalid")


async def test_garbage_token_is_invalid(client: Client) -> None:
    assert_problem(
        await client.get("/api/v1/probe/me", headers=header("not.a.jwt")), 401, "auth.token_invalid"
    )


async def test_other_authorization_scheme_is_invalid(client: Client) -> None:
    response = await client.get("/api/v1/probe/me", headers={"Authorization": "Basic YW5uOnNlY3JldA=="})

    assert_problem(response, 401, "auth.token_invalid")


async def test_public_route_works_anonymously(client: Client) -> None:
    response = await client.get("/api/v1/probe/public")

    assert response.status_code == 200
    assert response.json() == {"anonymous": True}


async def test_public_route_knows_an_authenticated_caller(client: Client, bearer: Bearer) -> None:
    response = await client.get("/api/v1/probe/public", headers=bearer())

    assert response.json() == {"anonymous": False}


async def test_route_declared_public_through_opt_works_anonymously(client: Client) -> None:
    assert (await client.get("/api/v1/probe/declared-public")).status_code == 200


async def test_bad_token_is_refused_even_on_a_public_route(client: Client) -> None:
    response = await client.get("/api/v1/probe/public", headers=header("not.a.jwt"))

    assert_problem(response, 401, "auth.token_invalid")


async def test_user_on_an_admin_route_is_forbidden(client: Client, bearer: Bearer) -> None:
    assert_problem(await client.get("/api/v1/probe/admin", headers=bearer(Role.USER)), 403, "auth.forbidden")


async def test_organizer_on_an_admin_route_is_forbidden(client: Client, bearer: Bearer) -> None:
    response = await client.get("/api/v1/probe/admin", headers=bearer(Role.ORGANIZER))

    assert_problem(response, 403, "auth.forbidden")


async def test_admin_on_an_admin_route_is_let_in(client: Client, bearer: Bearer) -> None:
    assert (await client.get("/api/v1/probe/admin", headers=bearer(Role.ADMIN))).status_code == 200


async def test_organizer_on_an_organizer_route_is_let_in(client: Client, bearer: Bearer) -> None:
    assert (await client.get("/api/v1/probe/organizer", headers=bearer(Role.ORGANIZER))).status_code == 200


async def test_admin_can_do_what_an_organizer_can(client: Client, bearer: Bearer) -> None:
    assert (await client.get("/api/v1/probe/organizer", headers=bearer(Role.ADMIN))).status_code == 200


async def test_user_on_an_organizer_route_is_forbidden(client: Client, bearer: Bearer) -> None:
    response = await client.get("/api/v1/probe/organizer", headers=bearer(Role.USER))

    assert_problem(response, 403, "auth.forbidden")


async def test_anonymous_on_a_role_route_is_unauthenticated_not_forbidden(client: Client) -> None:
    assert_problem(await client.get("/api/v1/probe/admin"), 401, "auth.unauthenticated")


async def test_controller_methods_follow_the_same_rules(client: Client, bearer: Bearer) -> None:
    user_id = uuid.uuid4()

    open_answer = await client.get("/api/v1/probe/controller/open")
    anonymous_mine = await client.get("/api/v1/probe/controller/mine")
    mine = await client.get("/api/v1/probe/controller/mine", headers=bearer(user_id=user_id))
    user_organizing = await client.post("/api/v1/probe/controller/organize", headers=bearer(Role.USER))
    organizer_organizing = await client.post(
        "/api/v1/probe/controller/organize", headers=bearer(Role.ORGANIZER)
    )

    assert open_answer.status_code == 200
    assert_problem(anonymous_mine, 401, "auth.unauthenticated")
    assert mine.json() == {"userId": str(user_id)}
    assert_problem(user_organizing, 403, "auth.forbidden")
    assert organizer_organizing.status_code == 201
