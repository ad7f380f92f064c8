"""One page of a query's rows, with the total count of the whole list, and the order of a list.

Pages are slices by offset of an order that is total (the sort key, then a unique tie), so the
same query never shows a row twice or skips one while the rows stay as they are."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, RowMapping, Select, func, select
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection

from aquastream.domain.shared.paging import Page, PageRequest

T = TypeVar("T")


async def fetch_page(
    connection: AsyncConnection,
    query: Select[Any],
    paging: PageRequest,
    convert: Callable[[RowMapping], T],
) -> Page[T]:
    """``query`` must be ordered; the count ignores that order."""
    total = await connection.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = await connection.execute(query.limit(paging.size).offset(paging.offset))
    return Page([convert(row) for row in rows.mappings()], total or 0, paging.page, paging.size)


def in_order(
    query: Select[Any], key: ColumnElement[Any], tie: ColumnElement[Any], *, descending: bool
) -> Select[Any]:
    """``query`` ordered by ``key``, ties by the unique ``tie``, both in the same direction."""
    if descending:
        return query.order_by(key.desc(), tie.desc())
    return query.order_by(key.asc(), tie.asc())


def by_code_point(column: ColumnElement[str], dialect: Dialect) -> ColumnElement[Any]:
    """``column`` compared by code point, as SQLite's default (binary) collation and Python do:
    PostgreSQL's database collation (``en_US.UTF-8`` and the like) would skip punctuation and
    fold case, so a text order would differ between the databases; ``C`` does not."""
    if dialect.name == "postgresql":
        return column.collate("C")
    return column
