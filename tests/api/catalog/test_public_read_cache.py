"""The short-lived cache of anonymous catalog reads, through the real app: an answer is kept
for at most ``catalog_cache_seconds``, and sooner forgotten when anything changes."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from aquastream.adapters.http.metrics import REGISTRY
from aquastream.adapters.sql.engine import DomainEngines, create_engine
from aquastream.adapters.sql.outbox import spine_written
from aquastream.adapters.sql.tables.catalog import events
from aquastream.settings import Settings
from tests.api.catalog.conftest import FrozenClockProvider
from tests.api.catalog.kit import API, Cast, open_page, organizer_account, published_event
from tests.api.conftest import Serve
from tests.api.identity.conftest import Client, admin

SECONDS = 1.0


@pytest.fixture
async def api(serve: Serve, clock: Any) -> AsyncIterator[Client]:
    async with serve(
        FrozenClockProvider(clock), rate_limit_enabled=False, catalog_cache_seconds=SECONDS
    ) as client:
        yield client


async def _engine(api: Client) -> AsyncEngine:
    """The app's engine of the catalog (its role, when each domain has one); its pool lives in
    the app's event loop, so the test only names it (``spine_written``) and never uses it."""
    engines: DomainEngines = await api.app.state.dishka_container.get(DomainEngines)
    return engines.of("catalog")


class Backdoor:
    """A change that neither goes through the API nor writes a fact: only time shows it. Its
    connection is opened before the test's first read, so that a change made inside the cache's
    window takes a statement's time, not an engine's start."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def retitle(self, event_id: str, title: str) -> None:
        async with self._connection.begin():
            statement = update(events).where(events.c.id == uuid.UUID(event_id)).values(title=title)
            await self._connection.execute(statement)


@pytest.fixture
async def backdoor(make_settings: Callable[..., Settings]) -> AsyncIterator[Backdoor]:
    engine = create_engine(make_settings().database_url_of("catalog"), pool_size=1)
    try:
        async with engine.connect() as connection:
            yield Backdoor(connection)
    finally:
        await engine.dispose()


async def test_an_anonymous_read_is_kept_for_at_most_the_set_time(
    api: Client, cast: Cast, backdoor: Backdoor
) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    url = f"{API}/events/{event['id']}"
    first = await api.get(url)
    await backdoor.retitle(event["id"], "Renamed quietly")

    kept = await api.get(url)
    await asyncio.sleep(SECONDS + 0.1)
    later = await api.get(url)

    assert first.status_code == kept.status_code == later.status_code == 200
    assert kept.json()["title"] == first.json()["title"] != "Renamed quietly"
    assert kept.headers["etag"] == first.headers["etag"]
    assert later.json()["title"] == "Renamed quietly"


async def test_lists_are_kept_per_query(api: Client, cast: Cast, backdoor: Backdoor) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    page = await api.get(f"{API}/events", params={"size": 5})
    await backdoor.retitle(event["id"], "Renamed quietly")

    same_query = await api.get(f"{API}/events", params={"size": 5})
    other_query = await api.get(f"{API}/events", params={"size": 6})

    titles = [item["title"] for item in same_query.json()["items"]]
    assert same_query.json() == page.json()
    assert "Renamed quietly" not in titles
    assert "Renamed quietly" in [item["title"] for item in other_query.json()["items"]]


async def test_a_change_made_through_the_api_is_read_at_once(api: Client, cast: Cast) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    url = f"{API}/events/{event['id']}"
    await api.get(url)

    edited = await api.put(url, json={"description": "Two days, and a sauna."}, headers=cast.anna.auth)
    after = await api.get(url)

    assert edited.status_code == 200, edited.text
    assert after.json()["description"] == "Two days, and a sauna."


async def test_facts_committed_in_this_process_empty_it(api: Client, cast: Cast, backdoor: Backdoor) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    url = f"{API}/events/{event['id']}"
    await api.get(url)
    await backdoor.retitle(event["id"], "Renamed quietly")

    spine_written(await _engine(api))  # what a unit of work calls after committing facts
    after = await api.get(url)

    assert after.json()["title"] == "Renamed quietly"


async def test_a_reader_with_a_token_is_never_answered_from_memory(
    api: Client, cast: Cast, backdoor: Backdoor
) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    url = f"{API}/events/{event['id']}"
    await api.get(url)
    await backdoor.retitle(event["id"], "Renamed quietly")

    as_user = await api.get(url, headers=cast.vera.auth)

    assert as_user.json()["title"] == "Renamed quietly"


def _hits() -> float:
    return REGISTRY.get_sample_value("aquastream_catalog_cache_total", {"result": "hit"}) or 0.0


async def test_hits_are_counted_and_errors_are_not_kept(api: Client, cast: Cast) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    missing = f"{API}/events/{uuid.uuid4()}"
    before = _hits()

    errors = [(await api.get(missing)).status_code for _ in range(2)]
    after_errors = _hits()
    pages = [(await api.get(f"{API}/events/{event['id']}")).status_code for _ in range(3)]

    assert errors == [404, 404]
    assert after_errors == before
    assert pages == [200, 200, 200]
    assert _hits() == before + 2


async def test_zero_turns_it_off(serve: Serve, clock: Any, backdoor: Backdoor) -> None:
    async with serve(FrozenClockProvider(clock), rate_limit_enabled=False, catalog_cache_seconds=0) as api:
        anna = await organizer_account(api, await admin(api), "anna@example.com")
        await open_page(api, anna, "river-rats", "River Rats")
        event = await published_event(api, anna, "river-rats")
        url = f"{API}/events/{event['id']}"
        await api.get(url)
        await backdoor.retitle(event["id"], "Renamed quietly")

        after = await api.get(url)

    assert after.json()["title"] == "Renamed quietly"


async def test_an_answer_from_memory_still_counts_against_the_rate_limit(serve: Serve, clock: Any) -> None:
    async with serve(
        FrozenClockProvider(clock), rate_limit_default="5/minute", catalog_cache_seconds=SECONDS
    ) as api:
        anna = await organizer_account(api, await admin(api), "anna@example.com")
        await open_page(api, anna, "river-rats", "River Rats")
        event = await published_event(api, anna, "river-rats")
        hits_before = _hits()

        answers = [await api.get(f"{API}/events/{event['id']}") for _ in range(6)]

    assert [answer.status_code for answer in answers] == [200] * 5 + [429]
    assert [answer.headers["x-ratelimit-remaining"] for answer in answers[:5]] == ["4", "3", "2", "1", "0"]
    assert _hits() == hits_before + 4  # the first was computed, the next four came from memory
