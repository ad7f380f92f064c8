"""Domains in processes of their own: one API serving without a worker, and two workers with
disjoint domain sets, on one PostgreSQL, through a participant's whole journey (register,
book a paid event, pay through the sandbox, be told, be seated in a crew, upload an avatar).

Every fact crosses from one process to another: the API commits it, the worker of its
publishing domain relays it, the worker of the reacting domain delivers it.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
import redis

from aquastream.adapters.redis.spine import STREAM_PREFIX
from tests.api.catalog.kit import event_body
from tests.api.live_server import cli, served, working
from tests.unit.media.samples import PNG

pytestmark = pytest.mark.postgres

PASSWORD = "Paddle-Hard-2030!"
ROUTING = ("identity,catalog,booking,payments", "notifications,crews,media,webhooks,tickets")


def _dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


@pytest.fixture(params=["database", pytest.param("redis-streams", marks=pytest.mark.redis)])
def settings(request: pytest.FixtureRequest, empty_postgres_url: str) -> dict[str, str]:
    """Facts cross the processes through the database's outboxes, or through Redis Streams."""
    chosen = {
        "AQUASTREAM_DATABASE_URL": empty_postgres_url,
        "AQUASTREAM_OUTBOX_POLL_SECONDS": "5",  # only the wake-ups can make the journey quick
        "AQUASTREAM_RATE_LIMIT_ENABLED": "false",
    }
    if request.param == "redis-streams":
        chosen["AQUASTREAM_REDIS_URL"] = request.getfixturevalue("redis_url")
    return chosen


@pytest.fixture
def processes(tmp_path: Path, settings: dict[str, str]) -> Iterator[tuple[str, Path, Path]]:
    migrated = cli(tmp_path, "migrate", **settings)
    assert migrated.returncode == 0, migrated.stderr
    first, second = ROUTING
    with (
        working(tmp_path, "--domains", first, log_name="worker-a.log", **settings) as log_a,
        working(tmp_path, "--domains", second, log_name="worker-b.log", **settings) as log_b,
        served(tmp_path, "--no-worker", **settings) as api,
    ):
        yield api, log_a, log_b


def _eventually(check: Callable[[], Any], what: str, seconds: float = 30) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    pytest.fail(f"{what} did not happen within {seconds} s")


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _told(dsn: str, user_id: str) -> set[str]:
    """What the user's messages speak of, as ``<kind>:<verb>`` (``booking:confirmed``)."""

    async def read() -> list[str]:
        connection = await asyncpg.connect(dsn)
        try:
            rows = await connection.fetch(
                "SELECT subject FROM notifications.messages WHERE user_id = $1", uuid.UUID(user_id)
            )
        finally:
            await connection.close()
        return [row["subject"] for row in rows]

    return {f"{subject.split(':')[0]}:{subject.split(':')[-1]}" for subject in asyncio.run(read())}


def test_one_api_and_two_workers_with_disjoint_domains_carry_the_whole_journey(
    processes: tuple[str, Path, Path], tmp_path: Path, settings: dict[str, str]
) -> None:
    base, log_a, log_b = processes
    api = f"{base}/api/v1"
    made = cli(tmp_path, "create-admin", "--email", "root@example.com", "--password", PASSWORD, **settings)
    assert made.returncode == 0, made.stderr
    root = httpx.post(f"{api}/auth/login", json={"email": "root@example.com", "password": PASSWORD}).json()
    root_auth = _auth(root["accessToken"])
    assert httpx.post(
        f"{api}/organizers", json={"slug": "rats", "name": "Rats"}, headers=root_auth
    ).is_success
    draft = httpx.post(f"{api}/events", json=event_body("rats"), headers=root_auth).json()
    assert httpx.post(f"{api}/events/{draft['id']}/publish", headers=root_auth).is_success

    registered = httpx.post(f"{api}/auth/register", json={"email": "pavel@example.com", "password": PASSWORD})
    assert registered.status_code == 201, registered.text
    pavel = _auth(registered.json()["accessToken"])
    pavel_id = httpx.get(f"{api}/users/me", headers=pavel).json()["id"]
    assert httpx.put(f"{api}/users/me", json={"phone": "+79990000001"}, headers=pavel).is_success

    booked = httpx.post(f"{api}/bookings", json={"eventId": draft["id"]}, headers=pavel)
    assert booked.status_code == 201, booked.text
    booking = booked.json()
    payment = httpx.post(
        f"{api}/payments", json={"bookingId": booking["id"], "method": "WIDGET"}, headers=pavel
    ).json()
    page = base + payment["confirmation"]["url"].removeprefix("http://localhost:8000")
    assert httpx.post(page).status_code == 200  # the payer pays; the sandbox's webhook is applied

    started = time.monotonic()
    _eventually(
        lambda: httpx.get(f"{api}/bookings/{booking['id']}", headers=pavel).json()["status"] == "CONFIRMED",
        "the confirmation of the paid booking (payments → booking, in worker A)",
    )
    confirmed_in = time.monotonic() - started
    dsn = _dsn(settings["AQUASTREAM_DATABASE_URL"])
    _eventually(
        lambda: {"payment:succeeded", "booking:confirmed"} <= _told(dsn, pavel_id),
        "the participant's messages (payments and booking → notifications, in worker B)",
    )

    crew = httpx.post(
        f"{api}/events/{draft['id']}/crews",
        json={"type": "CREW", "name": "Raft 1", "capacity": 4},
        headers=root_auth,
    )
    assert crew.status_code == 201, crew.text
    seats = f"{api}/crews/{crew.json()['id']}/assignments"
    _eventually(  # refused (422) until crews has filed the confirmation
        lambda: httpx.post(seats, json={"userId": pavel_id}, headers=root_auth).status_code == 201,
        "the participant's place, once crews knows the booking (booking → crews, in worker B)",
    )
    _eventually(
        lambda: "crew:assigned" in _told(dsn, pavel_id),
        "the crew place's message (crews → notifications, in worker B)",
    )

    avatar = httpx.post(
        f"{api}/media",
        data={"ownerType": "avatar", "ownerId": pavel_id},
        files={"file": ("me.png", PNG, "image/png")},
        headers=pavel,
    )
    assert avatar.status_code == 201, avatar.text
    assert httpx.get(f"{api}/media/{avatar.json()['id']}", headers=pavel).status_code == 200

    # Each worker ran its own domains' reactions and jobs, and only those.
    a_log, b_log = log_a.read_text(), log_b.read_text()
    assert "booking.expire_holds" in a_log
    assert "notifications.send" not in a_log
    assert "notifications.send" in b_log
    assert "booking.expire_holds" not in b_log
    assert confirmed_in < 10, f"the confirmation took {confirmed_in:.1f} s with a 5 s poll"
    if "AQUASTREAM_REDIS_URL" in settings:  # the facts went by the streams
        streams = redis.Redis.from_url(settings["AQUASTREAM_REDIS_URL"])
        assert streams.xlen(f"{STREAM_PREFIX}payments") >= 1
        assert streams.xlen(f"{STREAM_PREFIX}booking") >= 2
