"""The waitlist and its audit behave alike on memory, SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from aquastream.domain.booking.errors import WaitlistDuplicate
from aquastream.domain.booking.model import (
    WaitlistAction,
    WaitlistAuditEntry,
    WaitlistEntry,
    WaitlistStatus,
)
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.paging import PageRequest
from aquastream.ports.booking import BookingUnitOfWork

from .factories import an_entry
from .kit import NOW, BookingKit


async def first_waiting(uow: BookingUnitOfWork, event_id: uuid.UUID) -> WaitlistEntry | None:
    heads = await uow.waitlist.waiting_heads({event_id: 1})
    return heads[event_id][0] if event_id in heads else None


async def notify_one(
    uow: BookingUnitOfWork, entry_id: uuid.UUID, *, now: datetime, window_expires_at: datetime
) -> bool:
    return await uow.waitlist.notify([entry_id], now=now, window_expires_at=window_expires_at) == 1


async def test_the_heads_of_several_queues_come_in_one_answer_each_in_order_and_limited(
    kit: BookingKit,
) -> None:
    first, second, empty = [await kit.publish(1) for _ in range(3)]
    firsts = [an_entry(first, p) for p in (3, 1, 2, 4)]
    seconds = [an_entry(second, p) for p in (2, 1)]
    async with kit.new_uow() as uow:
        for entry in (*firsts, *seconds):
            await uow.waitlist.add(entry)
        assert await uow.waitlist.notify([firsts[1].id], now=NOW, window_expires_at=NOW) == 1
        heads = await uow.waitlist.waiting_heads({first: 2, second: 5, empty: 3, new_id(): 1})
        none = await uow.waitlist.waiting_heads({first: 0})
        await uow.commit()

    # Position 1 of the first queue was notified: its WAITING head is now position 2.
    assert heads == {first: [firsts[2], firsts[0]], second: [seconds[1], seconds[0]]}
    assert none == {}


async def test_notifying_many_moves_only_the_waiting_ones(kit: BookingKit) -> None:
    event_id = await kit.publish(1)
    entries = [an_entry(event_id, p) for p in (1, 2, 3)]
    window_end = NOW + timedelta(minutes=30)
    async with kit.new_uow() as uow:
        for entry in entries:
            await uow.waitlist.add(entry)
        assert await uow.waitlist.remove(entries[2].id, expected=WaitlistStatus.WAITING)
        assert await uow.waitlist.notify([entries[0].id], now=NOW, window_expires_at=window_end) == 1
        moved = await uow.waitlist.notify(
            [e.id for e in entries] + [new_id()], now=NOW, window_expires_at=window_end
        )
        assert await uow.waitlist.notify([], now=NOW, window_expires_at=window_end) == 0
        await uow.commit()

    assert moved == 1  # only the second was still WAITING
    async with kit.new_uow() as uow:
        assert await uow.waitlist.get(entries[1].id) == replace(
            entries[1], status=WaitlistStatus.NOTIFIED, notified_at=NOW, window_expires_at=window_end
        )


async def test_a_user_has_one_live_entry_per_event(kit: BookingKit) -> None:
    event_id = await kit.publish(1)
    entry = an_entry(event_id, 1)
    async with kit.new_uow() as uow:
        await uow.waitlist.add(entry)
        await uow.commit()

    async with kit.new_uow() as uow:
        with pytest.raises(WaitlistDuplicate):
            await uow.waitlist.add(an_entry(event_id, 2, user_id=entry.user_id))

    async with kit.new_uow() as uow:
        assert await uow.waitlist.remove(entry.id, expected=WaitlistStatus.WAITING)
        await uow.waitlist.add(an_entry(event_id, 2, user_id=entry.user_id))
        await uow.commit()
        assert await uow.waitlist.get(entry.id) == replace(entry, status=WaitlistStatus.REMOVED)


async def test_a_party_entry_reads_back_with_its_size(kit: BookingKit) -> None:
    event_id = await kit.publish(4)
    entry = replace(an_entry(event_id, 1), party_size=4)
    async with kit.new_uow() as uow:
        await uow.waitlist.add(entry)
        await uow.commit()

    async with kit.new_uow() as uow:
        assert await uow.waitlist.get(entry.id) == entry
        assert await first_waiting(uow, event_id) == entry
        assert await uow.waitlist.largest_waiting_party(event_id) == 4
        assert await uow.waitlist.largest_waiting_party(new_id()) == 0


async def test_the_first_waiting_entry_is_the_lowest_position(kit: BookingKit) -> None:
    event_id = await kit.publish(1)
    entries = [an_entry(event_id, p) for p in (2, 1, 3)]
    async with kit.new_uow() as uow:
        for entry in entries:
            await uow.waitlist.add(entry)
        assert await first_waiting(uow, event_id) == entries[1]
        assert await notify_one(uow, entries[1].id, now=NOW, window_expires_at=NOW + timedelta(minutes=30))
        assert await first_waiting(uow, event_id) == entries[0]
        assert await first_waiting(uow, new_id()) is None
        await uow.commit()


async def test_entry_transitions_check_status_and_window(kit: BookingKit) -> None:
    event_id = await kit.publish(1)
    converting, lapsing = an_entry(event_id, 1), an_entry(event_id, 2)
    window_end = NOW + timedelta(minutes=30)
    async with kit.new_uow() as uow:
        await uow.waitlist.add(converting)
        await uow.waitlist.add(lapsing)
        assert not await uow.waitlist.convert(converting.id, now=NOW)
        for entry in (converting, lapsing):
            assert await notify_one(uow, entry.id, now=NOW, window_expires_at=window_end)
        assert not await notify_one(uow, converting.id, now=NOW, window_expires_at=window_end)
        assert not await uow.waitlist.expire_lapsed(lapsing.id, now=window_end - timedelta(seconds=1))
        assert await uow.waitlist.convert(converting.id, now=window_end - timedelta(seconds=1))
        assert not await uow.waitlist.convert(lapsing.id, now=window_end)
        assert await uow.waitlist.expire_lapsed(lapsing.id, now=window_end)
        assert not await uow.waitlist.remove(lapsing.id, expected=WaitlistStatus.NOTIFIED)
        await uow.commit()

    async with kit.new_uow() as uow:
        assert await uow.waitlist.get(converting.id) == replace(
            converting, status=WaitlistStatus.CONVERTED, notified_at=NOW, window_expires_at=window_end
        )
        assert (await uow.waitlist.get(lapsing.id)).status is WaitlistStatus.EXPIRED  # type: ignore[union-attr]


async def test_lapsed_windows_are_found_oldest_first(kit: BookingKit) -> None:
    event_id = await kit.publish(1)
    entries = [an_entry(event_id, p) for p in (1, 2, 3)]
    async with kit.new_uow() as uow:
        for entry, minutes in zip(entries, (20, 10, 90), strict=True):
            await uow.waitlist.add(entry)
            await notify_one(uow, entry.id, now=NOW, window_expires_at=NOW + timedelta(minutes=minutes))
        await uow.commit()

    async with kit.new_uow() as uow:
        lapsed = await uow.waitlist.lapsed(now=NOW + timedelta(minutes=30), limit=5)
        first = await uow.waitlist.lapsed(now=NOW + timedelta(minutes=30), limit=1)

    assert [e.id for e in lapsed] == [entries[1].id, entries[0].id]
    assert [e.id for e in first] == [entries[1].id]


async def test_closing_the_queue_removes_waiting_and_expires_notified_entries(kit: BookingKit) -> None:
    event_id = await kit.publish(1)
    waiting, notified, gone = an_entry(event_id, 2), an_entry(event_id, 1), an_entry(event_id, 3)
    async with kit.new_uow() as uow:
        for entry in (waiting, notified, gone):
            await uow.waitlist.add(entry)
        await notify_one(uow, notified.id, now=NOW, window_expires_at=NOW + timedelta(minutes=30))
        await uow.waitlist.remove(gone.id, expected=WaitlistStatus.WAITING)
        closed = await uow.waitlist.close_all(event_id)
        await uow.commit()

    assert [(e.id, e.status) for e in closed] == [
        (notified.id, WaitlistStatus.EXPIRED),
        (waiting.id, WaitlistStatus.REMOVED),
    ]


async def test_places_count_live_entries_ahead_and_users_list_their_live_entries(kit: BookingKit) -> None:
    event_id = await kit.publish(1)
    user_id = new_id()
    entries = [an_entry(event_id, p) for p in (1, 2)] + [an_entry(event_id, 3, user_id=user_id)]
    elsewhere = an_entry(await kit.publish(1), 1, user_id=user_id)
    async with kit.new_uow() as uow:
        for entry in (*entries, elsewhere):
            await uow.waitlist.add(entry)
        await uow.waitlist.remove(entries[0].id, expected=WaitlistStatus.WAITING)
        await notify_one(uow, entries[1].id, now=NOW, window_expires_at=NOW + timedelta(minutes=30))
        await uow.commit()

    async with kit.new_uow() as uow:
        place = await uow.waitlist.place(entries[2])
        mine = await uow.waitlist.live_for_user(user_id, PageRequest())
        live = await uow.waitlist.live_entry(event_id, user_id)

    assert place == 2
    assert [e.id for e in mine.items] == [elsewhere.id, entries[2].id]
    assert live == entries[2]


async def test_the_waitlist_audit_keeps_every_action(kit: BookingKit) -> None:
    event_id = await kit.publish(1)
    entry = an_entry(event_id, 1)
    audit = [
        WaitlistAuditEntry(
            new_id(), entry.id, event_id, entry.user_id, action, NOW + timedelta(seconds=i), actor
        )
        for i, (action, actor) in enumerate(
            [(WaitlistAction.JOINED, entry.user_id), (WaitlistAction.NOTIFIED, None)]
        )
    ]
    async with kit.new_uow() as uow:
        await uow.waitlist.add(entry)
        await uow.waitlist_audit.add(*audit)
        await uow.waitlist_audit.add()
        await uow.commit()

    async with kit.new_uow() as uow:
        assert await uow.waitlist_audit.list_for_event(event_id) == audit
