"""Webhooks API fixtures: the booking tests' cast and participants on an app that may send to a
local HTTPS receiver (``AQUASTREAM_WEBHOOKS_ALLOW_PRIVATE_TARGETS`` on, the receiver's own
certificate authority trusted), the receiver itself, and a free trip of ``river-rats``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from aquastream.adapters.memory.clock import FrozenClock
from tests.api.booking.conftest import cast, people
from tests.api.catalog.conftest import FrozenClockProvider, clock
from tests.api.catalog.kit import API, Cast, published_event
from tests.api.conftest import Serve
from tests.api.identity.conftest import Account, Client
from tests.webhook_receiver import Receiver

__all__ = ["api", "cast", "clock", "people", "receiver", "trip"]


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[Receiver]:
    server = Receiver(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
async def api(serve: Serve, clock: FrozenClock, receiver: Receiver) -> AsyncIterator[Client]:
    async with serve(
        FrozenClockProvider(clock),
        rate_limit_enabled=False,
        webhooks_allow_private_targets=True,
        webhooks_ca_file=str(receiver.ca_file),
    ) as client:
        yield client


@pytest.fixture
async def trip(api: Client, cast: Cast) -> str:
    """A free published event of ``river-rats`` (bookings are CONFIRMED at once)."""
    event = await published_event(api, cast.anna, "river-rats", price="0", capacity=10)
    event_id: str = event["id"]
    return event_id


async def register_endpoint(
    api: Client, account: Account, url: str, event_types: list[str], slug: str = "river-rats", **extra: Any
) -> dict[str, Any]:
    response = await api.post(
        f"{API}/organizers/{slug}/webhooks",
        json={"url": url, "eventTypes": event_types, **extra},
        headers=account.auth,
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body
