"""The event spine across processes through Redis Streams (with ``AQUASTREAM_REDIS_URL``).

Each publishing domain's facts go to a stream of their own, ``aquastream:facts:<domain>``:
the domain's relay leases facts from its outbox, appends them (``XADD``) and marks them
relayed. Each subscriber has its own consumer group on the streams of the domains it hears
from; the worker of the subscriber's domain reads (``XREADGROUP``), writes each fact it
subscribes to into its own domain's inbox, and only then acknowledges it (``XACK``). What a
crashed consumer read and did not acknowledge is claimed by another after ``CLAIM_AFTER``
(``XAUTOCLAIM``). Every step is at least once and idempotent (a delivery is unique per fact
and subscriber), and the inbox keeps each subscriber's attempts and dead letters as without
Redis. A domain's worker thus needs its own schema only: the streams carry the facts. An
entry holds the fact's ``id``, ``event``, ``payload`` and ``created_at``, and its
``traceparent`` when it was raised in a trace (``adapters.trace_context``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError

from aquastream.adapters.outage import OutageLog
from aquastream.domain.shared.dispatch import EventRouter
from aquastream.ports.clock import Clock
from aquastream.ports.outbox import Inbox, Outbox, OutboxMessage

logger = logging.getLogger("aquastream.worker")
_outages = OutageLog(logger)

STREAM_PREFIX = "aquastream:facts:"
STREAM_MAX_LENGTH = 1_000_000  # trimmed approximately: far beyond what any group lags
CLAIM_AFTER = timedelta(seconds=60)
READ_BATCH = 200
BLOCK_MS = 1000  # a listener's wait on its streams before it looks for claimable facts again
RECANCEL_SECONDS = 0.1


def stream_of(domain: str) -> str:
    return f"{STREAM_PREFIX}{domain}"


def _fields(message: OutboxMessage) -> dict[str, str | bytes]:
    """A stream entry; ``traceparent`` only when the fact has a trace context."""
    fields: dict[str, str | bytes] = {
        "id": str(message.id),
        "event": message.event_name,
        "payload": message.payload,
        "created_at": message.created_at.isoformat(),
    }
    if message.trace_context:
        fields["traceparent"] = message.trace_context
    return fields


def _message(fields: Mapping[bytes, bytes]) -> OutboxMessage:
    return OutboxMessage(
        id=uuid.UUID(fields[b"id"].decode()),
        event_name=fields[b"event"].decode(),
        payload=fields[b"payload"],
        created_at=datetime.fromisoformat(fields[b"created_at"].decode()),
        trace_context=traceparent.decode() if (traceparent := fields.get(b"traceparent")) else None,
    )


class StreamRelay:
    """Moves one domain's published facts to its stream."""

    def __init__(
        self,
        outbox: Outbox,
        redis: Redis,
        clock: Clock,
        *,
        batch_size: int = 200,
        lease: timedelta = timedelta(seconds=60),
    ) -> None:
        self._outbox = outbox
        self._redis = redis
        self._clock = clock
        self._batch_size = batch_size
        self._lease = lease

    @property
    def domain(self) -> str:
        return self._outbox.domain

    async def relay_once(self) -> int:
        messages = await self._outbox.lease(now=self._clock.now(), limit=self._batch_size, lease=self._lease)
        if not messages:
            return 0
        async with self._redis.pipeline(transaction=False) as pipe:
            for message in messages:
                pipe.xadd(
                    stream_of(self.domain),
                    _fields(message),  # type: ignore[arg-type]
                    maxlen=STREAM_MAX_LENGTH,
                    approximate=True,
                )
            await pipe.execute()
        await self._outbox.mark_relayed([m.id for m in messages], now=self._clock.now())
        return len(messages)


