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
sends in one statement with the INSERTs of the rows written in the entry so far
(``write_with_change``) and of the facts collected so far, each selecting from the change's
rows, so they are written exactly when the change is made. One round trip instead of a
transaction's BEGIN, change, INSERTs and COMMIT: the door's check-in, a new booking. A row
that collides with one that exists (a unique key) fails the whole statement: nothing is
written, and ``ChangeCollided`` says so. SQLite runs the same entry as any other (BEGIN
IMMEDIATE; rows written as they come, the change, then the facts when a row changed).
Where the driver's lane serves (``adapters.sql.driver``: nothing listens to the engine's
statements), the entry checks out the driver's connection alone and that statement is sent by
asyncpg itself; SQLAlchemy's connection is made around it only when a repository asks for one
(``connection``: a read before the change, say).
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from functools import cache
from types import TracebackType
from typing import Any, Self

from sqlalchemy import (
    Delete,
    RowMapping,
    Table,
    UpdateBase,
    bindparam,
    cast,
    insert,
    select,
    union_all,
)
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.pool import PoolProxiedConnection

from aquastream.adapters.sql import driver
from aquastream.adapters.sql.engine import reading_engine
from aquastream.adapters.sql.outbox import spine_written
from aquastream.adapters.sql.statements import insert_rows
from aquastream.adapters.trace_context import current_traceparent
from aquastream.domain.shared.errors import Busy
from aquastream.domain.shared.events import DomainEvent, encode_event
from aquastream.ports.uow import ChangeCollided

