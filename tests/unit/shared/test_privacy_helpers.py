"""The helpers every domain's data export shares."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from aquastream.adapters.memory.currencies import FixedCurrencies
from aquastream.domain.shared.paging import MAX_PAGE_SIZE, Page, PageRequest
from aquastream.domain.shared.privacy import every_page, iso, money


async def test_every_page_reads_a_list_longer_than_one_page_to_its_end() -> None:
    items = list(range(2 * MAX_PAGE_SIZE + 3))
    asked: list[PageRequest] = []

    async def fetch(paging: PageRequest) -> Page[int]:
        asked.append(paging)
        return Page(items[paging.offset : paging.offset + paging.size], len(items), paging.page, paging.size)

    assert await every_page(fetch) == items
    assert [p.page for p in asked] == [0, 1, 2]


async def test_every_page_of_an_empty_list_asks_once() -> None:
    asked: list[PageRequest] = []

    async def fetch(paging: PageRequest) -> Page[int]:
        asked.append(paging)
        return Page([], 0, paging.page, paging.size)

    assert await every_page(fetch) == []
    assert len(asked) == 1


def test_times_and_amounts_are_written_as_the_api_writes_them() -> None:
    assert iso(datetime(2026, 7, 1, 9, 30, tzinfo=UTC)) == "2026-07-01T09:30:00Z"
    assert iso(None) is None
    currencies = FixedCurrencies()
    assert money(Decimal("1500"), "RUB", currencies) == "1500.00"
    assert money(Decimal("1000.000"), "JPY", currencies) == "1000"
    assert money(Decimal("1.234"), "KWD", currencies) == "1.234"
    assert money(Decimal("12.50"), "HRK", currencies) == "12.50"  # no longer taken: as stored
