"""Statement builders that every domain's SQL adapters share."""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy import Table
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
