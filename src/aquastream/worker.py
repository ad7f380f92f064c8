"""The background worker: the event spine (relays and dispatchers) and scheduled jobs, in the
API process or alone.

Any number of workers may run against one database: facts, deliveries and job ticks are
leased in the database, so nothing is handled twice at once. The spine is polled every
``poll_seconds``, and passed at once when woken (a commit in this process, or PostgreSQL's
notification of one in another).

After each pass that reached the database the worker touches its heartbeat file (at most every
``HEARTBEAT_EVERY_SECONDS``), which the container's health check reads
(``aquastream.healthcheck``): a worker whose database is down or not migrated goes stale.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable

from aquastream.adapters.outage import OutageLog
from aquastream.domain.shared.dispatch import OutboxDispatcher
from aquastream.domain.shared.scheduling import Scheduler
from aquastream.healthcheck import HEARTBEAT_FILE

HEARTBEAT_EVERY_SECONDS = 5.0

logger = logging.getLogger("aquastream.worker")
# A database down or not yet migrated fails every pass: one line now and then, not a traceback
# a second (``adapters.outage``); anything else is a bug and keeps its traceback.
_outages = OutageLog(logger)


class BackgroundWorker:
    def __init__(
        self,
        dispatcher: OutboxDispatcher,
        scheduler: Scheduler,
        *,
        poll_seconds: float = 1.0,
        tick_seconds: float = 1.0,
    ) -> None:
        self._dispatcher = dispatcher
        self._scheduler = scheduler
        self._poll_seconds = poll_seconds
        self._tick_seconds = tick_seconds
        self._stop = asyncio.Event()
        self._woken = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._start_hooks: list[Callable[[], None]] = []
        self._beaten_at = -HEARTBEAT_EVERY_SECONDS

    async def run(self) -> None:
        """Run until ``stop()``; errors of one pass are logged and the loop goes on."""
        self._stop.clear()
        for hook in self._start_hooks:
            hook()
        logger.info("worker started", extra={"jobs": [job.name for job in self._scheduler.jobs]})
        await asyncio.gather(self._dispatch_loop(), self._schedule_loop())
        logger.info("worker stopped")

    def on_start(self, hook: Callable[[], None]) -> None:
        """Call ``hook`` in the event loop when the worker starts (a listener that wakes it)."""
        self._start_hooks.append(hook)

    def start(self) -> None:
        """Run in the background of the current event loop (the in-process mode)."""
        self._tasks.append(asyncio.get_running_loop().create_task(self.run(), name="aquastream-worker"))

    async def stop(self) -> None:
        self._stop.set()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()

    def wake(self) -> None:
        """Facts or deliveries were just committed: pass at once instead of at the next poll."""
        self._woken.set()

    async def _dispatch_loop(self) -> None:
        while not self._stop.is_set():
            self._woken.clear()
            try:
                moved = await self._dispatcher.dispatch_once()
                self._heartbeat()
            except Exception as error:
                if not _outages.report(error, "event spine pass failed"):
                    logger.exception("event spine pass failed")
                moved = 0
            if moved == 0:
                await self._until_woken(self._poll_seconds)

    def _heartbeat(self) -> None:
        now = time.monotonic()
        if now - self._beaten_at < HEARTBEAT_EVERY_SECONDS:
            return
        self._beaten_at = now
        try:
            HEARTBEAT_FILE.touch()
        except OSError:  # no writable temporary folder: only the container's health check misses it
            logger.debug("could not touch the heartbeat file %s", HEARTBEAT_FILE, exc_info=True)

    async def _until_woken(self, seconds: float) -> None:
        woken = asyncio.ensure_future(self._woken.wait())
        stopped = asyncio.ensure_future(self._stop.wait())
        try:
            await asyncio.wait({woken, stopped}, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            woken.cancel()
            stopped.cancel()

    async def _schedule_loop(self) -> None:
        while not self._stop.is_set():
            try:
                await self._scheduler.run_due()
            except Exception as error:
                if not _outages.report(error, "scheduler pass failed"):
                    logger.exception("scheduler pass failed")
            await self._pause(self._tick_seconds)

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), timeout=seconds)
