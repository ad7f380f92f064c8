"""Providers of the background worker: outbox dispatch to subscribers and the periodic jobs.

Domains contribute their table of reactions (``ioc.subscriptions.Reactions``) and
``provide(provides=PeriodicJob)``; a reaction and ``use_case_job`` run a use case in its own
request scope (its own unit of work), as an HTTP request would.
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from dishka import AsyncContainer, Provider, Scope, collect, provide
from sqlalchemy import Table

from aquastream.adapters.http.metrics import count_dead_letter
from aquastream.adapters.http.tracing import Tracing
from aquastream.adapters.sql.engine import DomainEngines
from aquastream.adapters.sql.outbox import SqlInbox, SqlJobLeases, SqlOutbox, on_spine_written
from aquastream.adapters.sql.spine_listener import SpineListeners
from aquastream.adapters.sql.tables import booking as booking_tables
from aquastream.adapters.sql.tables import catalog as catalog_tables
from aquastream.adapters.sql.tables import crews as crews_tables
from aquastream.adapters.sql.tables import identity as identity_tables
from aquastream.adapters.sql.tables import media as media_tables
from aquastream.adapters.sql.tables import notifications as notifications_tables
from aquastream.adapters.sql.tables import payments as payments_tables
from aquastream.adapters.sql.tables import tickets as tickets_tables
from aquastream.adapters.sql.tables import webhooks as webhooks_tables
from aquastream.domain.shared.dispatch import (
    BatchHandler,
    EventRouter,
    Handler,
    InboxDispatcher,
    OutboxDispatcher,
    Relay,
    Spine,
    Subscriber,
)
from aquastream.domain.shared.events import DomainEvent
from aquastream.domain.shared.requests import PurgeRequestKeys
from aquastream.domain.shared.scheduling import PeriodicJob, Scheduler
from aquastream.ioc.subscriptions import Reaction, Reactions
from aquastream.ports.clock import Clock
from aquastream.ports.idempotency import KeyedUnitOfWork
from aquastream.ports.outbox import Inbox, JobLeases, Outbox
from aquastream.settings import DOMAINS, Settings

if TYPE_CHECKING:
    from aquastream.adapters.redis.spine import StreamIntake
from aquastream.worker import BackgroundWorker

UseCase = TypeVar("UseCase")
T = TypeVar("T")
E = TypeVar("E", bound=DomainEvent)


def reaction_handler(container: AsyncContainer, reaction: Reaction[Any, Any]) -> Handler:
    """The reaction's use case, resolved in a fresh request scope (its own unit of work, as an
    HTTP request's), called with the event."""
    return _in_request(container, reaction.use_case, reaction.call)


def reaction_batch_handler(container: AsyncContainer, reaction: Reaction[Any, Any]) -> BatchHandler | None:
    """As ``reaction_handler``, with several events at once, for a reaction made with
    ``call_many``."""
    if reaction.call_many is None:
        return None
    return _in_request(container, reaction.use_case, reaction.call_many)


def _in_request(
    container: AsyncContainer, use_case: type[UseCase], call: Callable[[UseCase, T], Awaitable[object]]
) -> Callable[[T], Awaitable[None]]:
    async def handle(arrived: T) -> None:
        async with container() as request:
            await call(await request.get(use_case), arrived)

    return handle


def use_case_job(
    container: AsyncContainer,
    name: str,
    interval: timedelta,
    use_case: type[UseCase],
    *lanes: Callable[[UseCase], Awaitable[object]],
) -> PeriodicJob:
    """A periodic job that resolves ``use_case`` in a fresh request scope and calls it: once
    per lane, the lanes at once, each with a use case (and a unit of work) of its own. A lane
    that fails does not stop the others; the first failure is raised when all have ended."""

    async def lane(call: Callable[[UseCase], Awaitable[object]]) -> None:
        async with container() as request:
            await call(await request.get(use_case))

    async def run() -> None:
        if len(lanes) == 1:
            return await lane(lanes[0])
        for outcome in await asyncio.gather(*map(lane, lanes), return_exceptions=True):
            if isinstance(outcome, BaseException):
                raise outcome
        return None

    return PeriodicJob(name, interval, run)


