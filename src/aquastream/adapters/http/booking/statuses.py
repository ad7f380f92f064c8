"""The ``status`` filter and the ``sort`` of booking lists: a filter repeatable
(``status=A&status=B``) or comma-separated, the sort fields each list documents."""

from __future__ import annotations

from typing import Annotated

from litestar.params import QueryParameter

from aquastream.adapters.http.sorting import sort_parameter
from aquastream.domain.booking.model import BookingStatus
from aquastream.domain.booking.sorting import EVENT_BOOKINGS_FIELDS, MY_BOOKINGS_FIELDS
from aquastream.domain.shared.errors import FieldError, ValidationFailed

StatusFilter = Annotated[
    list[str] | None,
    QueryParameter(
        name="status",
        description=(
            "Only bookings in these statuses (repeatable or comma-separated): "
            + ", ".join(s.value for s in BookingStatus)
            + "."
        ),
    ),
]

MyBookingsSort = Annotated[list[str] | None, sort_parameter(MY_BOOKINGS_FIELDS, "-createdAt")]
EventBookingsSort = Annotated[list[str] | None, sort_parameter(EVENT_BOOKINGS_FIELDS, "createdAt")]


def booking_statuses(values: list[str] | None) -> frozenset[BookingStatus]:
    """The statuses asked for (empty = all); an unknown one is a 400, not silently ignored."""
    names = [part.strip().upper() for value in values or () for part in value.split(",") if part.strip()]
    unknown = [name for name in names if name not in BookingStatus.__members__]
    if unknown:
        allowed = ", ".join(s.value for s in BookingStatus)
        raise ValidationFailed(
            "Invalid booking status filter.",
            errors=[FieldError("status", f"unknown status {', '.join(unknown)}; use {allowed}")],
        )
    return frozenset(BookingStatus(name) for name in names)
