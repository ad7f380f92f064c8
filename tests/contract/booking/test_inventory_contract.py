"""Seat counters (booking's inventory repository and the seats booking serves the catalog)
behave alike on memory, SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from aquastream.domain.booking.model import (
    Inventory,
    InventoryStatus,
    QueueOffer,
)
from aquastream.domain.shared.ids import new_id
from aquastream.ports.booking import BookingUnitOfWork
from aquastream.ports.catalog import EventListing, SeatResize

from .factories import counters
from .kit import NOW, BookingKit


async def offer_one_seat(uow: BookingUnitOfWork, event_id: uuid.UUID, seats: int = 1) -> bool:
    """The seats held for the one WAITING entry at the head of the event's queue."""
    return await uow.inventories.offer_to_queues({event_id: QueueOffer(seats=seats, entries=1)}, now=NOW) == 1


async def test_offers_to_several_queues_are_one_change_each_and_only_where_they_fit(kit: BookingKit) -> None:
    fits, too_few_seats, too_few_waiting = [await kit.publish(4) for _ in range(3)]
    async with kit.new_uow() as uow:
        for event_id in (fits, too_few_seats, too_few_waiting):
            await uow.inventories.take_seat(event_id, now=NOW, seats=4)
            for _ in range(3):
                await uow.inventories.enqueue(event_id, now=NOW)
            await uow.inventories.release_seats(event_id, 3)
        changed = await uow.inventories.offer_to_queues(
            {
                fits: QueueOffer(seats=3, entries=2),
                too_few_seats: QueueOffer(seats=4, entries=2),
                too_few_waiting: QueueOffer(seats=3, entries=4),
                new_id(): QueueOffer(seats=1, entries=1),
            },
            now=NOW,
        )
        assert await uow.inventories.offer_to_queues({}, now=NOW) == 0
        await uow.commit()

    assert changed == 1
    assert await counters(kit, fits) == (0, 3, 1)
    assert await counters(kit, too_few_seats) == (3, 0, 3)
    assert await counters(kit, too_few_waiting) == (3, 0, 3)


async def test_an_opened_inventory_reads_back_with_every_seat_free(kit: BookingKit) -> None:
    event_id = await kit.publish(3, price=Decimal("990.5"))

    async with kit.new_uow() as uow:
        inventory = await uow.inventories.get(event_id)
        locked = await uow.inventories.lock(event_id)
        missing = await uow.inventories.get(new_id())

    assert inventory == locked
    assert inventory == Inventory(
        event_id=event_id,
        organizer_id=kit.organizer_id,
        title="Kayak weekend",
        status=InventoryStatus.OPEN,
        starts_at=NOW + timedelta(days=30),
        ends_at=NOW + timedelta(days=30, hours=5),
        capacity=3,
        available=3,
        price=Decimal("990.50"),
        currency="RUB",
    )
    assert missing is None


async def test_opening_twice_keeps_the_first_inventory(kit: BookingKit) -> None:
    event_id = await kit.publish(2)
    async with kit.new_uow() as uow:
        assert await uow.inventories.take_seat(event_id, now=NOW) is not None
        await uow.commit()

    listing = replace(await _listing_of(kit, event_id), capacity=9)
    await kit.seats.open(listing)

    assert await counters(kit, event_id) == (1, 0, 0)


async def _listing_of(kit: BookingKit, event_id: uuid.UUID) -> EventListing:
    async with kit.new_uow() as uow:
        inventory = await uow.inventories.get(event_id)
    assert inventory is not None
    return EventListing(
        event_id=event_id,
        organizer_id=inventory.organizer_id,
        starts_at=inventory.starts_at,
        ends_at=inventory.ends_at,
        capacity=inventory.capacity,
        price=inventory.price,
        currency=inventory.currency,
        title=inventory.title,
    )


async def test_seats_are_taken_one_by_one_until_none_is_left(kit: BookingKit) -> None:
    event_id = await kit.publish(2)

    async with kit.new_uow() as uow:
        taken = [await uow.inventories.take_seat(event_id, now=NOW) for _ in range(3)]
        await uow.commit()

    assert [t.available if t else None for t in taken] == [1, 0, None]
    assert await counters(kit, event_id) == (0, 0, 0)


