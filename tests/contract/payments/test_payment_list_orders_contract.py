"""Contract of the payment lists' orders (``sort``): the caller's and an event's payments in the
same order on every adapter, ties by id in the direction of the sort, pages cutting that one
order. Statuses order by their names, compared by code point (PostgreSQL too)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from aquastream.domain.payments.model import Payment, PaymentMethod, PaymentStatus
from aquastream.domain.payments.ordering import NEWEST_PAYMENTS, PaymentSortKey
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.paging import PageRequest
from aquastream.domain.shared.sorting import Sort

from .kit import PaymentsKit

USER = uuid.uuid4()
EVENT = uuid.uuid4()


def _a_payment(kit: PaymentsKit, minutes: int, amount: str, status: PaymentStatus) -> Payment:
    at = kit.clock.now() + timedelta(minutes=minutes)
    return Payment(
        id=new_id(),
        booking_id=uuid.uuid4(),
        event_id=EVENT,
        organizer_id=uuid.uuid4(),
        user_id=USER,
        method=PaymentMethod.WIDGET,
        provider="sandbox",
        amount=Decimal(amount),
        currency="RUB",
        status=status,
        created_at=at,
        updated_at=at,
    )


async def _payments(kit: PaymentsKit) -> dict[str, Payment]:
    """Five payments of one user for one event: two share a creation time, two an amount,
    two a status."""
    made = {
        "first": _a_payment(kit, 0, "1500.00", PaymentStatus.SUCCEEDED),
        "second_a": _a_payment(kit, 5, "200.50", PaymentStatus.PENDING),
        "second_b": _a_payment(kit, 5, "9000.00", PaymentStatus.FAILED),
        "third": _a_payment(kit, 9, "1500.00", PaymentStatus.PARTIALLY_REFUNDED),
        "last": _a_payment(kit, 12, "75.00", PaymentStatus.FAILED),
    }
    ports = kit.new_ports()
    async with ports.uow:
        for payment in made.values():
            await ports.uow.payments.add(payment)
        await ports.uow.commit()
    return made


def _by_id(made: dict[str, Payment], *names: str, descending: bool = False) -> list[str]:
    return sorted(names, key=lambda name: made[name].id, reverse=descending)


async def _listed(
    kit: PaymentsKit, sort: Sort[PaymentSortKey], *, size: int = 100
) -> dict[str, list[uuid.UUID]]:
    """Every page of the user's list and of the event's list, one after another."""
    found: dict[str, list[uuid.UUID]] = {"user": [], "event": []}
    ports = kit.new_ports()
    async with ports.uow:
        for page in range(6):
            mine = await ports.uow.payments.list_for_user(USER, PageRequest(page, size), sort)
            theirs = await ports.uow.payments.list_for_event(EVENT, PageRequest(page, size), sort)
            found["user"] += [p.id for p in mine.items]
            found["event"] += [p.id for p in theirs.items]
    return found


def _both(made: dict[str, Payment], names: list[str]) -> dict[str, list[uuid.UUID]]:
    ids = [made[name].id for name in names]
    return {"user": ids, "event": ids}


async def test_payments_come_newest_first_by_default_ties_by_id_descending(kit: PaymentsKit) -> None:
    made = await _payments(kit)

    found = await _listed(kit, NEWEST_PAYMENTS)

    second = _by_id(made, "second_a", "second_b", descending=True)
    assert found == _both(made, ["last", "third", *second, "first"])


async def test_payments_by_creation_ascending_tie_by_id_ascending(kit: PaymentsKit) -> None:
    made = await _payments(kit)

    found = await _listed(kit, Sort(PaymentSortKey.CREATED_AT))

    second = _by_id(made, "second_a", "second_b")
    assert found == _both(made, ["first", *second, "third", "last"])


async def test_payments_by_amount_compare_numbers_not_text(kit: PaymentsKit) -> None:
    made = await _payments(kit)

    ascending = await _listed(kit, Sort(PaymentSortKey.AMOUNT))
    descending = await _listed(kit, Sort(PaymentSortKey.AMOUNT, descending=True))

    same = _by_id(made, "first", "third")
    assert ascending == _both(made, ["last", "second_a", *same, "second_b"])
    assert descending == {side: list(reversed(ids)) for side, ids in ascending.items()}


async def test_payments_by_status_name_by_code_point(kit: PaymentsKit) -> None:
    made = await _payments(kit)

    found = await _listed(kit, Sort(PaymentSortKey.STATUS))

    # By the names' code points: FAILED < PARTIALLY_REFUNDED < PENDING < SUCCEEDED.
    failed = _by_id(made, "second_b", "last")
    assert found == _both(made, [*failed, "third", "second_a", "first"])


async def test_pages_of_a_sorted_list_cut_one_order(kit: PaymentsKit) -> None:
    await _payments(kit)
    amount = Sort(PaymentSortKey.AMOUNT, descending=True)

    assert await _listed(kit, amount, size=2) == await _listed(kit, amount)
