"""Tells this process when another process commits facts or deliveries: PostgreSQL's
``LISTEN`` on the spine's channel (``outbox.SPINE_CHANNEL``), on a connection of its own,
outside the engine's pool (held for the life of the process, it would take one of the pool's
connections, which are all the engine ever opens). A
lost connection is opened again after a pause; meanwhile the worker's poll still runs (and
the catalog cache's entries expire), so a missed notification only costs latency. SQLite
has no other process to hear from.

``SpineListeners`` keeps one such connection per distinct engine for the whole process and
passes what it hears to every party that asked (the worker's wake-up, the catalog cache)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from aquastream.adapters.outage import OutageLog
from aquastream.adapters.sql.outbox import SPINE_CHANNEL

logger = logging.getLogger("aquastream.worker")
_outages = OutageLog(logger)

RECONNECT_SECONDS = 2.0


class SpineListener:
    def __init__(self, engine: AsyncEngine, wake: Callable[[], None]) -> None:
        self._engine = engine
        self._wake = wake
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._engine.dialect.name == "postgresql" and self._task is None:
            self._task = asyncio.get_running_loop().create_task(
                self._listen(), name="aquastream-spine-listener"
            )

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _listen(self) -> None:
        while True:
            try:
                await self._listen_on_one_connection()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                if not _outages.report(error, "spine listener lost its connection; polling meanwhile"):
                    logger.warning("spine listener lost its connection; polling meanwhile", exc_info=True)
            await asyncio.sleep(RECONNECT_SECONDS)

    async def _listen_on_one_connection(self) -> None:
        """Until the connection is lost (the server restarted, the network broke)."""
        lost = asyncio.Event()
        unpooled = create_async_engine(self._engine.url, poolclass=NullPool)
        try:
            async with unpooled.connect() as connection:
                raw = (await connection.get_raw_connection()).driver_connection
                assert raw is not None
                await raw.add_listener(SPINE_CHANNEL, self._heard)
                raw.add_termination_listener(lambda _connection: lost.set())
                await lost.wait()
        finally:
            await unpooled.dispose()

    def _heard(self, *_notification: Any) -> None:
        self._wake()


class SpineListeners:
    """One listening connection per engine, whoever in the process wants to hear."""

    def __init__(self, engines: Sequence[AsyncEngine]) -> None:
        self._callbacks: list[Callable[[], None]] = []
        self._listeners = [SpineListener(engine, self._heard) for engine in engines]

    def add(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call ``callback`` at each notification from now on (the connections open with the
        first one; call it in the event loop that should listen); returns its remover."""
        self._callbacks.append(callback)
        for listener in self._listeners:
            listener.start()
        return lambda: self._callbacks.remove(callback)

    async def stop(self) -> None:
        for listener in self._listeners:
            await listener.stop()

    def _heard(self) -> None:
        for callback in list(self._callbacks):
            callback()
