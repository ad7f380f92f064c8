"""The SQL unit of work: one connection and one transaction per ``async with``.

Built on an ``AsyncEngine`` (one per process); the composition root makes one unit of
work per request. Entering checks out a connection and begins a transaction; ``commit``
first writes one row per collected domain event into the domain's own outbox (stamped with
the trace in progress, ``adapters.trace_context``), in that same transaction (on
PostgreSQL the outbox's trigger wakes other processes' workers at commit), then commits;
leaving rolls back whatever was not committed and returns the connection.
Statements issued after ``commit`` inside the same block run in a new transaction that
is rolled back unless committed again.
"""

from __future__ import annotations

from functools import cache
from types import TracebackType
from typing import Self

from sqlalchemy import Delete, Insert, Table, insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from aquastream.adapters.sql.engine import reading_engine
from aquastream.adapters.sql.outbox import spine_written
from aquastream.adapters.trace_context import current_traceparent
from aquastream.domain.shared.errors import Busy
from aquastream.domain.shared.events import DomainEvent, encode_event

LOCK_NOT_AVAILABLE = "55P03"


class SqlUnitOfWork:
    def __init__(self, engine: AsyncEngine, outbox: Table, domain: str) -> None:
        """``outbox``: the domain's own outbox table, where its facts go (``tables.spine``)."""
        self._engine = engine
        self._reading_engine = reading_engine(engine)
        self._reading = False  # the next entry only reads (``reading``)
        self._outbox = outbox
        self._domain = domain
        self._published = False  # facts written in the transaction in progress
        self._connection: AsyncConnection | None = None
        self._events: list[DomainEvent] = []

    @property
    def connection(self) -> AsyncConnection:
        """The connection of the transaction in progress (repositories run on it)."""
        if self._connection is None:
            raise RuntimeError("The unit of work is used outside `async with`.")
        return self._connection

    def reading(self) -> Self:
        self._reading = True
        return self

    async def __aenter__(self) -> Self:
        if self._connection is not None:
            raise RuntimeError("The unit of work is already in progress; units of work do not nest.")
        engine = self._reading_engine if self._reading else self._engine
        connection = await engine.connect()
        try:
            await connection.begin()  # SQLite: BEGIN IMMEDIATE, which may wait for the write lock
        except BaseException as error:
            await connection.close()
            if isinstance(error, DBAPIError) and _is_lock_timeout(error):
                raise Busy() from error
            raise
        self._connection = connection
        self._events = []
        self._published = False
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        connection, self._connection = self._connection, None
        self._events = []
        self._reading = False
        if connection is None:
            return
        try:
            if connection.in_transaction():
                await connection.rollback()
        finally:
            await connection.close()
        if isinstance(exc, DBAPIError) and _is_lock_timeout(exc):
            raise Busy() from exc

    def collect(self, *events: DomainEvent) -> None:
        self._events.extend(events)

    async def write_events(self) -> None:
        connection = self.connection
        if self._events:
            trace_context = current_traceparent()
            await connection.execute(
                _insert_into(self._outbox),
                [
                    {
                        "id": event.message_id,
                        "event_name": event.event_name(),
                        "payload": encode_event(event).decode(),
                        "created_at": event.occurred_at,
                        "trace_context": trace_context,
                    }
                    for event in self._events
                ],
            )
            self._published = True
        self._events = []

    async def commit(self) -> None:
        if self._reading:
            raise RuntimeError("A unit of work entered for reading commits nothing.")
        await self.write_events()
        await self.connection.commit()
        if self._published:
            self._published = False
            spine_written(self._engine)


@cache
def _insert_into(outbox: Table) -> Insert:
    """Each outbox's INSERT, built once (building it per commit was a tenth of writing a fact)."""
    return insert(outbox)


def _is_lock_timeout(error: DBAPIError) -> bool:
    """PostgreSQL's lock_timeout (SQLSTATE 55P03) or SQLite's busy timeout."""
    original = error.orig
    if getattr(original, "sqlstate", None) == LOCK_NOT_AVAILABLE:
        return True
    return "database is locked" in str(original)


class SqlRepository:
    """Base of repositories that run their statements in their unit of work's transaction."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    @property
    def _connection(self) -> AsyncConnection:
        return self._uow.connection

    async def _delete(self, statement: Delete) -> int:
        """Run a DELETE; how many rows went."""
        result = await self._connection.execute(statement)
        return result.rowcount