def purge_request_keys_job(container: AsyncContainer, name: str, uow_type: Any, clock: Clock) -> PeriodicJob:
    """The hourly job that forgets a keyed domain's idempotency keys past their retention;
    ``uow_type`` is the domain's unit-of-work port (a Protocol, hence ``Any``)."""

    async def run() -> None:
        async with container() as request:
            uow: KeyedUnitOfWork = await request.get(uow_type)
            await PurgeRequestKeys(uow, clock)()

    return PeriodicJob(name, timedelta(hours=1), run)


# A sweep takes batches until one comes back short, but never more than this many per
# tick: a backlog is worked off over a few ticks instead of holding one worker for long.
MAX_BATCHES_PER_TICK = 10


async def sweep(run_batch: Callable[[], Awaitable[int]], batch_size: int) -> int:
    """Run ``run_batch`` (which answers how many items it handled) until a batch comes back
    short or ``MAX_BATCHES_PER_TICK`` ran; the total handled."""
    total = 0
    for _ in range(MAX_BATCHES_PER_TICK):
        done = await run_batch()
        total += done
        if done < batch_size:
            break
    return total


# A pass of the spine runs this many domains' relays (then dispatchers) at once, and each
# dispatcher this many deliveries of its inbox at once: at most 4 connections of the pool in
# all, as one dispatcher of 4 took before. Drain of 15,000 bookings' facts, in-process:
# 6.4 s one domain at a time (4 deliveries), 5.5 s with 2 and 2.
SPINE_AT_ONCE = 2
SPINE_CONCURRENCY = 2
# Above the intakes' blocking read of the streams (``adapters.redis.spine.BLOCK_MS``).
STREAM_SOCKET_TIMEOUT_SECONDS = 5.0

# Every domain keeps its outbox and its inbox of deliveries in its own schema.
SPINE_TABLES: Mapping[str, tuple[Table, Table]] = {
    "identity": (identity_tables.outbox, identity_tables.deliveries),
    "catalog": (catalog_tables.outbox, catalog_tables.deliveries),
    "booking": (booking_tables.outbox, booking_tables.deliveries),
    "payments": (payments_tables.outbox, payments_tables.deliveries),
    "notifications": (notifications_tables.outbox, notifications_tables.deliveries),
    "crews": (crews_tables.outbox, crews_tables.deliveries),
    "media": (media_tables.outbox, media_tables.deliveries),
    "webhooks": (webhooks_tables.outbox, webhooks_tables.deliveries),
    "tickets": (tickets_tables.outbox, tickets_tables.deliveries),
}


