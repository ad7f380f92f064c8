"""The hot statements, sent by the driver itself: SQLAlchemy compiles, asyncpg executes.

SQLAlchemy's connection around a statement costs several times the statement: checking a
connection out and in through ``Connection`` (its isolation level set and reset, its events
dispatched), finding the compiled form by the statement's cache key, the execution
context, the adapted DBAPI cursor, a greenlet switch per call. Measured on one connection
and one indexed read of a row: ~290 µs of CPU through ``AsyncConnection``, ~90 µs as below,
~40 µs for asyncpg alone. A booking sends two statements: a sixth of its CPU.

A ``Prepared`` statement is a Core statement built once (at module level, its values
bound), whose SQL the dialect compiles once. On PostgreSQL it is sent by asyncpg on a
connection of the engine's own pool (``AsyncEngine.raw_connection``: the same pool, its
size, its checkout listeners), with SQLAlchemy's own bind processors on the way in and its
result processors on the way out: the rows are SQLAlchemy ``Row`` objects, equal to those
``AsyncConnection.execute`` gives (``tests/contract/test_sql_driver_contract.py`` compares
them), and errors are SQLAlchemy's (the dialect's translation of the driver's error, a
dropped connection invalidated in the pool). asyncpg keeps each connection's prepared
statements (its statement cache), as SQLAlchemy's adapter did.

The driver's connection runs in autocommit (asyncpg begins no transaction by itself): the
lane serves reads outside any transaction and the one-statement entries of a unit of work
``at_once``. Everything else keeps SQLAlchemy's path, which also serves a ``Prepared``
statement whenever the lane cannot: SQLite; a statement whose parameters expand when sent
(``IN`` lists); an engine that echoes statements or has listeners of their execution
(tracing's, a test's or the bench's capture), which then see every statement exactly as it
would be sent here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

from sqlalchemy import ClauseElement, Executable, Row
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.engine.result import SimpleResultMetaData
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.util import greenlet_spawn

Processor = Callable[[Any], Any] | None


class Prepared:
    """A statement built once, sent by the driver where it can be (see the module)."""

    __slots__ = ("_forms", "statement")

    statement: Executable

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        self._forms: dict[Dialect, Form | None] = {}

    def form(self, dialect: Dialect) -> Form | None:
        """Its compiled form for ``dialect``'s driver, or None where the lane cannot send it."""
        try:
            return self._forms[dialect]
        except KeyError:
            found = self._forms[dialect] = Form.of(self.statement, dialect)
            return found


class Form:
    """The SQL of a statement for asyncpg, its parameters in order with their processors, and
    how its rows are made (learned from the first execution: the columns' types)."""

    __slots__ = ("_compiled", "_keys", "_make_row", "_names", "_processors", "_types", "sql")

    def __init__(self, compiled: SQLCompiler) -> None:
        self._compiled = compiled
        self.sql = compiled.string
        self._names = tuple(compiled.positiontup or ())
        processors: Mapping[str, Processor] = compiled._bind_processors  # type: ignore[assignment]
        self._processors = tuple(processors.get(name) for name in self._names)
        self._keys = tuple(column[0] for column in compiled._result_columns)
        self._types = tuple(column[3] for column in compiled._result_columns)
        self._make_row: Callable[[Any], Row[Any]] | None = None

    @classmethod
    def of(cls, statement: Executable, dialect: Dialect) -> Form | None:
        if dialect.driver != "asyncpg":
            return None
        assert isinstance(statement, ClauseElement)
        compiled = statement.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler)
        if compiled.literal_execute_params or compiled.post_compile_params:
            return None  # its SQL depends on the values (an IN list): SQLAlchemy renders it per call
        return cls(compiled)

    def arguments(self, parameters: Mapping[str, Any]) -> list[Any]:
        values = self._compiled.construct_params(parameters)
        return [
            value if process is None else process(value)
            for value, process in zip((values[name] for name in self._names), self._processors, strict=True)
        ]

    async def rows(self, connection: Any, dialect: Dialect, arguments: list[Any]) -> list[Row[Any]]:
        """The rows ``connection`` (asyncpg's, which keeps it prepared) gives for ``arguments``."""
        if self._make_row is None:
            await self._learn_types(connection, dialect)
            assert self._make_row is not None
        make = self._make_row
        return [make(record) for record in await connection.fetch(self.sql, *arguments)]

    async def _learn_types(self, connection: Any, dialect: Dialect) -> None:
        """The result processors SQLAlchemy would pick, given the types the server reports (two
        first executions at once both learn the same)."""
        statement = await connection.prepare(self.sql)
        oids = [attribute.type.oid for attribute in statement.get_attributes()]
        if len(oids) != len(self._keys):
            raise RuntimeError(f"{self.sql!r} returns {len(oids)} columns, compiled for {len(self._keys)}")
        processors = [
            type_._cached_result_processor(dialect, oid) for type_, oid in zip(self._types, oids, strict=True)
        ]
        parent = SimpleResultMetaData(self._keys)
        self._make_row = partial(Row, parent, processors, parent._key_to_index)


