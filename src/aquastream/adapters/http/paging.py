"""Paging at the edge: `page`/`size` query parameters in, `{items, total, page, size, totalPages}` out;
and the `sort` query parameter of the lists that offer orders (``domain.shared.sorting``)."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Generic, TypeVar

from litestar.params import QueryParameter

from aquastream.adapters.http.structs import CamelStruct
from aquastream.domain.shared.paging import DEFAULT_PAGE_SIZE, MAX_PAGE, Page, PageRequest
from aquastream.domain.shared.sorting import SORT_FIELD, sort_choices

T = TypeVar("T")
U = TypeVar("U")

PageNumber = Annotated[int, QueryParameter(description=f"0-based page number, at most {MAX_PAGE}.")]
PageSize = Annotated[int, QueryParameter(description="Items per page, 1 to 100.")]


class PageOut(CamelStruct, Generic[T]):
    items: list[T]
    total: int
    page: int
    size: int
    total_pages: int

    @classmethod
    def of(cls, page: Page[U], convert: Callable[[U], T]) -> PageOut[T]:
        return cls(
            items=[convert(item) for item in page.items],
            total=page.total,
            page=page.page,
            size=page.size,
            total_pages=page.total_pages,
        )


def page_request(page: int = 0, size: int = DEFAULT_PAGE_SIZE) -> PageRequest:
    """Bad values are a 400 (``PageRequest`` refuses them), never a silent clamp."""
    return PageRequest(page=page, size=size)


def sort_parameter(keys: type[StrEnum]) -> QueryParameter:
    """The ``sort`` query parameter of a list ordered by ``keys``: the OpenAPI document lists
    its values as an enum; the use case parses it (an unknown value is a 400 naming them)."""
    return QueryParameter(
        name=SORT_FIELD,
        description=(
            "Order by one field, ascending, or descending with a leading '-'; ties by id. "
            "One of " + ", ".join(sort_choices(keys)) + "."
        ),
        schema_extra={"enum": sort_choices(keys)},
    )
