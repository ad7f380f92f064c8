"""Requests racing through the HTTP app for real, on the embedded SQLite and on PostgreSQL:
seats are never oversold and one idempotency key never books twice.

Litestar's test client hands each request to the app's own thread one at a time, so these
tests serve the app in the test's event loop through httpx's ASGI transport, where
``asyncio.gather`` interleaves the requests at every database round trip.
"""

from __future__ import annotations

import asyncio
import shutil
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from litestar import Litestar

from aquastream.adapters.memory.clock import FrozenClock
from aquastream.adapters.sql.migrate import upgrade
from aquastream.domain.identity.bootstrap import CreateAdmin
from tests.api import domain_roles
from tests.api.booking.kit import book, participant, seats_left
from tests.api.catalog.conftest import FrozenClockProvider
from tests.api.catalog.kit import API, NOW, open_page, organizer_account, published_event
from tests.api.identity.conftest import PASSWORD, Account, assert_problem, login
from tests.conftest import run_async

RACERS = 30
SEATS = 5


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, migrated_sqlite_file: Path) -> str:
    """A copy of the migrated SQLite template, or a PostgreSQL database migrated for this test
    (under domain roles, the roles' own)."""
    if request.param == "postgresql":
        if domain_roles.enabled():
            roles_url: str = request.getfixturevalue("domain_roles_database_url")
            return roles_url
        url: str = request.getfixturevalue("empty_postgres_url")
        run_async(upgrade(url))
        return url
    path = tmp_path / "races.db"
    shutil.copyfile(migrated_sqlite_file, path)
    return f"sqlite+aiosqlite:///{path}"


@dataclass(frozen=True)
class Stage:
    client: httpx.AsyncClient
    organizer: Account


@asynccontextmanager
async def staged(make_app: Callable[..., Litestar], **settings: object) -> AsyncIterator[Stage]:
    """The app in this test's event loop, and an organizer who owns ``river-rats``.

    A context manager in the test, not a fixture: the app's lifespan must end in the task
    that started it, and pytest-asyncio tears fixtures down in another one.
    """
    app = make_app(FrozenClockProvider(FrozenClock(NOW)), rate_limit_enabled=False, **settings)
    # Litestar and httpx spell the ASGI types differently; the app is a plain ASGI app.
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with app.lifespan(), httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
        async with app.state.dishka_container() as request:
            create_admin = await request.get(CreateAdmin)
            await create_admin(email="root@example.com", password=PASSWORD)
        root = await login(client, "root@example.com")
        anna = await organizer_account(client, root, "anna@example.com")
        await open_page(client, anna, "river-rats", "River Rats")
        yield Stage(client, anna)


async def test_30_participants_racing_for_5_seats_get_exactly_5(make_app: Callable[..., Litestar]) -> None:
    async with staged(make_app) as stage:
        await _race_for_seats(stage)


async def _race_for_seats(stage: Stage) -> None:
    api = stage.client
    event = await published_event(api, stage.organizer, "river-rats", capacity=SEATS)
    racers = [await participant(api, f"racer{n}@example.com") for n in range(RACERS)]

    answers = await asyncio.gather(*(book(api, racer, event["id"]) for racer in racers))

    assert Counter(a.status_code for a in answers) == {201: SEATS, 409: RACERS - SEATS}
    for answer in answers:
        if answer.status_code == 409:
            assert assert_problem(answer, 409, "event.full")["waitlistOpen"] is True
    assert await seats_left(api, event["id"]) == 0
    listed = (await api.get(f"{API}/events/{event['id']}/bookings", headers=stage.organizer.auth)).json()
    assert listed["total"] == SEATS
    assert {b["userId"] for b in listed["items"]} == {
        a.json()["userId"] for a in answers if a.status_code == 201
    }


async def test_more_readers_than_connections_all_see_the_event(make_app: Callable[..., Litestar]) -> None:
    """Each page of an event reads the catalog, then booking's seats on a connection of
    booking's: never both at once, so readers that outnumber a shared pool (here one
    connection) all get through rather than each holding one and waiting for another."""
    async with staged(make_app, database_pool_size=1) as stage:
        event = await published_event(stage.client, stage.organizer, "river-rats", capacity=SEATS)

        async with asyncio.timeout(30):
            answers = await asyncio.gather(
                *(stage.client.get(f"{API}/events/{event['id']}") for _ in range(20))
            )

    assert [a.status_code for a in answers] == [200] * 20
    assert {a.json()["available"] for a in answers} == {SEATS}


async def test_concurrent_retries_with_one_key_book_once(make_app: Callable[..., Litestar]) -> None:
    async with staged(make_app) as stage:
        await _retry_concurrently(stage)


async def _retry_concurrently(stage: Stage) -> None:
    api = stage.client
    event = await published_event(api, stage.organizer, "river-rats")
    pavel = await participant(api, "pavel@example.com")

    answers = await asyncio.gather(*(book(api, pavel, event["id"], key="retry-1") for _ in range(5)))

    # The repeats wait for the first request to commit, then answer as it did.
    assert [a.status_code for a in answers] == [201] * 5
    assert len({a.json()["id"] for a in answers}) == 1
    assert sum(a.headers.get("idempotent-replayed") == "true" for a in answers) == 4
    mine = (await api.get(f"{API}/bookings", headers=pavel.auth)).json()
    assert mine["total"] == 1
    assert await seats_left(api, event["id"]) == 9