async def test_no_seat_is_taken_after_the_start_or_on_a_closed_event(kit: BookingKit) -> None:
    started = await kit.publish(2)
    closed = await kit.publish(2)
    await kit.seats.close(closed, "CANCELLED")

    async with kit.new_uow() as uow:
        assert await uow.inventories.take_seat(started, now=NOW + timedelta(days=30)) is None
        assert await uow.inventories.take_seat(closed, now=NOW) is None
        assert await uow.inventories.enqueue(closed, now=NOW) is None


async def test_while_someone_waits_free_seats_go_to_the_queue_only(kit: BookingKit) -> None:
    event_id = await kit.publish(1)
    async with kit.new_uow() as uow:
        assert await uow.inventories.take_seat(event_id, now=NOW) is not None
        assert await uow.inventories.enqueue(event_id, now=NOW) == 1
        await uow.inventories.release_seats(event_id)
        assert await uow.inventories.take_seat(event_id, now=NOW) is None
        assert await offer_one_seat(uow, event_id)
        assert not await offer_one_seat(uow, event_id)
        await uow.commit()

    assert await counters(kit, event_id) == (0, 1, 0)


async def test_a_held_seat_is_taken_or_released_once(kit: BookingKit) -> None:
    event_id = await kit.publish(2)
    async with kit.new_uow() as uow:
        await uow.inventories.take_seat(event_id, now=NOW)
        await uow.inventories.take_seat(event_id, now=NOW)
        await uow.inventories.enqueue(event_id, now=NOW)
        await uow.inventories.enqueue(event_id, now=NOW)
        await uow.inventories.release_seats(event_id, 2)
        assert await offer_one_seat(uow, event_id)
        assert await offer_one_seat(uow, event_id)
        held = await uow.inventories.take_held_seat(event_id, now=NOW)
        assert held is not None
        assert held.reserved == 1
        assert await uow.inventories.release_held_seat(event_id)
        assert not await uow.inventories.release_held_seat(event_id)
        assert await uow.inventories.take_held_seat(event_id, now=NOW) is None
        await uow.commit()

    assert await counters(kit, event_id) == (1, 0, 0)


async def test_queue_positions_come_from_the_event_counter_and_only_when_full(kit: BookingKit) -> None:
    event_id = await kit.publish(1)
    async with kit.new_uow() as uow:
        assert await uow.inventories.enqueue(event_id, now=NOW) is None
        await uow.inventories.take_seat(event_id, now=NOW)
        positions = [await uow.inventories.enqueue(event_id, now=NOW) for _ in range(3)]
        assert await uow.inventories.dequeue_waiting(event_id)
        await uow.commit()

    assert positions == [1, 2, 3]
    assert await counters(kit, event_id) == (0, 0, 2)


async def test_clearing_the_queue_frees_held_seats(kit: BookingKit) -> None:
    event_id = await kit.publish(2)
    async with kit.new_uow() as uow:
        for _ in range(2):
            await uow.inventories.take_seat(event_id, now=NOW)
        for _ in range(3):
            await uow.inventories.enqueue(event_id, now=NOW)
        await uow.inventories.release_seats(event_id)
        await offer_one_seat(uow, event_id)
        await uow.inventories.clear_queue(event_id)
        await uow.commit()

    assert await counters(kit, event_id) == (1, 0, 0)


async def test_an_uncommitted_seat_change_rolls_back(kit: BookingKit) -> None:
    event_id = await kit.publish(2)
    async with kit.new_uow() as uow:
        await uow.inventories.take_seat(event_id, now=NOW)

    assert await counters(kit, event_id) == (2, 0, 0)


