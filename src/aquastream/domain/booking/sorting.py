"""The orders booking lists can be read in (SPEC §1: ``sort`` over documented fields).

Decisions where the spec is silent:

- fields: ``createdAt`` (when the booking was made), ``updatedAt`` (its last change),
  ``startsAt`` (its event's start, from booking's own copy of the published event) and
  ``status``. A field's value is the word the API uses for it;
- ``status`` ascending follows the life of a booking, not the alphabet: PENDING, CONFIRMED,
  COMPLETED, NO_SHOW, then the ones that gave their seat back, CANCELLED and EXPIRED;
- after the keys asked for come the list's default keys, then the booking's id in the
  direction of ``createdAt`` (ids are time-ordered), so that equal values keep one order and
  paging never shows a booking twice or skips one.
"""

from __future__ import annotations

from enum import StrEnum

from aquastream.domain.booking.model import BookingStatus
from aquastream.domain.shared.sorting import SortKey, complete_order


class BookingSortField(StrEnum):
    CREATED_AT = "createdAt"
    UPDATED_AT = "updatedAt"
    STARTS_AT = "startsAt"
    STATUS = "status"


BookingSort = tuple[SortKey[BookingSortField], ...]

STATUS_ORDER = (
    BookingStatus.PENDING,
    BookingStatus.CONFIRMED,
    BookingStatus.COMPLETED,
    BookingStatus.NO_SHOW,
    BookingStatus.CANCELLED,
    BookingStatus.EXPIRED,
)
STATUS_RANK = {status: rank for rank, status in enumerate(STATUS_ORDER)}

# A participant's bookings: newest first. An event's bookings: in booking order.
MY_BOOKINGS_ORDER: BookingSort = (SortKey(BookingSortField.CREATED_AT, descending=True),)
EVENT_BOOKINGS_ORDER: BookingSort = (SortKey(BookingSortField.CREATED_AT),)
# What each list may be sorted by: one event's bookings all start together.
MY_BOOKINGS_FIELDS = tuple(BookingSortField)
EVENT_BOOKINGS_FIELDS = (BookingSortField.CREATED_AT, BookingSortField.UPDATED_AT, BookingSortField.STATUS)


def reading_order(requested: BookingSort, default: BookingSort) -> tuple[BookingSort, bool]:
    """The full order of a list (``complete_order``) and whether the ids that end it go
    descending (as ``createdAt`` does in it)."""
    order = complete_order(requested, default)
    ids_descending = next(key.descending for key in order if key.field is BookingSortField.CREATED_AT)
    return order, ids_descending
