"""The background worker: outbox dispatch and scheduled jobs, in the API process or alone.

Any number of workers may run against one database: outbox claims and job ticks are
leased in the database, so no message is handled and no tick is run twice at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from aquastream.domain.shared.dispatch import OutboxDispatcher
from aquastream.domain.shared.scheduling import Scheduler

logger = logging.getLogger("aquastream.worker")


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
        self._tasks: list[asyncio.Task[None]] = []

    async def run(self) -> None:
        """Run until ``stop()``; errors of one pass are logged and the loop goes on."""
        self._stop.clear()
        logger.info("worker started", extra={"jobs": [job.name for job in self._scheduler.jobs]})
        await asyncio.gather(self._dispatch_loop(), self._schedule_loop())
        logger.info("worker stopped")

    def start(self) -> None:
        """Run in the background of the current event loop (the in-process mode)."""
        self._tasks.append(asyncio.get_running_loop().create_task(self.run(), name="aquastream-worker"))

    async def stop(self) -> None:
        self._stop.set()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()

    async def _dispatch_loop(self) -> None:
        while not self._stop.is_set():
            try:
                claimed = await self._dispatcher.dispatch_once()
            except Exception:
                logger.exception("outbox pass failed")
                claimed = 0
            if claimed == 0:
                await self._pause(self._poll_seconds)

    async def _schedule_loop(self) -> None:
        while not self._stop.is_set():
            try:
                await self._scheduler.run_due()
            except Exception:
                logger.exception("scheduler pass failed")
            await self._pause(self._tick_seconds)

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), timeout=seconds)
