"""Sorting of lists: the fields a list may be sorted by, each ascending or descending."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

F = TypeVar("F", bound=StrEnum)


@dataclass(frozen=True, slots=True)
class SortKey(Generic[F]):
    """One field of a list's order; ``descending`` reverses it."""

    field: F
    descending: bool = False


def complete_order(requested: Sequence[SortKey[F]], default: Sequence[SortKey[F]]) -> tuple[SortKey[F], ...]:
    """The order a list is read in: the keys asked for, then the list's default keys on fields
    not asked for (the first key of a field wins). With a default that ends on a field no two
    rows share (adapters add the id), pages never overlap nor skip a row."""
    seen: set[F] = set()
    order = []
    for key in (*requested, *default):
        if key.field not in seen:
            seen.add(key.field)
            order.append(key)
    return tuple(order)
