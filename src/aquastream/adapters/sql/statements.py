"""Statement builders that every domain's SQL adapters share."""

from __future__ import annotations

import copy
from collections.abc import Collection, Mapping, Sequence
from functools import cache
from typing import Any

from advanced_alchemy.types import GUID
from sqlalchemy import (
    CTE,
    BindParameter,
    ColumnElement,
    Insert,
    Select,
    Table,
    any_,
    bindparam,
    cast,
    column,
    func,
    insert,
    select,
    values,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql.dml import OnConflictDoNothing as PgDoNothing
from sqlalchemy.dialects.postgresql.dml import OnConflictDoUpdate as PgDoUpdate
from sqlalchemy.dialects.sqlite.dml import OnConflictDoNothing as SqliteDoNothing
from sqlalchemy.dialects.sqlite.dml import OnConflictDoUpdate as SqliteDoUpdate
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.sql.visitors import InternalTraversal

# SQLAlchemy compiles a statement once and reuses the SQL for every statement of the same
# shape, by a cache key of the statement's parts. Its PostgreSQL and SQLite INSERTs have no
# key ("inherit_cache = False": the ON CONFLICT clause has no key of its own), so every
# INSERT … ON CONFLICT was compiled afresh: a booking, a notification, a delivery each paid
# a full compilation (about a sixth of the spine's CPU under load). Below, DO NOTHING gets
# a key of what it renders: the constraint's name, the target columns' names and the
# partial-index predicate. DO UPDATE stays uncached, as before (its SET clause would need a
# key of its own, and no hot path upserts).
_DO_NOTHING_KEY = [
    ("_target_names", InternalTraversal.dp_string_list),
    ("inferred_target_whereclause", InternalTraversal.dp_clauseelement),
]


class _KeyedPgDoNothing(PgDoNothing):
    _traverse_internals = [("constraint_target", InternalTraversal.dp_string), *_DO_NOTHING_KEY]
    _target_names: list[str]


class _KeyedSqliteDoNothing(SqliteDoNothing):
    _traverse_internals = _DO_NOTHING_KEY
    _target_names: list[str]


class _UncachedPgDoUpdate(PgDoUpdate):
    inherit_cache = False  # said, so that SQLAlchemy does not warn about it


class _UncachedSqliteDoUpdate(SqliteDoUpdate):
    inherit_cache = False


def _rebranded(clause: Any, new_type: type[Any]) -> Any:
    copied = copy.copy(clause)
    copied.__class__ = new_type
    return copied


def _keyed(clause: Any, keyed_type: type[Any]) -> Any:
    """``clause`` as ``keyed_type`` when its target is named columns (all of ours); else as is."""
    elements = clause.inferred_target_elements or []
    if not all(isinstance(element, str) for element in elements):
        return clause
    keyed = _rebranded(clause, keyed_type)
    keyed._target_names = list(elements)
    return keyed


class _PgInsert(postgresql.Insert):
    inherit_cache = True

    def on_conflict_do_nothing(self, *args: Any, **kwargs: Any) -> _PgInsert:
        statement: _PgInsert = super().on_conflict_do_nothing(*args, **kwargs)
        statement._post_values_clause = _keyed(statement._post_values_clause, _KeyedPgDoNothing)
        return statement

    def on_conflict_do_update(self, *args: Any, **kwargs: Any) -> _PgInsert:
        statement: _PgInsert = super().on_conflict_do_update(*args, **kwargs)
        statement._post_values_clause = _rebranded(statement._post_values_clause, _UncachedPgDoUpdate)
        return statement


class _SqliteInsert(sqlite.Insert):
    inherit_cache = True

    def on_conflict_do_nothing(self, *args: Any, **kwargs: Any) -> _SqliteInsert:
        statement: _SqliteInsert = super().on_conflict_do_nothing(*args, **kwargs)
        statement._post_values_clause = _keyed(statement._post_values_clause, _KeyedSqliteDoNothing)
        return statement

    def on_conflict_do_update(self, *args: Any, **kwargs: Any) -> _SqliteInsert:
        statement: _SqliteInsert = super().on_conflict_do_update(*args, **kwargs)
        statement._post_values_clause = _rebranded(statement._post_values_clause, _UncachedSqliteDoUpdate)
        return statement


def dialect_insert(
    connection: AsyncConnection | AsyncEngine, table: Table
) -> postgresql.Insert | sqlite.Insert:
    """An INSERT that can say ON CONFLICT DO NOTHING in the connection's (or engine's)
    dialect, compiled once per shape like any other statement."""
    if connection.dialect.name == "postgresql":
        return _PgInsert(table)
    return _SqliteInsert(table)


# A batch (a job's hundreds of bookings, the events they touch) is sent to PostgreSQL as one
# array per column: the statement has the same few parameters whatever the batch's size, so
# SQLAlchemy compiles it once and asyncpg prepares it once, and the values go in the driver's
# binary array encoding. An ``IN (…)`` list or a ``VALUES`` table would be a new statement for
# every size, compiled (a VALUES table is not cached at all), rendered and prepared again,
# with a parameter each value. SQLite has no arrays: it gets the IN list and VALUES.


def _array_of(type_: Any) -> postgresql.ARRAY[Any]:
    """PostgreSQL's array of ``type_``; of uuids, of the dialect's own uuid type: asyncpg takes
    uuid objects as they are, where a GUID column's type would turn each into text first."""
    return postgresql.ARRAY(postgresql.UUID(as_uuid=True) if isinstance(type_, GUID) else type_)


def one_of(
    connection: AsyncConnection | AsyncEngine, column_: ColumnElement[Any], choices: Collection[Any]
) -> ColumnElement[bool]:
    """``column_ IN choices``: ``column_ = ANY(:array)`` on PostgreSQL."""
    if connection.dialect.name == "postgresql":
        return column_ == any_(bindparam(None, list(choices), type_=_array_of(column_.type)))
    return column_.in_(list(choices))


def any_of(column_: ColumnElement[Any], name: str, dialect: str) -> ColumnElement[bool]:
    """``one_of`` in a statement built once, its choices bound at each execution as ``name``
    (a list): one array on PostgreSQL, an ``IN`` list expanded when sent elsewhere."""
    if dialect == "postgresql":
        return column_ == any_(bindparam(name, type_=_array_of(column_.type)))
    return column_.in_(bindparam(name, expanding=True))


def rows_table(
    connection: AsyncConnection | AsyncEngine,
    name: str,
    columns: Sequence[tuple[str, Any]],
    rows: Sequence[tuple[Any, ...]],
) -> CTE:
    """``WITH name(columns) AS (…rows)``, a small table of ``rows`` (one value per column each)
    a statement can join: ``unnest`` of one array per column on PostgreSQL, ``VALUES`` elsewhere."""
    if connection.dialect.name == "postgresql":
        arrays = [
            bindparam(None, [row[i] for row in rows], type_=_array_of(type_))
            for i, (_, type_) in enumerate(columns)
        ]
        return _unnested(arrays, [title for title, _ in columns], f"{name}_rows").cte(name)
    return values(*(column(title, type_) for title, type_ in columns), name=name).data(list(rows)).cte(name)


def unnested_rows(name: str, columns: Sequence[tuple[str, Any]]) -> CTE:
    """``rows_table`` of PostgreSQL for a statement built once: its arrays are the parameters
    ``<name>_<column>``, which ``unnested_values`` fills."""
    arrays = [bindparam(f"{name}_{title}", type_=_array_of(type_)) for title, type_ in columns]
    return _unnested(arrays, [title for title, _ in columns], f"{name}_rows").cte(name)


def unnested_values(
    name: str, columns: Sequence[tuple[str, Any]], rows: Sequence[tuple[Any, ...]]
) -> dict[str, list[Any]]:
    """The parameters of ``unnested_rows(name, columns)`` that make its rows ``rows``."""
    return {f"{name}_{title}": [row[i] for row in rows] for i, (title, _) in enumerate(columns)}


async def insert_rows(
    connection: AsyncConnection,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    unless_found: tuple[str, ...] = (),
    returning: str | None = None,
) -> list[Any]:
    """INSERT ``rows`` (each with the same columns) into ``table``, leaving out those whose
    ``unless_found`` columns (a unique index) match a row already there: on PostgreSQL one
    statement, ``INSERT … SELECT`` from ``unnest`` of one array per column; elsewhere an
    executemany. The ``returning`` column of each row written (none asked, none given)."""
    if not rows:
        return []
    if connection.dialect.name == "postgresql":
        first = rows[0]
        names = tuple(first)
        # A value every row shares (a batch's status, reason, time: the same object) is bound
        # once rather than as an array of copies, which the driver would check and encode
        # value by value and the server unnest; at least one column stays an array.
        shared = tuple(name for name in names if all(row[name] is first[name] for row in rows))
        if len(shared) == len(names):
            shared = shared[1:]
        statement = _insert_unnested(table, names, shared, unless_found, returning)
        values = {name: first[name] if name in shared else [row[name] for row in rows] for name in names}
        result = await connection.execute(statement, values)
    else:
        result = await connection.execute(_insert(table, unless_found, returning), list(rows))
    return list(result.scalars()) if returning else []


@cache
def _insert(table: Table, unless_found: tuple[str, ...], returning: str | None) -> Insert:
    statement: Insert = insert(table)
    if unless_found:
        statement = _SqliteInsert(table).on_conflict_do_nothing(index_elements=list(unless_found))
    return statement.returning(table.c[returning]) if returning else statement


@cache
def _insert_unnested(
    table: Table,
    names: tuple[str, ...],
    shared: tuple[str, ...],
    unless_found: tuple[str, ...],
    returning: str | None,
) -> Insert:
    """``INSERT … SELECT`` of ``unnest`` of one array per column, but a ``shared`` column's
    one value (cast: PostgreSQL types no bare parameter of a SELECT list)."""
    varying = [name for name in names if name not in shared]
    arrays = [bindparam(name, type_=_array_of(table.c[name].type)) for name in varying]
    given = func.unnest(*arrays).table_valued(*varying).render_derived(name="given")
    picked = [
        given.c[name]
        if name not in shared
        else cast(bindparam(name, type_=table.c[name].type), table.c[name].type)
        for name in names
    ]
    statement = _PgInsert(table).from_select(list(names), select(*picked))
    if unless_found:
        statement = statement.on_conflict_do_nothing(index_elements=list(unless_found))
    return statement.returning(table.c[returning]) if returning else statement


def _unnested(arrays: Sequence[BindParameter[Any]], names: Sequence[str], alias: str) -> Select[Any]:
    """``SELECT … FROM unnest(arrays) AS alias(names)``: a row of every array's n-th values."""
    return select(*func.unnest(*arrays).table_valued(*names).render_derived(name=alias).c)
