"""Access tokens stop working within seconds of a block, a logout, a logout everywhere or a
password reset (the user's own, or one an admin forces), on every kind of route, on every
instance of the service.

Two instances of the app share one database, as two replicas behind a load balancer do:
the revocation is made on ``here``, the token is used on ``there``, which learns of it only
from the database, when it next reads what was revoked.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
import pytest
from dishka import Provider, Scope, provide

from aquastream.adapters.memory.senders import MemoryRecoveryCodeSender
from aquastream.adapters.sql.engine import create_engine
from aquastream.adapters.sql.identity.revocations import SqlRevocationFeed
from aquastream.ports.identity import RevocationFeed
from tests.api.booking.kit import booked, participant
from tests.api.catalog.kit import API, open_page, organizer_account, published_event
from tests.api.conftest import JWT_SECRET, Bearer, Serve
from tests.api.identity.conftest import (
    PASSWORD,
    Account,
    Client,
    RecordingSenderProvider,
    admin,
    assert_problem,
    login,
)
from tests.api.media.kit import upload
from tests.unit.media.samples import PNG

REVOCATION_BOUND_SECONDS = 5.0
FAST_POLL_SECONDS = 0.1
NEW_PASSWORD = "Brand-New-Oar-2031!"


@dataclass
class Scene:
    here: Client
    there: Client
    root: Account
    pavel: Account  # a participant holding a booking
    booking_id: str


Instances = Callable[..., AbstractAsyncContextManager[tuple[Client, Client]]]


@pytest.fixture
def instances(serve: Serve, sender: MemoryRecoveryCodeSender, tmp_path: Path) -> Instances:
    """``async with instances(**settings) as (here, there)``: two apps on one database."""

    @asynccontextmanager
    async def both(**overrides: Any) -> AsyncIterator[tuple[Client, Client]]:
        settings = {"rate_limit_enabled": False, "media_dir": str(tmp_path / "media"), **overrides}
        async with serve(RecordingSenderProvider(sender), **settings) as here, serve(**settings) as there:
            yield here, there

    return both


async def make_scene(here: Client, there: Client) -> Scene:
    root = await admin(here)
    anna = await organizer_account(here, root, "anna@example.com")
    await open_page(here, anna, "river-rats", "River Rats")
    event = await published_event(here, anna, "river-rats")
    pavel = await participant(here, "pavel@example.com")
    booking = await booked(here, pavel, event["id"])
    return Scene(here, there, root, pavel, booking["id"])


# How each revocation is made, on ``here``.


async def block(scene: Scene) -> None:
    response = await scene.here.post(f"{API}/admin/users/{scene.pavel.id}/block", headers=scene.root.auth)
    assert response.status_code == 200, response.text


async def log_out(scene: Scene) -> None:
    response = await scene.here.post(
        f"{API}/auth/logout", json={"refreshToken": scene.pavel.refresh_token}, headers=scene.pavel.auth
    )
    assert response.status_code == 204, response.text


async def log_out_everywhere(scene: Scene) -> None:
    response = await scene.here.post(f"{API}/auth/logout-all", headers=scene.pavel.auth)
    assert response.status_code == 204, response.text


async def reset_password(scene: Scene, sender: MemoryRecoveryCodeSender) -> None:
    email = scene.pavel.email
    assert (await scene.here.post(f"{API}/auth/recovery/init", json={"email": email})).status_code == 202
    verified = await scene.here.post(
        f"{API}/auth/recovery/verify", json={"email": email, "code": sender.last_code_for(email)}
    )
    assert verified.status_code == 200, verified.text
    reset = await scene.here.post(
        f"{API}/auth/recovery/reset",
        json={"resetToken": verified.json()["resetToken"], "newPassword": NEW_PASSWORD},
    )
    assert reset.status_code == 204, reset.text


async def admin_acts(scene: Scene, action: str) -> None:
    """An admin's incident tool: ``logout-all`` or ``password-reset`` of the participant."""
    response = await scene.here.post(f"{API}/admin/users/{scene.pavel.id}/{action}", headers=scene.root.auth)
    assert response.status_code == 200, response.text


REVOCATIONS: dict[str, Callable[[Scene, MemoryRecoveryCodeSender], Awaitable[None]]] = {
    "block": lambda scene, _: block(scene),
    "logout": lambda scene, _: log_out(scene),
    "logout-all": lambda scene, _: log_out_everywhere(scene),
    "password-reset": reset_password,
    "admin-logout-all": lambda scene, _: admin_acts(scene, "logout-all"),
    "admin-password-reset": lambda scene, _: admin_acts(scene, "password-reset"),
}


# What a token reaches: a read, a booking cancellation, the data export and an upload.


async def routes_answered(client: Client, account: Account, booking_id: str) -> dict[str, Any]:
    return {
        "read": await client.get(f"{API}/users/me", headers=account.auth),
        "cancel": await client.post(f"{API}/bookings/{booking_id}/cancel", headers=account.auth),
        "export": await client.get(f"{API}/users/me/export", headers=account.auth),
        "upload": await upload(client, account, "avatar", account.id, PNG),
        "public": await client.get(f"{API}/events", headers=account.auth),
    }


async def seconds_until_refused(client: Client, account: Account, started: float) -> float:
    """Polls a read with ``account``'s token until it is refused; seconds since ``started``."""
    while True:
        response = await client.get(f"{API}/users/me", headers=account.auth)
        elapsed = time.monotonic() - started
        if response.status_code != 200 or elapsed > REVOCATION_BOUND_SECONDS:
            assert_problem(response, 401, "auth.token_revoked")
            return elapsed
        await asyncio.sleep(0.05)


