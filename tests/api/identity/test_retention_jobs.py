"""The worker's retention jobs, through the real app: identity prunes its audit log, payments
its stored notifications, each past its configured period; what is inside the period stays."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from dishka import AsyncContainer

from aquastream.adapters.memory.clock import FrozenClock
from aquastream.domain.payments.model import WebhookOutcome, WebhookRecord
from aquastream.domain.shared.ids import new_id
from aquastream.ioc.identity import PRUNE_AUDIT_JOB
from aquastream.ioc.payments import PRUNE_WEBHOOKS_JOB
from aquastream.ports.payments import PaymentsUnitOfWork
from tests.api.catalog.conftest import FrozenClockProvider
from tests.api.catalog.kit import NOW
from tests.api.conftest import Serve
from tests.api.identity.conftest import Client, login, register
from tests.api.worker import in_request, run_due_jobs

AUDIT_DAYS = 30
WEBHOOK_DAYS = 45


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture
async def api(serve: Serve, clock: FrozenClock) -> AsyncIterator[Client]:
    async with serve(
        FrozenClockProvider(clock),
        rate_limit_enabled=False,
        audit_retention_days=AUDIT_DAYS,
        webhook_retention_days=WEBHOOK_DAYS,
    ) as client:
        yield client


async def test_the_audit_job_deletes_entries_past_the_configured_period(
    api: Client, clock: FrozenClock
) -> None:
    await register(api, "ivan@example.com")
    clock.advance(timedelta(days=AUDIT_DAYS - 10))
    await login(api, "ivan@example.com")
    clock.advance(timedelta(days=10, seconds=1))

    assert PRUNE_AUDIT_JOB in await run_due_jobs(api)

    ivan = await login(api, "ivan@example.com")
    export = await api.get("/api/v1/users/me/export", headers=ivan.auth)
    assert [entry["action"] for entry in export.json()["auditLog"]] == ["LOGIN", "LOGIN"]  # REGISTERED went


def a_notification(event_id: str, clock: FrozenClock) -> WebhookRecord:
    return WebhookRecord(
        id=new_id(),
        provider="sandbox",
        provider_event_id=event_id,
        received_at=clock.now(),
        payload={"id": event_id},
        outcome=WebhookOutcome.UNKNOWN_PAYMENT,
    )


async def test_the_webhook_job_deletes_notifications_past_the_configured_period(
    api: Client, clock: FrozenClock
) -> None:
    async def store(record: WebhookRecord) -> None:
        async def work(request: AsyncContainer) -> None:
            uow: PaymentsUnitOfWork = await request.get(PaymentsUnitOfWork)
            async with uow:
                await uow.webhooks.add(record)
                await uow.commit()

        await in_request(api, work)

    async def stored(event_id: str) -> bool:
        async def work(request: AsyncContainer) -> bool:
            uow: PaymentsUnitOfWork = await request.get(PaymentsUnitOfWork)
            async with uow:
                return await uow.webhooks.get("sandbox", event_id) is not None

        return await in_request(api, work)

    await store(a_notification("evt-old", clock))
    clock.advance(timedelta(days=10))
    await store(a_notification("evt-recent", clock))
    clock.advance(timedelta(days=WEBHOOK_DAYS - 10, seconds=1))

    assert PRUNE_WEBHOOKS_JOB in await run_due_jobs(api)

    assert (await stored("evt-old"), await stored("evt-recent")) == (False, True)
