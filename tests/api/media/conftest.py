"""Media API fixtures: the real app on a frozen clock with its media in a temporary folder,
and a scene: the catalog's cast, a team member and a paid event of ``river-rats``, and
participants, ``pavel`` holding a PENDING booking of that event."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from aquastream.adapters.memory.clock import FrozenClock
from tests.api.booking.conftest import People, people
from tests.api.booking.kit import booked
from tests.api.catalog.conftest import FrozenClockProvider, cast, clock
from tests.api.catalog.kit import API, Cast, published_event
from tests.api.conftest import Serve
from tests.api.identity.conftest import Client
from tests.s3_server import s3_bucket, s3_endpoint

__all__ = ["api", "cast", "clock", "media_dir", "people", "s3_bucket", "s3_endpoint", "scene"]

MAX_BYTES = 64 * 1024


@pytest.fixture
def media_dir(tmp_path: Path) -> Path:
    return tmp_path / "media"


@pytest.fixture
async def api(serve: Serve, clock: FrozenClock, media_dir: Path) -> AsyncIterator[Client]:
    async with serve(
        FrozenClockProvider(clock),
        rate_limit_enabled=False,
        media_dir=str(media_dir),
        media_max_bytes=MAX_BYTES,
    ) as client:
        yield client


@dataclass(frozen=True)
class Scene:
    cast: Cast
    people: People
    organizer_id: str
    member_id: str
    event_id: str
    booking_id: str


@pytest.fixture
async def scene(api: Client, cast: Cast, people: People) -> Scene:
    page = await api.get(f"{API}/organizers/river-rats")
    member = await api.post(
        f"{API}/organizers/river-rats/team", json={"name": "Ivan"}, headers=cast.anna.auth
    )
    assert member.status_code == 201, member.text
    event = await published_event(api, cast.anna, "river-rats")
    booking = await booked(api, people.pavel, event["id"])
    assert booking["status"] == "PENDING"
    return Scene(cast, people, page.json()["id"], member.json()["id"], event["id"], booking["id"])