class StreamIntake:
    """Brings the facts one domain's subscribers hear into the domain's inbox: one consumer
    group per subscriber (named after it) on each publishing domain's stream."""

    def __init__(
        self,
        redis: Redis,
        inbox: Inbox,
        router: EventRouter,
        clock: Clock,
        *,
        consumer: str,
        claim_after: timedelta = CLAIM_AFTER,
    ) -> None:
        self._redis = redis
        self._claim_after_ms = int(claim_after.total_seconds() * 1000)
        self._inbox = inbox
        self._clock = clock
        self._consumer = consumer
        # subscriber → (the streams it reads, the facts it takes from them)
        self._groups: dict[str, tuple[list[str], set[str]]] = {}
        for subscriber in router.subscribers_in(inbox.domain):
            streams, events = self._groups.setdefault(subscriber.name, ([], set()))
            stream = stream_of(subscriber.publisher)
            if stream not in streams:
                streams.append(stream)
            events.add(subscriber.event_type.event_name())
        self._ready = False
        self._tasks: list[asyncio.Task[None]] = []
        self._stopping = False

    @property
    def domain(self) -> str:
        return self._inbox.domain

    async def _create_groups(self) -> None:
        for group, (streams, _) in self._groups.items():
            for stream in streams:
                # From the stream's start: a group made after facts were appended misses none
                # (taking a fact twice adds nothing to the inbox).
                with contextlib.suppress(ResponseError):  # BUSYGROUP: it exists already
                    await self._redis.xgroup_create(stream, group, id="0", mkstream=True)
        self._ready = True

    async def intake_once(self) -> int:
        """Read what each group has not read yet (and reclaim what a crashed consumer left
        unacknowledged), file it in the inbox, acknowledge it; how many facts came in."""
        taken = 0
        for group in self._groups:
            taken += await self._read(group, block_ms=None)
        return taken

    async def _read(self, group: str, *, block_ms: int | None) -> int:
        if not self._ready:
            await self._create_groups()
        streams, events = self._groups[group]
        taken = await self._reclaim(group, streams, events)
        answer: Any = await self._redis.xreadgroup(
            group, self._consumer, dict.fromkeys(streams, ">"), count=READ_BATCH, block=block_ms
        )
        # [[stream, entries], …] in RESP2, {stream: entries} in RESP3.
        for stream, entries in answer.items() if isinstance(answer, dict) else answer or []:
            taken += await self._file(group, stream, entries, events)
        return taken

    async def _reclaim(self, group: str, streams: Sequence[str], events: set[str]) -> int:
        taken = 0
        for stream in streams:
            claimed: Any = await self._redis.xautoclaim(
                stream,
                group,
                self._consumer,
                min_idle_time=self._claim_after_ms,
                start_id="0-0",
                count=READ_BATCH,
            )
            taken += await self._file(group, stream, claimed[1], events)
        return taken

    async def _file(
        self,
        group: str,
        stream: str | bytes,
        entries: Sequence[tuple[bytes, Mapping[bytes, bytes]]],
        events: set[str],
    ) -> int:
        if not entries:
            return 0
        # A fact appended twice (a relay that died before marking it relayed) is taken once.
        messages = {message.id: message for message in (_message(fields) for _, fields in entries if fields)}
        wanted = [(message, [group]) for message in messages.values() if message.event_name in events]
        if wanted:
            await self._inbox.accept(wanted, now=self._clock.now())
        await self._redis.xack(stream, group, *(entry_id for entry_id, _ in entries))
        return len(wanted)

    def start(self) -> None:
        """Read in the background, each group blocking on its streams, so that a fact
        appended in another process comes in at once."""
        loop = asyncio.get_running_loop()
        self._stopping = False
        for group in self._groups:
            self._tasks.append(loop.create_task(self._listen(group), name=f"aquastream-intake-{group}"))

    async def stop(self) -> None:
        # redis-py may swallow the cancellation of a blocking read and answer it as an empty
        # read (redis/redis-py#2028): a listener is cancelled again until it ends, and also
        # ends at the flag after that read at most.
        self._stopping = True
        pending, self._tasks = set(self._tasks), []
        while pending:
            for task in pending:
                task.cancel()
            _, pending = await asyncio.wait(pending, timeout=RECANCEL_SECONDS)

    async def _listen(self, group: str) -> None:
        while not self._stopping:
            try:
                await self._read(group, block_ms=BLOCK_MS)
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as error:
                if not _outages.report(error, "reading the fact streams failed; trying again"):
                    logger.warning("reading the fact streams failed; trying again", exc_info=True)
                await asyncio.sleep(1)
