"""The ``sort`` query parameter of lists (SPEC §1): the documented fields, ``-field`` for
descending, repeatable (``sort=status&sort=-createdAt``) or comma-separated
(``sort=status,-createdAt``); the first key decides, the next ones break ties.

A field the list does not document, or one named twice, is a 400 that names the allowed
ones; the OpenAPI document lists them as the parameter's enum. Each list passes the fields
it allows, as a ``StrEnum`` whose values are the names the API uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import TypeVar

from litestar.params import QueryParameter

from aquastream.domain.shared.errors import FieldError, ValidationFailed
from aquastream.domain.shared.sorting import SortKey

F = TypeVar("F", bound=StrEnum)

DESCENDING = "-"


def _choices(fields: Sequence[StrEnum]) -> list[str]:
    return [name for field in fields for name in (field.value, DESCENDING + field.value)]


def sort_parameter(fields: Sequence[StrEnum], default: str) -> QueryParameter:
    """The parameter's declaration, for ``Annotated[list[str] | None, sort_parameter(...)]``."""
    return QueryParameter(
        name="sort",
        description=(
            f"Order of the list: {', '.join(f.value for f in fields)}; a leading `-` sorts "
            "descending. Repeatable or comma-separated: the first key decides, the next break "
            f"ties. Default `{default}`; equal values keep a stable order across pages."
        ),
        schema_extra={"items": {"type": "string", "enum": _choices(fields)}},
    )


def sort_keys(values: list[str] | None, fields: Sequence[F]) -> tuple[SortKey[F], ...]:
    """The keys asked for, in order (empty: the list's default); a field not in ``fields``, or
    one named twice, is a 400 (``validation.failed``) naming the allowed fields."""
    by_name = {field.value: field for field in fields}
    keys: list[SortKey[F]] = []
    problems: list[str] = []
    for value in values or ():
        for part in (p.strip() for p in value.split(",")):
            if not part:
                continue
            name = part.removeprefix(DESCENDING)
            field = by_name.get(name)
            if field is None:
                problems.append(f"unknown sort field {name!r}")
            elif any(key.field is field for key in keys):
                problems.append(f"sort field {name!r} given twice")
            else:
                keys.append(SortKey(field, descending=part.startswith(DESCENDING)))
    if problems:
        allowed = ", ".join(by_name)
        raise ValidationFailed(
            "Invalid sort.",
            errors=[FieldError("sort", f"{'; '.join(problems)}; sort by {allowed} (prefix - to descend)")],
        )
    return tuple(keys)