async def test_resizing_moves_free_seats_and_never_below_seats_taken_or_held(kit: BookingKit) -> None:
    event_id = await kit.publish(3)
    async with kit.new_uow() as uow:
        await uow.inventories.take_seat(event_id, now=NOW)
        await uow.inventories.take_seat(event_id, now=NOW)
        await uow.inventories.take_seat(event_id, now=NOW)
        await uow.inventories.enqueue(event_id, now=NOW)
        await uow.inventories.release_seats(event_id)
        await offer_one_seat(uow, event_id)
        await uow.commit()

    assert await kit.resize(event_id, 5)
    assert await counters(kit, event_id) == (2, 1, 0)
    assert not await kit.resize(event_id, 2)
    assert await kit.resize(event_id, 3)
    assert await counters(kit, event_id) == (0, 1, 0)
    assert not await kit.resize(new_id(), 3)


async def test_availability_counts_only_seats_newcomers_may_book(kit: BookingKit) -> None:
    free = await kit.publish(4)
    queued = await kit.publish(1)
    async with kit.new_uow() as uow:
        await uow.inventories.take_seat(free, now=NOW)
        await uow.commit()
    await kit.book(kit.new_user(), queued)
    await kit.join(kit.new_user(), queued)
    assert await kit.resize(queued, 2)  # the new seat is held for the one waiting

    availability = await kit.seats.availability([free, queued, new_id()])
    none = await kit.seats.availability([])

    assert {k: (v.capacity, v.available, v.is_full) for k, v in availability.items()} == {
        free: (4, 3, False),
        queued: (2, 0, True),
    }
    assert none == {}


async def test_closing_is_one_way_from_open(kit: BookingKit) -> None:
    event_id = await kit.publish(1)
    await kit.seats.close(event_id, "COMPLETED")
    await kit.seats.close(event_id, "CANCELLED")

    async with kit.new_uow() as booking_uow:
        inventory = await booking_uow.inventories.get(event_id)
    assert inventory is not None
    assert inventory.status is InventoryStatus.COMPLETED


async def test_a_resize_starts_from_the_capacity_the_caller_saw(kit: BookingKit) -> None:
    event_id = await kit.publish(4)
    async with kit.new_uow() as uow:
        for _ in range(3):
            await uow.inventories.take_seat(event_id, now=NOW)
        await uow.commit()

    assert await kit.seats.resize(event_id, expected=5, capacity=6) is SeatResize.CHANGED
    assert await kit.seats.resize(event_id, expected=4, capacity=2) is SeatResize.BELOW_TAKEN
    assert await counters(kit, event_id) == (1, 0, 0)
    assert await kit.seats.resize(event_id, expected=4, capacity=3) is SeatResize.RESIZED
    assert await counters(kit, event_id) == (0, 0, 0)
    assert await kit.seats.resize(new_id(), expected=3, capacity=4) is SeatResize.NOT_ON_SALE


async def test_closed_seats_neither_move_nor_reopen(kit: BookingKit) -> None:
    event_id = await kit.publish(2)
    listing = await _listing_of(kit, event_id)
    await kit.seats.close(event_id, "CANCELLED")

    assert await kit.seats.resize(event_id, expected=2, capacity=5) is SeatResize.NOT_ON_SALE
    await kit.seats.open(listing)  # a late publication reaction
    async with kit.new_uow() as uow:
        inventory = await uow.inventories.get(event_id)
        assert await uow.inventories.take_seat(event_id, now=NOW) is None
    assert inventory is not None
    assert (inventory.status, inventory.capacity) == (InventoryStatus.CANCELLED, 2)


async def test_new_seats_go_to_the_waitlist_first(kit: BookingKit) -> None:
    event_id = await kit.publish(1)
    await kit.book(kit.new_user(), event_id)
    for _ in range(2):
        await kit.join(kit.new_user(), event_id)

    assert await kit.resize(event_id, 4)

    assert await counters(kit, event_id) == (1, 2, 0)


