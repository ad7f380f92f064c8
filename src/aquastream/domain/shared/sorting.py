"""The order of a list: one of its documented fields, ascending (``field``) or descending
(``-field``), ties broken so that pages never overlap or skip.

Each list names its fields in a ``StrEnum`` whose values are the words of the wire
(``dateStart``, ``price``); an unknown field is a 400 that names the allowed ones.

Two shapes live here, from two lists that got ``sort`` at the same time (to be made one):
- ``Sort`` / ``parse_sort``: one field (the catalog's lists), ties by id in the same direction;
- ``SortKey`` / ``complete_order``: several fields (booking's lists, ``sort=status,-createdAt``),
  completed by the list's default keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from aquastream.domain.shared.errors import FieldError, ValidationFailed, one_of

Key = TypeVar("Key", bound=StrEnum)
F = TypeVar("F", bound=StrEnum)

SORT_FIELD = "sort"


@dataclass(frozen=True, slots=True)
class Sort(Generic[Key]):
    key: Key
    descending: bool = False

    @property
    def text(self) -> str:
        """As ``sort`` spells it: ``dateStart``, ``-favoritedAt``."""
        return f"-{self.key.value}" if self.descending else self.key.value


def sort_choices(keys: type[StrEnum]) -> list[str]:
    """Every value ``sort`` takes for ``keys``: each field, then the same descending."""
    return [choice for key in keys for choice in (key.value, f"-{key.value}")]


def parse_sort(raw: str | None, keys: type[Key], default: Sort[Key]) -> Sort[Key]:
    """``raw`` as a ``Sort`` (``default`` when absent); anything else is ``ValidationFailed``."""
    if raw is None:
        return default
    wanted = raw.strip()
    try:
        key = keys(wanted.removeprefix("-"))
    except ValueError:
        message = one_of(sort_choices(keys), raw)
        raise ValidationFailed("Unknown sort field.", errors=[FieldError(SORT_FIELD, message)]) from None
    return Sort(key, descending=wanted.startswith("-"))


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
