"""The SQL unit of work: one connection and one transaction per ``async with``.

Built on an ``AsyncEngine`` (one per process); the composition root makes one unit of
work per request. Entering checks out a connection and begins a transaction; ``commit``
first writes one row per collected domain event into the domain's own outbox (stamped with
the trace in progress, ``adapters.trace_context``), in that same transaction (on
PostgreSQL the outbox's trigger wakes other processes' workers at commit), then commits;
leaving rolls back whatever was not committed and returns the connection.
Statements issued after ``commit`` inside the same block run in a new transaction that
is rolled back unless committed again.

An entry ``at_once`` (``ports.uow.UnitOfWork.at_once``) on PostgreSQL begins no transaction
(autocommit, as reads do): its one change is an ``UPDATE … RETURNING`` that ``change_with_facts``
sends in one statement with the INSERT of the facts collected so far, which selects from the
change's rows, so the facts are written exactly when the change is made. One round trip
instead of four (BEGIN, the change, the facts, COMMIT): the door's check-in. SQLite runs the
same entry as any other (BEGIN IMMEDIATE; the change, then the facts when a row changed).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from types import TracebackType
from typing import Any, Self

from sqlalchemy import (
    Delete,
    Insert,
    RowMapping,
    Select,
    Table,
    UpdateBase,
    bindparam,
    cast,
    insert,
    select,
    union_all,
)
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
        self._at_once = False  # the next entry makes one change with its facts (``at_once``)
        self._autocommit = False  # this entry runs without a transaction (``at_once``, PostgreSQL)
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

    def at_once(self) -> Self:
        self._at_once = True
        return self

    async def __aenter__(self) -> Self:
        if self._connection is not None:
            raise RuntimeError("The unit of work is already in progress; units of work do not nest.")
        self._autocommit = self._at_once and self._engine.dialect.name != "sqlite"
        engine = self._reading_engine if self._reading or self._autocommit else self._engine
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
        self._reading = self._at_once = self._autocommit = False
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
        if self._events:
            await self.connection.execute(_insert_into(self._outbox), _outbox_rows(self._events))
            self._published = True
        self._events = []

    async def change_with_facts(self, change: UpdateBase, parameters: Mapping[str, Any]) -> RowMapping | None:
        """The first row ``change`` (an ``UPDATE … RETURNING``) returns, the facts collected so
        far written with it when it returns one and dropped when not: on PostgreSQL in the
        same statement, elsewhere right after it in the transaction. ``change`` is a statement
        built once (at module level, its values bound): the combined statement is kept for it."""
        events, self._events = self._events, []
        if not events or self._engine.dialect.name == "sqlite":
            row = (await self.connection.execute(change, parameters)).mappings().first()
            if row is not None:
                self._events = events
                await self.write_events()
            return row
        rows = _outbox_rows(events)
        facts = {f"fact_{i}_{name}": value for i, row in enumerate(rows) for name, value in row.items()}
        statement = _with_facts(change, self._outbox, len(rows))
        found = (await self.connection.execute(statement, {**parameters, **facts})).mappings().first()
        if found is not None:
            self._published = True
        return found

    async def commit(self) -> None:
        if self._reading:
            raise RuntimeError("A unit of work entered for reading commits nothing.")
        if self._autocommit and self._events:
            raise RuntimeError("The facts of an entry at once are written with its change.")
        await self.write_events()
        await self.connection.commit()
        if self._published:
            self._published = False
            spine_written(self._engine)


_OUTBOX_COLUMNS = ("id", "event_name", "payload", "created_at", "trace_context")


def _outbox_rows(events: Sequence[DomainEvent]) -> list[dict[str, Any]]:
    """The outbox rows of ``events``, stamped with the trace in progress."""
    trace_context = current_traceparent()
    return [
        {
            "id": event.message_id,
            "event_name": event.event_name(),
            "payload": encode_event(event).decode(),
            "created_at": event.occurred_at,
            "trace_context": trace_context,
        }
        for event in events
    ]


@cache
def _with_facts(change: UpdateBase, outbox: Table, count: int) -> Select[Any]:
    """``WITH done AS (change), written AS (INSERT INTO outbox SELECT <fact> FROM done …)
    SELECT * FROM done``, built once per change, outbox and number of facts (each fact's
    values bound as ``fact_<i>_<column>``; cast, as PostgreSQL types no bare parameter of a
    SELECT list)."""
    done = change.cte("done")
    rows = [
        select(
            *(
                cast(bindparam(f"fact_{i}_{name}"), outbox.c[name].type).label(name)
                for name in _OUTBOX_COLUMNS
            )
        ).select_from(done)
        for i in range(count)
    ]
    source = rows[0] if count == 1 else union_all(*rows)
    written = insert(outbox).from_select(list(_OUTBOX_COLUMNS), source).cte("written")
    return select(done).add_cte(written)


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
