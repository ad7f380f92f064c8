"""Notification API fixtures: the catalog's app on a frozen clock, with a Telegram webhook
secret and a channel that keeps what it sends, and the booking tests' cast and participants."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from dishka import Provider, Scope, provide

from aquastream.adapters.memory.clock import FrozenClock
from aquastream.adapters.memory.notifications import MemoryMessageSender
from aquastream.ports.notifications import MessageSender
from tests.api.booking.conftest import people
from tests.api.catalog.conftest import FrozenClockProvider, cast, clock
from tests.api.conftest import Serve
from tests.api.identity.conftest import Client

# The catalog's and booking's fixtures are shared, not copied; ``api`` is this package's own.
__all__ = ["api", "cast", "channel", "clock", "people"]

WEBHOOK_SECRET = "telegram-webhook-secret-for-tests"


class RecordingChannelProvider(Provider):
    def __init__(self, channel: MemoryMessageSender) -> None:
        super().__init__()
        self._channel = channel

    @provide(scope=Scope.APP)
    def sender(self) -> MessageSender:
        return self._channel


@pytest.fixture
def channel() -> MemoryMessageSender:
    return MemoryMessageSender()


@pytest.fixture
async def api(serve: Serve, clock: FrozenClock, channel: MemoryMessageSender) -> AsyncIterator[Client]:
    async with serve(
        FrozenClockProvider(clock),
        RecordingChannelProvider(channel),
        rate_limit_enabled=False,
        telegram_webhook_secret=WEBHOOK_SECRET,
    ) as client:
        yield client
