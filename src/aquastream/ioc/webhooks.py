"""Providers of the webhooks domain: its unit of work (secrets sealed by the server secret), the
HTTPS transport, its use cases, the sender job, and its reactions to booking's and payments'
facts, made from the table of facts organizers can receive (``domain.webhooks.facts``)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta

from dishka import AsyncContainer, Provider, Scope, provide, provide_all

from aquastream.adapters.crypto.sealing import SecretBox
from aquastream.adapters.sql.engine import DomainEngines
from aquastream.adapters.sql.webhooks import SqlWebhooksUnitOfWork
from aquastream.adapters.webhooks.facts import EVENT_TYPES, FACTS
from aquastream.adapters.webhooks.secrets import RandomWebhookSecrets
from aquastream.adapters.webhooks.transport import HttpxWebhookTransport, webhook_client, webhook_ssl_context
from aquastream.domain.shared.events import DomainEvent
from aquastream.domain.shared.scheduling import PeriodicJob
from aquastream.domain.webhooks.access import WebhookGate
from aquastream.domain.webhooks.deliveries import ListDeliveries, RecordDeliveries, ResendDelivery
from aquastream.domain.webhooks.endpoints import (
    DeleteEndpoint,
    GetEndpoint,
    ListEndpoints,
    RegisterEndpoint,
    RotateSecret,
    UpdateEndpoint,
)
from aquastream.domain.webhooks.facts import WebhookFact
from aquastream.domain.webhooks.policy import WebhookPolicy
from aquastream.domain.webhooks.retention import PurgeOldDeliveries
from aquastream.domain.webhooks.sending import SendDueDeliveries
from aquastream.ioc.subscriptions import Reaction, Reactions, on
from aquastream.ioc.worker import sweep, use_case_job
from aquastream.ports.webhooks import WebhookSecrets, WebhooksUnitOfWork, WebhookTransport
from aquastream.settings import Settings

SEND_JOB = "webhooks.send_deliveries"
PURGE_JOB = "webhooks.purge_deliveries"
# Sweeps of the sender under way at once in one process (each claims its own deliveries).
MAX_SWEEPS = 4

logger = logging.getLogger("aquastream.webhooks")


class BackgroundSweeps:
    """Runs the sender beside the scheduler rather than inside it: a tick starts a sweep unless
    ``limit`` are under way, and returns at once. A slow endpoint then holds one sweep (for the
    request's timeout at most), never the process's other jobs, nor the deliveries that fall due
    meanwhile, which the next tick's sweep claims (deliveries in flight are leased)."""

    def __init__(self, sweep: Callable[[], Awaitable[object]], limit: int) -> None:
        self._sweep = sweep
        self._limit = limit
        self._tasks: set[asyncio.Task[None]] = set()

    async def tick(self) -> None:
        if len(self._tasks) >= self._limit:
            return
        task = asyncio.get_running_loop().create_task(self._run(), name=SEND_JOB)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self) -> None:
        try:
            await self._sweep()
        except Exception:
            logger.exception("webhook sweep failed")

    async def stop(self) -> None:
        """Cancel the sweeps under way: their leased deliveries are due again when the lease ends."""
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task


def _delivered(spec: WebhookFact) -> Reaction[DomainEvent, RecordDeliveries]:
    # Several facts of a backlog in one read of the endpoints (and one transaction, if any is wanted).
    return on(spec.fact, RecordDeliveries).call_many(lambda record, facts: record.record_many(facts, spec))


# Every fact of the table becomes deliveries to the endpoints that chose its event type.
REACTIONS = Reactions("webhooks", *(_delivered(spec) for spec in FACTS))


class WebhooksProvider(Provider):
    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def reactions(self) -> Reactions:
        return REACTIONS

    @provide(scope=Scope.APP)
    def policy(self, settings: Settings) -> WebhookPolicy:
        return WebhookPolicy(
            event_types=EVENT_TYPES, allow_private_targets=settings.webhooks_allow_private_targets
        )

    @provide(scope=Scope.APP)
    def secret_box(self, settings: Settings) -> SecretBox:
        """Keyed by the server secret (under a key of its own): the endpoints' secrets are
        unreadable without it."""
        return SecretBox(settings.secret, b"aquastream/webhook-secrets")

    @provide(scope=Scope.APP)
    async def transport(self, settings: Settings, policy: WebhookPolicy) -> AsyncIterator[WebhookTransport]:
        """A client of its own: its own trust (``webhooks_ca_file``), no redirects, no proxies,
        and no tracing (organizers' URLs stay out of spans, and no trace context leaves)."""
        timeout = settings.webhooks_timeout_seconds
        async with webhook_client(timeout, webhook_ssl_context(settings.webhooks_ca_file)) as client:
            yield HttpxWebhookTransport(
                client, timeout_seconds=timeout, allow_private=policy.allow_private_targets
            )

    @provide(scope=Scope.APP)
    def secrets(self) -> WebhookSecrets:
        return RandomWebhookSecrets()

    @provide
    def uow(self, engines: DomainEngines, box: SecretBox) -> WebhooksUnitOfWork:
        return SqlWebhooksUnitOfWork(engines.of("webhooks"), box)

    gate = provide(WebhookGate)

    use_cases = provide_all(
        RegisterEndpoint,
        ListEndpoints,
        GetEndpoint,
        UpdateEndpoint,
        DeleteEndpoint,
        RotateSecret,
        ListDeliveries,
        ResendDelivery,
        RecordDeliveries,
        SendDueDeliveries,
        PurgeOldDeliveries,
    )

    @provide(scope=Scope.APP)
    async def sweeps(
        self, container: AsyncContainer, settings: Settings, policy: WebhookPolicy
    ) -> AsyncIterator[BackgroundSweeps]:
        job = use_case_job(
            container,
            SEND_JOB,
            timedelta(seconds=settings.webhooks_send_seconds),
            SendDueDeliveries,
            lambda send: sweep(send, policy.batch_size),
        )
        sweeps = BackgroundSweeps(job.run, MAX_SWEEPS)
        yield sweeps
        await sweeps.stop()

    @provide(scope=Scope.APP, provides=PeriodicJob)
    def send_job(self, settings: Settings, sweeps: BackgroundSweeps) -> PeriodicJob:
        return PeriodicJob(SEND_JOB, timedelta(seconds=settings.webhooks_send_seconds), sweeps.tick)

    @provide(scope=Scope.APP, provides=PeriodicJob)
    def purge_job(self, container: AsyncContainer) -> PeriodicJob:
        return use_case_job(
            container, PURGE_JOB, timedelta(hours=1), PurgeOldDeliveries, lambda purge: purge()
        )
