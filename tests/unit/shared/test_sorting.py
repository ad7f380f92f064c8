"""Reading ``sort``: the documented fields, ``-`` to descend, repeatable or comma-separated,
and the order a list is read in once its defaults are added."""

from __future__ import annotations

from enum import StrEnum

import pytest

from aquastream.adapters.http.sorting import sort_keys
from aquastream.domain.shared.errors import ValidationFailed
from aquastream.domain.shared.sorting import SortKey, complete_order


class Field(StrEnum):
    CREATED_AT = "createdAt"
    STATUS = "status"


FIELDS = tuple(Field)


def test_fields_come_in_the_order_given_whether_repeated_or_comma_separated() -> None:
    expected = (SortKey(Field.STATUS), SortKey(Field.CREATED_AT, descending=True))

    assert sort_keys(["status", "-createdAt"], FIELDS) == expected
    assert sort_keys(["status, -createdAt,"], FIELDS) == expected
    assert sort_keys(None, FIELDS) == ()
    assert sort_keys([""], FIELDS) == ()


@pytest.mark.parametrize("value", ["price", "-Status", "status,-status", "--status"])
def test_an_unknown_or_repeated_field_is_refused_naming_the_allowed_ones(value: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        sort_keys([value], FIELDS)

    (error,) = refused.value.errors
    assert error.field == "sort"
    assert "sort by createdAt, status" in error.message


def test_the_defaults_follow_the_keys_asked_for_without_repeating_a_field() -> None:
    default = (SortKey(Field.CREATED_AT, descending=True),)

    assert complete_order((SortKey(Field.STATUS),), default) == (SortKey(Field.STATUS), *default)
    assert complete_order((SortKey(Field.CREATED_AT),), default) == (SortKey(Field.CREATED_AT),)
    assert complete_order((), default) == default
