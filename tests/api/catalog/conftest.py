"""Catalog API fixtures: the real app on a clock the tests move, and the people who use it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from dishka import Provider, Scope, provide

from aquastream.adapters.memory.clock import FrozenClock
from aquastream.ports.clock import Clock
from tests.api.catalog.kit import NOW, Cast, open_page, organizer_account
from tests.api.conftest import Serve
from tests.api.identity.conftest import Client, admin, register


class FrozenClockProvider(Provider):
    """Replaces the system clock, so that events can start, end and be completed on cue."""

    def __init__(self, clock: FrozenClock) -> None:
        super().__init__()
        self._clock = clock

    @provide(scope=Scope.APP)
    def clock(self) -> Clock:
        return self._clock


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture
async def api(serve: Serve, clock: FrozenClock) -> AsyncIterator[Client]:
    """The app without rate limits (the rate-limit test turns them on itself)."""
    async with serve(FrozenClockProvider(clock), rate_limit_enabled=False) as client:
        yield client


@pytest.fixture
async def cast(api: Client) -> Cast:
    """An admin, two organizers with a brand page each, and a participant."""
    root = await admin(api)
    anna = await organizer_account(api, root, "anna@example.com")
    boris = await organizer_account(api, root, "boris@example.com")
    vera = await register(api, "vera@example.com")
    await open_page(api, anna, "river-rats", "River Rats")
    await open_page(api, boris, "forest-club", "Forest Club")
    return Cast(root=root, anna=anna, boris=boris, vera=vera)
