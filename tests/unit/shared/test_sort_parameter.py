"""The ``sort`` of a list: a documented field, ``-`` for descending, anything else refused."""

from __future__ import annotations

from enum import StrEnum

import pytest

from aquastream.domain.shared.errors import FieldError, ValidationFailed
from aquastream.domain.shared.sorting import Sort, parse_sort, sort_choices


class Field(StrEnum):
    DATE_START = "dateStart"
    PRICE = "price"


DEFAULT = Sort(Field.DATE_START)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, DEFAULT),
        ("price", Sort(Field.PRICE)),
        ("-price", Sort(Field.PRICE, descending=True)),
        (" -dateStart ", Sort(Field.DATE_START, descending=True)),
    ],
)
def test_a_documented_field_is_taken_either_way(raw: str | None, expected: Sort[Field]) -> None:
    assert parse_sort(raw, Field, DEFAULT) == expected


@pytest.mark.parametrize("raw", ["", "-", "title", "Price", "--price", "+price"])
def test_anything_else_is_refused_naming_the_allowed_values(raw: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_sort(raw, Field, DEFAULT)

    assert caught.value.errors == (
        FieldError("sort", f"expected one of dateStart, -dateStart, price, -price; got {raw}"),
    )


def test_a_sort_is_spelt_as_the_query_takes_it() -> None:
    assert [Sort(Field.PRICE).text, Sort(Field.PRICE, descending=True).text] == ["price", "-price"]
    assert sort_choices(Field) == ["dateStart", "-dateStart", "price", "-price"]
