"""Which unique constraint a failed INSERT or UPDATE ran into, read the same way on both dialects.

Adapters turn a violated constraint into a domain error by its name (``uq_users_email``
becomes ``EmailAlreadyRegistered``). PostgreSQL names the constraint; SQLite names an
expression index but, for a plain unique constraint, only lists the columns, which are
matched against the table's unique constraints and indexes.
"""

from __future__ import annotations

import re

from sqlalchemy import Table, UniqueConstraint
from sqlalchemy.exc import IntegrityError

_SQLITE_INDEX = re.compile(r"UNIQUE constraint failed: index '(?P<name>[^']+)'")
_SQLITE_COLUMNS = re.compile(r"UNIQUE constraint failed: (?P<columns>[\w.]+(?:, [\w.]+)*)")


def violated_unique(error: IntegrityError, table: Table) -> str | None:
    """The name of the unique constraint or index of ``table`` that ``error`` reports."""
    driver_error = error.orig
    for candidate in (driver_error, getattr(driver_error, "__cause__", None)):
        # asyncpg's UniqueViolationError carries the name; SQLAlchemy's wrapper chains it.
        name = getattr(candidate, "constraint_name", None)
        if isinstance(name, str):
            return name
    message = str(driver_error)
    if match := _SQLITE_INDEX.search(message):
        return match["name"]
    if match := _SQLITE_COLUMNS.search(message):
        qualified = [column.split(".") for column in match["columns"].split(", ")]
        if all(len(parts) == 2 and parts[0] == table.name for parts in qualified):
            return _unique_named_by_columns(table, {column for _, column in qualified})
    return None


def _unique_named_by_columns(table: Table, columns: set[str]) -> str | None:
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint) and {c.name for c in constraint.columns} == columns:
            return str(constraint.name)
    for index in table.indexes:
        if index.unique and {c.name for c in index.columns} == columns:
            return str(index.name)
    return None