class WorkerProvider(Provider):
    scope = Scope.APP

    reaction_tables = collect(Reactions)
    jobs = collect(PeriodicJob)

    @provide
    def outboxes(self, engines: DomainEngines) -> Sequence[Outbox]:
        return [SqlOutbox(engines.of(domain), outbox, domain) for domain, (outbox, _) in SPINE_TABLES.items()]

    @provide
    def inboxes(self, engines: DomainEngines) -> Mapping[str, Inbox]:
        return {
            domain: SqlInbox(engines.of(domain), deliveries, domain)
            for domain, (_, deliveries) in SPINE_TABLES.items()
        }

    @provide
    def leases(self, engines: DomainEngines) -> JobLeases:
        return SqlJobLeases(engines.default)

    @provide
    def router(self, tables: list[Reactions], container: AsyncContainer) -> EventRouter:
        return EventRouter(
            Subscriber(
                reaction.subscriber,
                table.domain,
                reaction.event_type,
                reaction_handler(container, reaction),
                reaction_batch_handler(container, reaction),
            )
            for table in tables
            for reaction in table.reactions
        )

    @provide
    async def dispatcher(
        self,
        settings: Settings,
        outboxes: Sequence[Outbox],
        inboxes: Mapping[str, Inbox],
        router: EventRouter,
        clock: Clock,
        tracing: Tracing,
    ) -> AsyncIterator[OutboxDispatcher]:
        """The relays of the domains this worker serves and the dispatchers of their inboxes.

        Without Redis a relay writes a fact straight into every reacting domain's inbox; with
        ``redis_url`` it appends it to its domain's stream, and each served domain's intake
        reads the streams it hears from into its own inbox (``adapters.redis.spine``). With
        tracing on, each subscriber's handling is a span of the trace that raised the fact."""
        served = settings.worker_domain_set
        mine = [outbox for outbox in outboxes if outbox.domain in served]
        # SQLite lets one writer in at a time: deliveries at once would only queue for its lock.
        concurrency = 1 if settings.is_sqlite else SPINE_CONCURRENCY
        at_once = 1 if settings.is_sqlite else SPINE_AT_ONCE
        dispatchers = [
            InboxDispatcher(
                inboxes[domain],
                router,
                clock,
                on_given_up=count_dead_letter,
                concurrency=concurrency,
                handling=tracing.delivery_spans(),
            )
            for domain in sorted(router.domains & served)
        ]
        if settings.redis_url is None:
            relays = [Relay(outbox, inboxes, router, clock) for outbox in mine]
            yield OutboxDispatcher(relays, dispatchers, at_once=at_once)
            return
        # redis-py is imported only where Redis is configured (0.15 s and 8 MB).
        from redis.asyncio import Redis

        from aquastream.adapters.redis.spine import StreamIntake, StreamRelay

        redis = Redis.from_url(settings.redis_url, socket_timeout=STREAM_SOCKET_TIMEOUT_SECONDS)
        consumer = f"{socket.gethostname()}-{os.getpid()}"
        yield OutboxDispatcher(
            [StreamRelay(outbox, redis, clock) for outbox in mine],
            dispatchers,
            [
                StreamIntake(redis, inboxes[domain], router, clock, consumer=consumer)
                for domain in sorted(router.domains & served)
            ],
            at_once=at_once,
        )
        await redis.aclose()

    @provide
    def spine(self, outboxes: Sequence[Outbox], inboxes: Mapping[str, Inbox], clock: Clock) -> Spine:
        return Spine(outboxes, inboxes, clock)

    @provide
    def scheduler(
        self, settings: Settings, leases: JobLeases, clock: Clock, jobs: list[PeriodicJob], tracing: Tracing
    ) -> Scheduler:
        """The jobs of the domains this worker serves (a job's name starts with its domain);
        a job of no domain runs in every worker (its ticks are leased, so once per tick).
        With tracing on, each run is a trace of its own."""
        served = settings.worker_domain_set
        mine = [
            tracing.traced(job)
            for job in jobs
            if job.name.split(".")[0] in served or job.name.split(".")[0] not in DOMAINS
        ]
        return Scheduler(leases, clock, mine)

    @provide
    async def worker(
        self,
        settings: Settings,
        engines: DomainEngines,
        heard: SpineListeners,
        dispatcher: OutboxDispatcher,
        scheduler: Scheduler,
    ) -> AsyncIterator[BackgroundWorker]:
        """Woken by commits of this process on any domain's engine, and by every database's
        NOTIFY (one listener per distinct engine: domains may live on other servers)."""
        worker = BackgroundWorker(dispatcher, scheduler, poll_seconds=settings.outbox_poll_seconds)
        stops = [on_spine_written(engine, worker.wake) for engine in engines.distinct]
        worker.on_start(lambda: stops.append(heard.add(worker.wake)))
        intakes: list[StreamIntake] = []
        if settings.redis_url is not None:
            from aquastream.adapters.redis.spine import StreamIntake

            intakes = [intake for intake in dispatcher.intakes if isinstance(intake, StreamIntake)]
        for intake in intakes:
            worker.on_start(intake.start)
        yield worker
        for stop_waking in stops:
            stop_waking()
        for intake in intakes:
            await intake.stop()
