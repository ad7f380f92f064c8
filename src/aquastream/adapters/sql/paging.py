"""One page of a query's rows, with the total count of the whole list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import RowMapping, Select, func, select
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