def serves(engine: AsyncEngine) -> bool:
    """The lane may send this engine's statements: nothing listens to them or logs them."""
    sync = engine.sync_engine
    dispatch = sync.dispatch
    if sync.echo or dispatch.before_cursor_execute or dispatch.after_cursor_execute:
        return False
    return not (dispatch.before_execute or dispatch.after_execute or sync.dialect.dispatch.handle_error)


def forms(engine: AsyncEngine, statements: Sequence[Executable | Prepared]) -> list[Form] | None:
    """The driver's forms of ``statements``, or None when any must go SQLAlchemy's way."""
    if not serves(engine):
        return None
    found = []
    for statement in statements:
        form = statement.form(engine.dialect) if isinstance(statement, Prepared) else None
        if form is None:
            return None
        found.append(form)
    return found


async def give_back(pooled: PoolProxiedConnection) -> None:
    """Return a connection ``run`` used to its pool (``AsyncEngine.raw_connection``'s)."""
    await greenlet_spawn(pooled.close)


def as_connection(engine: AsyncEngine, pooled: PoolProxiedConnection) -> AsyncConnection:
    """SQLAlchemy's connection around one ``engine.raw_connection()`` checked out (its
    execution options applied, as ``engine.connect()`` would); closing it returns ``pooled``."""
    return AsyncConnection(engine, Connection(engine.sync_engine, connection=pooled))


async def run(
    engine: AsyncEngine, pooled: PoolProxiedConnection, form: Form, parameters: Mapping[str, Any]
) -> list[Row[Any]]:
    arguments = form.arguments(parameters)
    try:
        return await form.rows(pooled.driver_connection, engine.dialect, arguments)
    except Exception as error:
        raised = await _as_sqlalchemy_would(engine, pooled, form, arguments, error)
        if raised is error:
            raise
        raise raised from (raised.orig if isinstance(raised, DBAPIError) else error)
    except BaseException:
        # Cancelled mid-statement (a timeout): the connection's state is unknown, and
        # SQLAlchemy throws such a connection away too.
        await greenlet_spawn(pooled.invalidate)
        raise


async def _as_sqlalchemy_would(
    engine: AsyncEngine, pooled: PoolProxiedConnection, form: Form, arguments: list[Any], error: Exception
) -> BaseException:
    """The error ``AsyncConnection.execute`` would raise: the driver's error translated by the
    dialect (a DBAPI error with its SQLSTATE), wrapped in SQLAlchemy's class of it; a lost
    connection is invalidated (the pool opens another) and says so. Any other error as is."""
    adapted: DBAPIConnection | None = pooled.dbapi_connection
    try:
        adapted._handle_exception(error)  # type: ignore[union-attr]  # always raises
    except Exception as translated:
        dialect = engine.dialect
        if not isinstance(translated, dialect.loaded_dbapi.Error):
            return translated
        lost = dialect.is_disconnect(translated, adapted, None)
        if lost:
            await greenlet_spawn(pooled.invalidate, translated)
        return DBAPIError.instance(
            form.sql,
            arguments,
            translated,
            dialect.loaded_dbapi.Error,
            hide_parameters=engine.sync_engine.hide_parameters,
            connection_invalidated=lost,
            dialect=dialect,
        )
    return error
