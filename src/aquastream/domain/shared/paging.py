"""Paging of lists: 0-based pages, bounded sizes, and the page of results."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from aquastream.domain.shared.errors import FieldError, ValidationFailed

T = TypeVar("T")
U = TypeVar("U")

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# Far beyond any real list, and keeps ``offset`` well inside a 64-bit integer.
MAX_PAGE = 1_000_000


@dataclass(frozen=True, slots=True)
class PageRequest:
    """Which slice of a list the caller wants; bad values are refused, never clamped."""

    page: int = 0
    size: int = DEFAULT_PAGE_SIZE

    def __post_init__(self) -> None:
        errors = []
        if not 0 <= self.page <= MAX_PAGE:
            errors.append(FieldError("page", f"must be between 0 and {MAX_PAGE}"))
        if not 1 <= self.size <= MAX_PAGE_SIZE:
            errors.append(FieldError("size", f"must be between 1 and {MAX_PAGE_SIZE}"))
        if errors:
            raise ValidationFailed("Invalid paging parameters.", errors=errors)

    @property
    def offset(self) -> int:
        return self.page * self.size


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: Sequence[T]
    total: int
    page: int
    size: int

    @property
    def total_pages(self) -> int:
        return math.ceil(self.total / self.size) if self.size else 0

    def map(self, convert: Callable[[T], U]) -> Page[U]:
        return Page([convert(item) for item in self.items], self.total, self.page, self.size)
