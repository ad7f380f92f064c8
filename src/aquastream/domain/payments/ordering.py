"""The orders the payment lists offer (``sort``), as the wire names them, and their default.

The caller's payments and an event's payments: ``createdAt`` (the default, newest first),
``amount`` (compared as it is, not converted between currencies) or ``status`` (by the status'
name, compared by code point: the same order on every database).

The moderation queue of QR receipts offers no ``sort``: oldest submission first is its
meaning (first come, first reviewed).
"""

from __future__ import annotations

from enum import StrEnum

from aquastream.domain.shared.sorting import Sort


class PaymentSortKey(StrEnum):
    CREATED_AT = "createdAt"
    AMOUNT = "amount"
    STATUS = "status"


NEWEST_PAYMENTS = Sort(PaymentSortKey.CREATED_AT, descending=True)