LOCK_NOT_AVAILABLE = "55P03"
DEADLOCK_DETECTED = "40P01"


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
        # An entry at once served by the driver (``adapters.sql.driver``): its pooled connection.
        self._pooled: PoolProxiedConnection | None = None
        self._events: list[DomainEvent] = []
        self._with_change: list[tuple[Table, dict[str, Any]]] = []  # rows written with the change

    @property
    def connection(self) -> AsyncConnection:
        """The connection of the transaction in progress (repositories run on it)."""
        if self._connection is None:
            if self._pooled is None:
                raise RuntimeError("The unit of work is used outside `async with`.")
            self._connection = driver.as_connection(self._reading_engine, self._pooled)
        return self._connection

    def reading(self) -> Self:
        self._reading = True
        return self

    def at_once(self) -> Self:
        self._at_once = True
        return self

    @property
    def writes_with_change(self) -> bool:
        """This entry's writes wait for its change (``write_with_change``): an entry ``at_once``
        on PostgreSQL. On SQLite the entry is a transaction like any other and writes at once
        (a duplicate is then found as in any transaction, and nothing needs undoing twice)."""
        return self._autocommit

    async def write_with_change(self, table: Table, row: dict[str, Any]) -> None:
        """Insert ``row`` into ``table``: with the change of an entry that waits for it (and
        only if the change is made; ``row`` may be completed until then), in any other entry
        now."""
        if self._autocommit:
            self._with_change.append((table, row))
        else:
            await self.connection.execute(insert(table), [dict(row)])

    async def __aenter__(self) -> Self:
        if self._connection is not None or self._pooled is not None:
            raise RuntimeError("The unit of work is already in progress; units of work do not nest.")
        self._autocommit = self._at_once and self._engine.dialect.name != "sqlite"
        self._events = []
        self._with_change = []
        self._published = False
        if self._autocommit and driver.serves(self._engine):
            # No transaction to begin: the driver's connection alone, and SQLAlchemy's around
            # it only if a repository asks for it (``connection``).
            self._pooled = await self._reading_engine.raw_connection()
            return self
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
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        connection, self._connection = self._connection, None
        pooled, self._pooled = self._pooled, None
        self._events = []
        self._with_change = []
        self._reading = self._at_once = self._autocommit = False
        try:
            if connection is not None and connection.in_transaction():
                await connection.rollback()
        finally:
            if connection is not None:
                await connection.close()  # and with it ``pooled``, when it was made on it
            elif pooled is not None:
                await driver.give_back(pooled)
        if isinstance(exc, DBAPIError) and _is_lock_timeout(exc):
            raise Busy() from exc

    def collect(self, *events: DomainEvent) -> None:
        self._events.extend(events)

    async def write_events(self) -> None:
        if self._at_once:
            return  # the facts of an entry at once are written with its change
        if self._events:
            await insert_rows(self.connection, self._outbox, _outbox_rows(self._events))
            self._published = True
        self._events = []

    async def change_with_facts(self, change: UpdateBase, parameters: Mapping[str, Any]) -> RowMapping | None:
        """The first row ``change`` (an ``UPDATE … RETURNING``) returns, the rows written so far
        (``write_with_change``) and the facts collected so far written with it when it returns
        one and dropped when not: on PostgreSQL in the same statement, elsewhere right after it
        in the transaction. ``ChangeCollided`` when a row collides with one that exists: then
        nothing stands (the caller leaves the entry without committing). ``change`` is a
        statement built once (at module level, its values bound): the combined statement is
        kept for it and the shape of the rows."""
        rows = self._with_change + [(self._outbox, row) for row in _outbox_rows(self._events)]
        self._with_change, self._events = [], []
        try:
            if not rows or self._engine.dialect.name == "sqlite":
                found = (await self.connection.execute(change, parameters)).mappings().first()
                if found is not None:
                    for table, row in rows:
                        await self.connection.execute(insert(table), [row])
            else:
                shape = tuple((table, tuple(row)) for table, row in rows)
                values = {
                    f"w_{i}_{name}": value for i, (_, row) in enumerate(rows) for name, value in row.items()
                }
                found = await self._first(_with_rows(change, shape), {**parameters, **values})
        except IntegrityError as error:
            raise ChangeCollided() from error
        if found is not None and any(table is self._outbox for table, _ in rows):
            self._published = True
        return found

    async def _first(self, statement: driver.Prepared, parameters: Mapping[str, Any]) -> RowMapping | None:
        """The first row ``statement`` returns: sent by the driver itself in autocommit, where
        the lane serves (``adapters.sql.driver``), else by SQLAlchemy."""
        pooled = self._pooled
        forms = None if pooled is None else driver.forms(self._engine, [statement])
        if pooled is None or forms is None:
            return (await self.connection.execute(statement.statement, parameters)).mappings().first()
        rows = await driver.run(self._reading_engine, pooled, forms[0], parameters)
        return rows[0]._mapping if rows else None

    async def commit(self) -> None:
        if self._reading:
            raise RuntimeError("A unit of work entered for reading commits nothing.")
        if self._at_once and (self._events or self._with_change):
            raise RuntimeError("The writes of an entry at once are made with its change.")
        await self.write_events()
        if self._pooled is None or self._connection is not None:  # else nothing was begun
            await self.connection.commit()
        if self._published:
            self._published = False
            spine_written(self._engine)


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
def _with_rows(change: UpdateBase, shape: tuple[tuple[Table, tuple[str, ...]], ...]) -> driver.Prepared:
    """``WITH done AS (change), written_<k> AS (INSERT INTO <table> SELECT <row> FROM done …)
    SELECT * FROM done``, built once per change and shape (each row's table and columns, in
    order; the rows of one table in one INSERT); each value bound as ``w_<i>_<column>``, cast,
    as PostgreSQL types no bare parameter of a SELECT list."""
    done = change.cte("done")
    statement = select(done)
    tables = list(dict.fromkeys(table for table, _ in shape))
    for k, table in enumerate(tables):
        columns = next(names for t, names in shape if t is table)
        selects = [
            select(
                *(
                    cast(bindparam(f"w_{i}_{name}", type_=table.c[name].type), table.c[name].type).label(name)
                    for name in names
                )
            ).select_from(done)
            for i, (t, names) in enumerate(shape)
            if t is table
        ]
        if any(names != columns for t, names in shape if t is table):
            raise ValueError(f"rows of {table.fullname} written with one change name different columns")
        source = selects[0] if len(selects) == 1 else union_all(*selects)
        statement = statement.add_cte(insert(table).from_select(list(columns), source).cte(f"written_{k}"))
    return driver.Prepared(statement)


def _is_lock_timeout(error: DBAPIError) -> bool:
    """PostgreSQL's lock_timeout (SQLSTATE 55P03) or a deadlock it broke (40P01: this
    transaction was the one undone, so trying again will do), or SQLite's busy timeout."""
    original = error.orig
    if getattr(original, "sqlstate", None) in (LOCK_NOT_AVAILABLE, DEADLOCK_DETECTED):
        return True
    return "database is locked" in str(original)


class SqlRepository:
    """Base of repositories that run their statements in their unit of work's transaction."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        # Held weakly: the unit of work holds its repositories, and a strong reference back
        # made a cycle of every request's unit of work and repositories, which only the
        # cycle collector freed (they piled up between its full passes: RSS and pauses).
        self._uow: SqlUnitOfWork = weakref.proxy(uow)

    @property
    def _connection(self) -> AsyncConnection:
        return self._uow.connection

    async def _delete(self, statement: Delete) -> int:
        """Run a DELETE; how many rows went."""
        result = await self._connection.execute(statement)
        return result.rowcount
