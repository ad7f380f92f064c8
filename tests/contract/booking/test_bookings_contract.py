"""Bookings and the booking log behave alike on memory, SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from aquastream.domain.booking.errors import BookingDuplicate
from aquastream.domain.booking.model import (
    BookingLogEntry,
    BookingStatus,
    Companion,
    EventShare,
    LogReason,
    PaymentStatus,
)
from aquastream.domain.booking.sorting import BookingSortField
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.paging import PageRequest
from aquastream.domain.shared.privacy import ERASED_NAME
from aquastream.domain.shared.sorting import SortKey

from .factories import a_booking
from .kit import NOW, BookingKit


async def test_a_booking_reads_back_as_written(kit: BookingKit) -> None:
    event_id = await kit.publish(1)
    booking = replace(a_booking(event_id), waitlist_entry_id=new_id())
    async with kit.new_uow() as uow:
        await uow.bookings.add(booking)
        await uow.commit()

    async with kit.new_uow() as uow:
        assert await uow.bookings.get(booking.id) == booking
        assert await uow.bookings.active_for(event_id, booking.user_id) == booking
        assert await uow.bookings.get(new_id()) is None


async def test_a_group_booking_reads_back_with_its_companions(kit: BookingKit) -> None:
    event_id = await kit.publish(3)
    companions = (Companion(1, "Ольга", "+79991234567"), Companion(2, "Пётр"))
    booking = replace(a_booking(event_id), party_size=3, companions=companions, amount=Decimal("4500.00"))
    async with kit.new_uow() as uow:
        await uow.bookings.add(booking)
        await uow.commit()

    async with kit.new_uow() as uow:
        assert await uow.bookings.get(booking.id) == booking


async def test_a_companion_is_cancelled_once_from_the_party_size_the_caller_saw(kit: BookingKit) -> None:
    event_id = await kit.publish(3)
    companions = (Companion(1, "A"), Companion(2, "B"))
    booking = replace(a_booking(event_id), party_size=3, companions=companions, amount=Decimal("3000.00"))
    async with kit.new_uow() as uow:
        await uow.bookings.add(booking)
        await uow.commit()

    async with kit.new_uow() as uow:
        later = NOW + timedelta(minutes=1)
        assert (
            await uow.bookings.cancel_companion(
                booking.id, 1, expected_party_size=2, share=Decimal("1000.00"), now=later
            )
            is None
        )
        shrunk = await uow.bookings.cancel_companion(
            booking.id, 1, expected_party_size=3, share=Decimal("1000.00"), now=later
        )
        assert (
            await uow.bookings.cancel_companion(
                booking.id, 1, expected_party_size=2, share=Decimal("1000.00"), now=later
            )
            is None
        )
        await uow.commit()

    assert shrunk is not None
    assert (shrunk.party_size, shrunk.amount) == (2, Decimal("2000.00"))
    assert shrunk.companions == (Companion(1, "A", cancelled_at=later), Companion(2, "B"))
    async with kit.new_uow() as uow:
        assert await uow.bookings.get(booking.id) == shrunk


async def test_a_booking_s_companions_are_rewritten_in_place(kit: BookingKit) -> None:
    event_id = await kit.publish(3)
    later = NOW + timedelta(minutes=1)
    companions = (Companion(1, "Ольга", "+79991234567"), Companion(2, "Пётр", cancelled_at=NOW))
    booking = replace(a_booking(event_id), party_size=2, companions=companions, amount=Decimal("3000.00"))
    other = replace(a_booking(event_id), companions=companions)
    erased = (Companion(1, ERASED_NAME), Companion(2, ERASED_NAME, cancelled_at=NOW))
    async with kit.new_uow() as uow:
        await uow.bookings.add(booking)
        await uow.bookings.add(other)
        await uow.commit()

    async with kit.new_uow() as uow:
        assert await uow.bookings.lock(booking.id) == booking
        await uow.bookings.set_companions(booking.id, erased, now=later)
        await uow.commit()

    async with kit.new_uow() as uow:
        assert await uow.bookings.get(booking.id) == replace(booking, companions=erased, updated_at=later)
        assert await uow.bookings.get(other.id) == other


async def test_a_second_active_booking_of_a_user_is_a_duplicate_with_the_first_id(kit: BookingKit) -> None:
    event_id = await kit.publish(2)
    first = a_booking(event_id)
    async with kit.new_uow() as uow:
        await uow.bookings.add(first)
        await uow.commit()

    async with kit.new_uow() as uow:
        with pytest.raises(BookingDuplicate) as raised:
            await uow.bookings.add(a_booking(event_id, user_id=first.user_id))

    assert raised.value.existing_booking_id == first.id


async def test_an_ended_booking_does_not_block_a_new_one(kit: BookingKit) -> None:
    event_id = await kit.publish(2)
    first = a_booking(event_id)
    again = a_booking(event_id, user_id=first.user_id)
    async with kit.new_uow() as uow:
        await uow.bookings.add(first)
        await uow.bookings.transition(
            first.id, expected=BookingStatus.PENDING, new=BookingStatus.EXPIRED, now=NOW
        )
        await uow.bookings.add(again)
        await uow.commit()

    async with kit.new_uow() as uow:
        assert await uow.bookings.active_for(event_id, first.user_id) == again


async def test_a_transition_happens_only_from_the_expected_status(kit: BookingKit) -> None:
    event_id = await kit.publish(1)
    booking = a_booking(event_id)
    later = NOW + timedelta(minutes=5)
    async with kit.new_uow() as uow:
        await uow.bookings.add(booking)
        confirmed = await uow.bookings.transition(
            booking.id,
            expected=BookingStatus.PENDING,
            new=BookingStatus.CONFIRMED,
            now=later,
            payment_status=PaymentStatus.PAID,
        )
        again = await uow.bookings.transition(
            booking.id, expected=BookingStatus.PENDING, new=BookingStatus.CANCELLED, now=later
        )
        await uow.commit()

    assert confirmed == replace(
        booking, status=BookingStatus.CONFIRMED, payment_status=PaymentStatus.PAID, updated_at=later
    )
    assert again is None


async def test_lock_reads_the_booking_and_an_unknown_one_is_none(kit: BookingKit) -> None:
    booking = a_booking(await kit.publish(1))
    async with kit.new_uow() as uow:
        await uow.bookings.add(booking)
        await uow.commit()

    async with kit.new_uow() as uow:
        assert await uow.bookings.lock(booking.id) == booking
        assert await uow.bookings.lock(a_booking(booking.event_id).id) is None


async def test_bulk_transitions_move_one_status_and_refund_paid_bookings(kit: BookingKit) -> None:
    event_id = await kit.publish(5)
    paid = a_booking(event_id, status=BookingStatus.CONFIRMED, payment_status=PaymentStatus.PAID)
    partly = a_booking(
        event_id, status=BookingStatus.CONFIRMED, payment_status=PaymentStatus.PARTIALLY_REFUNDED
    )
    free = a_booking(event_id, status=BookingStatus.CONFIRMED, payment_status=PaymentStatus.NOT_REQUIRED)
    pending = a_booking(event_id)
    elsewhere = a_booking(await kit.publish(1), status=BookingStatus.CONFIRMED)
    async with kit.new_uow() as uow:
        for booking in (paid, partly, free, pending, elsewhere):
            await uow.bookings.add(booking)
        moved = await uow.bookings.transition_all(
            event_id,
            expected=BookingStatus.CONFIRMED,
            new=BookingStatus.CANCELLED,
            now=NOW,
            refund_held_money=True,
        )
        await uow.commit()

    assert {(b.id, b.status, b.payment_status) for b in moved} == {
        (paid.id, BookingStatus.CANCELLED, PaymentStatus.REFUND_PENDING),
        (partly.id, BookingStatus.CANCELLED, PaymentStatus.REFUND_PENDING),
        (free.id, BookingStatus.CANCELLED, PaymentStatus.NOT_REQUIRED),
    }
    async with kit.new_uow() as uow:
        assert (await uow.bookings.get(pending.id)) == pending
        assert (await uow.bookings.get(elsewhere.id)) == elsewhere


async def test_a_batch_transition_moves_the_bookings_still_in_the_expected_status(kit: BookingKit) -> None:
    event_id, other_event = await kit.publish(5), await kit.publish(5)
    holds = [a_booking(event_id), a_booking(other_event), a_booking(event_id)]
    confirmed = a_booking(event_id, status=BookingStatus.CONFIRMED)
    later = NOW + timedelta(minutes=31)
    async with kit.new_uow() as uow:
        for booking in (*holds, confirmed):
            await uow.bookings.add(booking)
        moved = await uow.bookings.transition_many(
            [*(b.id for b in holds), confirmed.id, new_id()],
            expected=BookingStatus.PENDING,
            new=BookingStatus.EXPIRED,
            now=later,
        )
        assert (
            await uow.bookings.transition_many(
                [], expected=BookingStatus.PENDING, new=BookingStatus.EXPIRED, now=later
            )
            == []
        )
        await uow.commit()

    assert moved == sorted(
        (replace(b, status=BookingStatus.EXPIRED, updated_at=later) for b in holds), key=lambda b: b.id
    )
    async with kit.new_uow() as uow:
        assert await uow.bookings.get(confirmed.id) == confirmed


async def test_a_batch_transition_to_cancelled_refunds_held_money(kit: BookingKit) -> None:
    event_id = await kit.publish(5)
    paid = a_booking(event_id, status=BookingStatus.CONFIRMED, payment_status=PaymentStatus.PAID)
    free = a_booking(event_id, status=BookingStatus.CONFIRMED, payment_status=PaymentStatus.NOT_REQUIRED)
    async with kit.new_uow() as uow:
        for booking in (paid, free):
            await uow.bookings.add(booking)
        moved = await uow.bookings.transition_many(
            [paid.id, free.id],
            expected=BookingStatus.CONFIRMED,
            new=BookingStatus.CANCELLED,
            now=NOW,
            refund_held_money=True,
        )
        await uow.commit()

    assert {(b.id, b.payment_status) for b in moved} == {
        (paid.id, PaymentStatus.REFUND_PENDING),
        (free.id, PaymentStatus.NOT_REQUIRED),
    }


async def test_holds_of_a_batch_are_extended_while_pending(kit: BookingKit) -> None:
    event_id = await kit.publish(5)
    first, second = a_booking(event_id), a_booking(event_id)
    confirmed = a_booking(event_id, status=BookingStatus.CONFIRMED)
    later = NOW + timedelta(minutes=31)
    async with kit.new_uow() as uow:
        for booking in (first, second, confirmed):
            await uow.bookings.add(booking)
        holds = {first.id: later + timedelta(hours=48), second.id: later + timedelta(minutes=5)}
        await uow.bookings.extend_holds({**holds, confirmed.id: later}, now=later)
        await uow.bookings.extend_holds({}, now=later)
        await uow.commit()

    async with kit.new_uow() as uow:
        assert await uow.bookings.get(first.id) == replace(
            first, expires_at=later + timedelta(hours=48), updated_at=later
        )
        assert await uow.bookings.get(second.id) == replace(
            second, expires_at=later + timedelta(minutes=5), updated_at=later
        )
        assert await uow.bookings.get(confirmed.id) == confirmed


async def test_expired_holds_are_claimed_oldest_first_up_to_the_limit(kit: BookingKit) -> None:
    event_id = await kit.publish(5)
    holds = [a_booking(event_id, created_at=timedelta(minutes=m)) for m in (3, 1, 2)]
    fresh = a_booking(event_id, created_at=timedelta(hours=1))
    confirmed = a_booking(event_id, status=BookingStatus.CONFIRMED, created_at=timedelta(minutes=-5))
    async with kit.new_uow() as uow:
        for booking in (*holds, fresh, confirmed):
            await uow.bookings.add(booking)
        await uow.commit()

    async with kit.new_uow() as uow:
        claimed = await uow.bookings.claim_expired(now=NOW + timedelta(minutes=40), limit=2)

    assert claimed == [holds[1].id, holds[2].id]


async def test_expired_holds_are_claimed_by_share_of_the_events(kit: BookingKit) -> None:
    shares = EventShare.split(3)
    events: list[uuid.UUID] = []
    while not all(any(share.holds(e) for e in events) for share in shares):
        events.append(await kit.publish(5))  # the ids are random: until every share has one
    holds = [a_booking(e, created_at=timedelta(minutes=m)) for m in range(3) for e in events]
    async with kit.new_uow() as uow:
        for booking in holds:
            await uow.bookings.add(booking)
        await uow.commit()
    due = NOW + timedelta(minutes=40)

    async with kit.new_uow() as uow:
        claimed = [await uow.bookings.claim_expired(now=due, limit=len(holds), share=s) for s in shares]
        few = await uow.bookings.claim_expired(now=due, limit=2, share=shares[1])

    for share, ids in zip(shares, claimed, strict=True):
        mine = [b for b in holds if share.holds(b.event_id)]
        assert ids == [b.id for b in sorted(mine, key=lambda b: (b.expires_at, b.id))]
    assert sorted(id_ for ids in claimed for id_ in ids) == sorted(b.id for b in holds)
    assert few == claimed[1][:2]


async def test_lists_are_ordered_filtered_and_paged(kit: BookingKit) -> None:
    event_id = await kit.publish(5)
    user_id = new_id()
    mine = [
        a_booking(await kit.publish(1), user_id=user_id, created_at=timedelta(minutes=m)) for m in range(3)
    ]
    others = [a_booking(event_id, created_at=timedelta(minutes=m)) for m in range(3)]
    async with kit.new_uow() as uow:
        for booking in (*mine, *others):
            await uow.bookings.add(booking)
        await uow.bookings.transition(
            others[1].id, expected=BookingStatus.PENDING, new=BookingStatus.CANCELLED, now=NOW
        )
        await uow.commit()

    async with kit.new_uow() as uow:
        my_page = await uow.bookings.list_for_user(user_id, PageRequest(0, 2))
        event_page = await uow.bookings.list_for_event(event_id, PageRequest(1, 1))
        pending = await uow.bookings.list_for_event(event_id, PageRequest(), statuses=[BookingStatus.PENDING])
        holding = await uow.bookings.all_for_event(event_id, statuses=[BookingStatus.PENDING])

    assert ([b.id for b in my_page.items], my_page.total) == ([mine[2].id, mine[1].id], 3)
    assert ([b.id for b in event_page.items], event_page.total) == ([others[1].id], 3)
    assert [b.id for b in pending.items] == [others[0].id, others[2].id]
    assert [b.id for b in holding] == [others[0].id, others[2].id]


async def test_lists_sort_by_each_documented_field_with_stable_ties(kit: BookingKit) -> None:
    user_id = new_id()
    starts = (20, 3, 9, 3)  # days from now: two bookings of events that start together
    mine = [
        a_booking(
            await kit.publish(2, starts_in=timedelta(days=d)),
            user_id=user_id,
            created_at=timedelta(minutes=m),
        )
        for m, d in enumerate(starts)
    ]
    async with kit.new_uow() as uow:
        for booking in mine:
            await uow.bookings.add(booking)
        # Changed later than every other: the last to change, though the first booked.
        await uow.bookings.transition(
            mine[0].id,
            expected=BookingStatus.PENDING,
            new=BookingStatus.CANCELLED,
            now=NOW + timedelta(hours=1),
        )
        await uow.bookings.transition(
            mine[2].id,
            expected=BookingStatus.PENDING,
            new=BookingStatus.CONFIRMED,
            now=NOW + timedelta(minutes=30),
        )
        await uow.commit()

    async def ids(*sort: SortKey[BookingSortField], size: int = 10, page: int = 0) -> list[uuid.UUID]:
        async with kit.new_uow() as uow:
            found = await uow.bookings.list_for_user(user_id, PageRequest(page, size), sort=sort)
        return [b.id for b in found.items]

    first, second, third, fourth = (b.id for b in mine)
    assert await ids(SortKey(BookingSortField.STARTS_AT)) == [fourth, second, third, first]
    assert await ids(SortKey(BookingSortField.STARTS_AT, descending=True)) == [first, third, fourth, second]
    # PENDING, CONFIRMED, then CANCELLED: the life of a booking, not the alphabet.
    assert await ids(SortKey(BookingSortField.STATUS)) == [fourth, second, third, first]
    assert await ids(SortKey(BookingSortField.UPDATED_AT, descending=True)) == [first, third, fourth, second]
    assert await ids(SortKey(BookingSortField.CREATED_AT)) == [first, second, third, fourth]
    by_status_then_start = (SortKey(BookingSortField.STATUS), SortKey(BookingSortField.STARTS_AT))
    # The two PENDING bookings' events start together: the default, newest first, decides.
    assert await ids(*by_status_then_start) == [fourth, second, third, first]
    paged = [await ids(SortKey(BookingSortField.STARTS_AT), size=1, page=p) for p in range(4)]
    assert paged == [[fourth], [second], [third], [first]]


async def test_an_events_bookings_sort_with_ties_in_booking_order_across_pages(kit: BookingKit) -> None:
    event_id = await kit.publish(7)
    booked = [a_booking(event_id) for _ in range(7)]  # booked at one instant: ids break the tie
    async with kit.new_uow() as uow:
        for booking in booked:
            await uow.bookings.add(booking)
        await uow.commit()
    sort = (SortKey(BookingSortField.STATUS, descending=True),)

    pages = []
    for page in range(3):
        async with kit.new_uow() as uow:
            pages.append(await uow.bookings.list_for_event(event_id, PageRequest(page, 3), sort=sort))

    assert [b.id for page in pages for b in page.items] == sorted(b.id for b in booked)
    assert await _descending_ids(kit, event_id) == sorted((b.id for b in booked), reverse=True)


async def _descending_ids(kit: BookingKit, event_id: uuid.UUID) -> list[uuid.UUID]:
    async with kit.new_uow() as uow:
        found = await uow.bookings.list_for_event(
            event_id, PageRequest(), sort=(SortKey(BookingSortField.CREATED_AT, descending=True),)
        )
    return [b.id for b in found.items]


async def test_the_booking_log_keeps_every_transition_in_order(kit: BookingKit) -> None:
    event_id = await kit.publish(1)
    booking = a_booking(event_id)
    entries = [
        BookingLogEntry(
            new_id(), booking.id, None, BookingStatus.PENDING, LogReason.BOOKED, booking.user_id, NOW
        ),
        BookingLogEntry(
            new_id(),
            booking.id,
            BookingStatus.PENDING,
            BookingStatus.EXPIRED,
            LogReason.HOLD_EXPIRED,
            None,
            NOW + timedelta(minutes=30),
        ),
    ]
    async with kit.new_uow() as uow:
        await uow.bookings.add(booking)
        await uow.log.add(entries[0])
        await uow.log.add(entries[1])
        await uow.log.add()
        await uow.commit()

    async with kit.new_uow() as uow:
        assert await uow.log.list_for_booking(booking.id) == entries
