"""The pieces every domain's part of a user's data export shares (SPEC §2)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

from aquastream.domain.shared.money import amount_text
from aquastream.domain.shared.paging import MAX_PAGE_SIZE, Page, PageRequest
from aquastream.ports.currencies import CurrencyCatalogue

T = TypeVar("T")

# What a deleted account's companions are called from then on, wherever a domain kept their
# names: the seat stays (counts, amounts and rosters still add up), the person does not.
ERASED_NAME = "(deleted)"


@dataclass(frozen=True, slots=True)
class PersonalDataSection:
    """One domain's part of "download all data held about me": ``export(user_id)`` answers
    a JSON-ready dict that the export puts under ``key`` next to identity's keys. Each domain
    provides one (the composition root collects them), so the export route knows none."""

    key: str
    export: Callable[[uuid.UUID], Awaitable[dict[str, Any]]]


def iso(moment: datetime | None) -> str | None:
    """An export's time: ISO 8601 in UTC with ``Z``, as every API time is."""
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def money(amount: Decimal, currency: str, currencies: CurrencyCatalogue) -> str:
    """An amount as the API writes it: a string with the currency's fraction digits, never a
    float (in a currency no longer taken, as stored)."""
    digits = currencies.minor_digits(currency)
    return f"{amount:f}" if digits is None else amount_text(amount, digits)


async def every_page(fetch: Callable[[PageRequest], Awaitable[Page[T]]]) -> list[T]:
    """All items of a paged list, read in the largest pages allowed."""
    items: list[T] = []
    page = 0
    while True:
        batch = await fetch(PageRequest(page, MAX_PAGE_SIZE))
        items.extend(batch.items)
        if not batch.items or len(items) >= batch.total:
            return items
        page += 1