async def test_sold_out_lists_the_events_on_sale_with_no_seat_for_a_newcomer(kit: BookingKit) -> None:
    free, full, queued, cancelled = [await kit.publish(1) for _ in range(4)]
    async with kit.new_uow() as uow:
        for event_id in (full, queued, cancelled):
            await uow.inventories.take_seat(event_id, now=NOW)
        await uow.inventories.enqueue(queued, now=NOW)
        await uow.inventories.release_seats(queued)
        await uow.commit()
    await kit.seats.close(cancelled, "CANCELLED")

    sold_out = set(await kit.seats.sold_out())

    assert {full, queued} <= sold_out
    assert not {free, cancelled} & sold_out


async def test_returned_seats_of_a_batch_go_to_the_pool_and_name_the_queues_to_serve(
    kit: BookingKit,
) -> None:
    queued, longer_queue, nobody_waits, closed = [await kit.publish(3) for _ in range(4)]
    async with kit.new_uow() as uow:
        for event_id, waiting in ((queued, 1), (longer_queue, 5), (nobody_waits, 0), (closed, 2)):
            await uow.inventories.take_seat(event_id, now=NOW, seats=3)
            for _ in range(waiting):
                await uow.inventories.enqueue(event_id, now=NOW)
        await uow.commit()
    await kit.seats.close(closed, "CANCELLED")

    async with kit.new_uow() as uow:
        served = await uow.inventories.return_seats(
            {queued: 2, longer_queue: 3, nobody_waits: 1, closed: 1, new_id(): 4}, now=NOW
        )
        await uow.commit()

    assert [inventory.event_id for inventory in served] == sorted([queued, longer_queue])
    # Each as it is after the return, for the hand-over to work from.
    assert {i.event_id: (i.available, i.waiting) for i in served} == {queued: (2, 1), longer_queue: (3, 5)}
    assert await counters(kit, queued) == (2, 0, 1)
    assert await counters(kit, longer_queue) == (3, 0, 5)
    assert await counters(kit, nobody_waits) == (1, 0, 0)
    assert await counters(kit, closed) == (1, 0, 2)


async def test_returned_seats_name_no_queue_once_the_event_has_started(kit: BookingKit) -> None:
    event_id = await kit.publish(1)
    async with kit.new_uow() as uow:
        await uow.inventories.take_seat(event_id, now=NOW)
        await uow.inventories.enqueue(event_id, now=NOW)
        assert await uow.inventories.return_seats({event_id: 1}, now=NOW + timedelta(days=30)) == []
        assert await uow.inventories.return_seats({}, now=NOW) == []
        await uow.commit()

    assert await counters(kit, event_id) == (1, 0, 1)


async def test_a_party_takes_all_its_seats_or_none(kit: BookingKit) -> None:
    event_id = await kit.publish(5)
    async with kit.new_uow() as uow:
        assert await uow.inventories.take_seat(event_id, now=NOW, seats=6) is None
        taken = await uow.inventories.take_seat(event_id, now=NOW, seats=4)
        assert taken is not None
        assert taken.available == 1
        assert await uow.inventories.take_seat(event_id, now=NOW, seats=2) is None
        await uow.commit()

    assert await counters(kit, event_id) == (1, 0, 0)


async def test_a_party_queues_when_its_seats_are_not_free_and_is_offered_them_together(
    kit: BookingKit,
) -> None:
    event_id = await kit.publish(5)
    async with kit.new_uow() as uow:
        await uow.inventories.take_seat(event_id, now=NOW, seats=3)
        assert await uow.inventories.enqueue(event_id, now=NOW, seats=2) is None  # 2 are free
        assert await uow.inventories.enqueue(event_id, now=NOW, seats=3) == 1
        assert not await offer_one_seat(uow, event_id, seats=3)
        await uow.inventories.release_seats(event_id, 1)
        assert await offer_one_seat(uow, event_id, seats=3)
        await uow.commit()
    assert await counters(kit, event_id) == (0, 3, 0)

    async with kit.new_uow() as uow:
        assert await uow.inventories.take_held_seat(event_id, now=NOW, seats=4) is None
        assert await uow.inventories.release_held_seat(event_id, 3)
        assert not await uow.inventories.release_held_seat(event_id, 1)
        await uow.commit()
    assert await counters(kit, event_id) == (3, 0, 0)
