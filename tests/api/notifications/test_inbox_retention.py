"""The worker's inbox retention job, through the real app: entries past the configured period
go, read or not; what is inside it stays."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from aquastream.adapters.memory.clock import FrozenClock
from aquastream.ioc.notifications import PRUNE_INBOX_JOB
from tests.api.catalog.conftest import FrozenClockProvider
from tests.api.catalog.kit import API, Cast
from tests.api.conftest import Serve
from tests.api.identity.conftest import Client, login
from tests.api.worker import run_due_jobs

RETENTION_DAYS = 30


@pytest.fixture
async def api(serve: Serve, clock: FrozenClock) -> AsyncIterator[Client]:
    async with serve(
        FrozenClockProvider(clock), rate_limit_enabled=False, notification_inbox_retention_days=RETENTION_DAYS
    ) as client:
        yield client


async def test_the_job_deletes_inbox_entries_past_the_configured_period(
    api: Client, cast: Cast, clock: FrozenClock
) -> None:
    async def tell(text: str) -> None:
        root = await login(api, cast.root.email, cast.root.password)
        response = await api.post(
            f"{API}/admin/notifications/test", json={"userId": cast.vera.id, "text": text}, headers=root.auth
        )
        assert response.status_code == 202, response.text

    await tell("old")
    clock.advance(timedelta(days=RETENTION_DAYS - 10))
    await tell("recent")
    clock.advance(timedelta(days=10, seconds=1))

    assert PRUNE_INBOX_JOB in await run_due_jobs(api)

    vera = await login(api, cast.vera.email, cast.vera.password)
    listed = await api.get(f"{API}/notifications", headers=vera.auth)
    assert [item["text"] for item in listed.json()["items"]] == ["recent"]