def assert_all_revoked(answers: dict[str, Any], token: str) -> None:
    for route, response in answers.items():
        assert response.status_code == 401, (route, response.text)
        assert_problem(response, 401, "auth.token_revoked")
        assert token not in response.text


@pytest.mark.parametrize("revocation", list(REVOCATIONS))
async def test_a_revoked_token_is_refused_on_every_kind_of_route_within_the_bound(
    instances: Instances, sender: MemoryRecoveryCodeSender, revocation: str
) -> None:
    async with instances(access_revocation_poll_seconds=FAST_POLL_SECONDS) as (here, there):
        scene = await make_scene(here, there)
        assert (await there.get(f"{API}/users/me", headers=scene.pavel.auth)).status_code == 200

        started = time.monotonic()
        await REVOCATIONS[revocation](scene, sender)
        elapsed = await seconds_until_refused(there, scene.pavel, started)

        assert elapsed <= REVOCATION_BOUND_SECONDS
        assert_all_revoked(
            await routes_answered(there, scene.pavel, scene.booking_id), scene.pavel.access_token
        )
        assert_all_revoked(
            await routes_answered(here, scene.pavel, scene.booking_id), scene.pavel.access_token
        )
        booking = await here.get(f"{API}/bookings/{scene.booking_id}", headers=scene.root.auth)
        assert booking.json()["status"] == "PENDING"  # the refused cancellation did nothing


async def test_a_logout_leaves_the_users_other_sessions_working(instances: Instances) -> None:
    async with instances(access_revocation_poll_seconds=FAST_POLL_SECONDS) as (here, there):
        scene = await make_scene(here, there)
        laptop = await login(here, scene.pavel.email)

        started = time.monotonic()
        await log_out(scene)
        await seconds_until_refused(there, scene.pavel, started)

        answers = await routes_answered(there, laptop, scene.booking_id)
        assert {route: response.status_code for route, response in answers.items()} == {
            "read": 200,
            "cancel": 200,
            "export": 200,
            "upload": 201,
            "public": 200,
        }
        refreshed = await there.post(f"{API}/auth/refresh", json={"refreshToken": laptop.refresh_token})
        assert refreshed.status_code == 200, refreshed.text


async def test_the_default_bound_holds_across_instances_and_the_revoking_one_refuses_at_once(
    instances: Instances,
) -> None:
    async with instances() as (here, there):
        scene = await make_scene(here, there)
        assert (await there.get(f"{API}/users/me", headers=scene.pavel.auth)).status_code == 200

        started = time.monotonic()
        await log_out_everywhere(scene)
        refused_here = await here.get(f"{API}/users/me", headers=scene.pavel.auth)
        assert_problem(refused_here, 401, "auth.token_revoked")

        assert await seconds_until_refused(there, scene.pavel, started) <= REVOCATION_BOUND_SECONDS


async def test_a_password_change_lets_the_new_login_in_at_once(
    instances: Instances, sender: MemoryRecoveryCodeSender
) -> None:
    async with instances() as (here, there):
        scene = await make_scene(here, there)

        await reset_password(scene, sender)
        again = await login(here, scene.pavel.email, NEW_PASSWORD)

        for client in (here, there):
            assert (await client.get(f"{API}/users/me", headers=again.auth)).status_code == 200


async def test_a_token_from_before_sessions_were_named_is_judged_by_its_account(
    instances: Instances,
) -> None:
    async with instances(access_revocation_poll_seconds=FAST_POLL_SECONDS) as (here, there):
        scene = await make_scene(here, there)
        claims = jwt.decode(scene.pavel.access_token, JWT_SECRET, algorithms=["HS512"])
        del claims["sid"]
        claims["iat"] -= 60  # such tokens were all issued before the change was deployed
        legacy = dataclasses.replace(scene.pavel, access_token=jwt.encode(claims, JWT_SECRET, "HS512"))
        assert (await there.get(f"{API}/users/me", headers=legacy.auth)).status_code == 200

        await log_out(scene)  # one session: the legacy token cannot tell which was its own
        await asyncio.sleep(5 * FAST_POLL_SECONDS)
        assert (await there.get(f"{API}/users/me", headers=legacy.auth)).status_code == 200

        again = await _logged_in_again(scene)
        started = time.monotonic()
        await log_out_everywhere(again)
        assert await seconds_until_refused(there, legacy, started) <= REVOCATION_BOUND_SECONDS


async def _logged_in_again(scene: Scene) -> Scene:
    return dataclasses.replace(scene, pavel=await login(scene.here, scene.pavel.email, PASSWORD))


class UnreachableDatabase(Provider):
    """Identity's real revocation feed, on a database nobody listens for."""

    @provide(scope=Scope.APP)
    async def feed(self) -> AsyncIterator[RevocationFeed]:
        engine = create_engine("postgresql+asyncpg://postgres@127.0.0.1:1/aquastream")
        yield SqlRevocationFeed(engine)
        await engine.dispose()


async def test_a_token_that_cannot_be_checked_is_answered_503_to_retry(serve: Serve, bearer: Bearer) -> None:
    headers = bearer()

    async with serve(UnreachableDatabase()) as client:
        checked = await client.get(f"{API}/users/me", headers=headers)
        anonymous = await client.get(f"{API}/events")

    body = assert_problem(checked, 503, "service.unavailable")
    assert checked.headers["retry-after"] == "1"
    assert headers["Authorization"].removeprefix("Bearer ") not in str(body)
    assert anonymous.status_code == 200
