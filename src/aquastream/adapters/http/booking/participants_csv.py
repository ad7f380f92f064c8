"""The participant list as a CSV file that spreadsheets open safely.

UTF-8 with a byte-order mark, so that Excel reads Cyrillic names correctly; one header
row; cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) are prefixed with an apostrophe, so a name such as
``=HYPERLINK(…)`` stays text (OWASP "CSV injection"). Phone numbers in E.164 start
with ``+`` and so carry the apostrophe too, which also keeps Excel from reading them
as numbers.

One row per seat: a group booking's holder (``Seat`` 0) and each active companion (1, 2, …,
the companion's name under ``First name``, the holder's ``User ID``), each with the seat's
share of the amount, so an organizer can count heads and sum money by rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime

from aquastream.adapters.currencies import written
from aquastream.domain.booking.model import ParticipantRow

# Litestar adds "; charset=utf-8" to text/* types.
CSV_MEDIA_TYPE = "text/csv"
BYTE_ORDER_MARK = "\ufeff"
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")

HEADER = (
    "Booking ID",
    "Status",
    "Payment status",
    "User ID",
    "First name",
    "Last name",
    "Email",
    "Phone",
    "Telegram",
    "Amount",
    "Currency",
    "Booked at (UTC)",
    "Seat",
)


def participants_csv(rows: Iterable[ParticipantRow]) -> bytes:
    buffer = io.StringIO()
    buffer.write(BYTE_ORDER_MARK)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows([_safe(cell) for cell in _cells(row)] for row in rows)
    return buffer.getvalue().encode("utf-8")


def _cells(row: ParticipantRow) -> tuple[str, ...]:
    return (
        str(row.booking_id),
        row.status.value,
        row.payment_status.value,
        str(row.user_id),
        row.first_name or "",
        row.last_name or "",
        row.email or "",
        row.phone or "",
        row.telegram or "",
        written(row.amount, row.currency),
        row.currency,
        _instant(row.booked_at),
        str(row.seat),
    )


def _instant(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def _safe(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_LEADS) else cell
