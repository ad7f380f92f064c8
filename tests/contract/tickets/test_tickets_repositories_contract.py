"""The tickets repositories and ``CheckInRecord`` behave alike on memory, SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses

from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.paging import PageRequest
from aquastream.domain.shared.privacy import ERASED_NAME
from aquastream.domain.tickets.events import SeatCheckedIn
from aquastream.domain.tickets.model import OrganizerKey, Ticket, VoidReason

from .kit import NOW, TicketsKit


async def test_tickets_are_stored_and_read_back_as_they_were(kit: TicketsKit) -> None:
    made = await kit.tickets(3)

    async with kit.uow() as uow:
        assert await uow.tickets.get(made[1].id) == made[1]
        assert await uow.tickets.for_booking(made[0].booking_id) == made
        assert await uow.tickets.by_short_code(made[2].short_code) == [made[2]]
        taken = await uow.tickets.short_codes_taken(kit.event.id, {made[0].short_code, "ZZZZZZZZ"})
        assert taken == {made[0].short_code}
        assert await uow.tickets.short_codes_taken(new_id(), {made[0].short_code}) == set()
        assert await uow.tickets.get(new_id()) is None


async def test_a_seat_s_ticket_is_added_once_and_comes_back_after_an_expiry(kit: TicketsKit) -> None:
    (ticket,) = await kit.tickets()
    async with kit.uow() as uow:
        again = dataclasses.replace(ticket, id=new_id(), short_code="AAAAAAAA")
        await uow.tickets.add_many([again])
        assert await uow.tickets.void(ticket.booking_id, None, reason=VoidReason.EXPIRED, now=NOW) == 1
        await uow.tickets.add_many([again])
        await uow.commit()

    async with kit.uow() as uow:
        (stored,) = await uow.tickets.for_booking(ticket.booking_id)
    assert stored == ticket  # the first ticket, valid again


async def test_voiding_a_seat_or_a_booking_and_marking_no_shows(kit: TicketsKit) -> None:
    made = await kit.tickets(3)
    booking = made[0].booking_id
    async with kit.uow() as uow:
        assert await uow.tickets.void(booking, 2, reason=VoidReason.CANCELLED, now=NOW) == 1
        assert await uow.tickets.check_in(made[0].id, by=kit.owner.user_id, now=NOW) is not None
        assert await uow.tickets.mark_no_show(booking, now=NOW) == 1  # seat 1 only
        assert await uow.tickets.void(booking, None, reason=VoidReason.CANCELLED, now=NOW) == 2
        await uow.commit()

    async with kit.uow() as uow:
        stored = await uow.tickets.for_booking(booking)
    assert [t.void_reason for t in stored] == [VoidReason.CANCELLED] * 3
    assert [t.no_show_at is not None for t in stored] == [False, True, False]


async def test_check_in_happens_once_and_never_on_a_void_or_no_show_ticket(kit: TicketsKit) -> None:
    made = await kit.tickets(3)
    async with kit.uow() as uow:
        await uow.tickets.void(made[0].booking_id, 1, reason=VoidReason.CANCELLED, now=NOW)
        first = await uow.tickets.check_in(made[0].id, by=kit.owner.user_id, now=NOW)
        assert first is not None
        assert (first.checked_in_at, first.checked_in_by) == (NOW, kit.owner.user_id)
        assert await uow.tickets.check_in(made[0].id, by=new_id(), now=NOW) is None
        assert await uow.tickets.check_in(made[1].id, by=new_id(), now=NOW) is None
        await uow.tickets.mark_no_show(made[0].booking_id, now=NOW)
        assert await uow.tickets.check_in(made[2].id, by=new_id(), now=NOW) is None
        assert await uow.tickets.check_in(new_id(), by=new_id(), now=NOW) is None
        await uow.commit()


async def test_the_roster_pages_in_issue_order_then_seat(kit: TicketsKit) -> None:
    first = await kit.tickets(2)
    kit.clock.advance(minutes=1)
    second = await kit.tickets(1)
    await kit.tickets(1, event_id=new_id())

    async with kit.uow() as uow:
        page = await uow.tickets.roster(kit.event.id, PageRequest(0, 2))
        rest = await uow.tickets.roster(kit.event.id, PageRequest(1, 2))
        assert not await uow.tickets.any_checked_in(kit.event.id)

    assert [t.id for t in page.items] == [first[0].id, first[1].id]
    assert [t.id for t in rest.items] == [second[0].id]
    assert page.total == 3


async def test_the_check_in_record_names_the_bookings_with_a_seat_checked_in(kit: TicketsKit) -> None:
    came = await kit.tickets(2)
    await kit.tickets(1)
    assert await kit.check_ins.bookings_checked_in(kit.event.id) is None

    async with kit.uow() as uow:
        await uow.tickets.check_in(came[1].id, by=kit.owner.user_id, now=NOW)
        assert await uow.tickets.any_checked_in(kit.event.id)
        await uow.commit()

    assert await kit.check_ins.bookings_checked_in(kit.event.id) == {came[0].booking_id}
    assert await kit.check_ins.bookings_checked_in(new_id()) is None


async def test_an_organizer_keeps_the_first_key_it_got(kit: TicketsKit) -> None:
    first = await kit.key()
    pair = kit.signer.new_key_pair()

    async with kit.uow() as uow:
        kept = await uow.keys.add_if_absent(
            OrganizerKey(kit.organizer_id, pair.public_key, pair.sealed_private_key, NOW)
        )
        assert await uow.keys.get(new_id()) is None
        await uow.commit()

    assert kept == first
    assert kit.signer.sign(kept.sealed_private_key, b"m")  # still opens


async def test_a_user_s_valid_ticket_codes_are_served_per_event(kit: TicketsKit) -> None:
    made = await kit.tickets(2)
    holder = made[0].user_id
    async with kit.uow() as uow:
        await uow.tickets.void(made[0].booking_id, 1, reason=VoidReason.CANCELLED, now=NOW)
        await uow.commit()

    found = await kit.user_tickets.for_user(holder, [kit.event.id, new_id()])

    assert [(n.booking_id, n.seat, n.short_code) for n in found[kit.event.id]] == [
        (made[0].booking_id, 0, made[0].short_code)
    ]
    assert await kit.user_tickets.for_user(new_id(), [kit.event.id]) == {}
    assert await kit.user_tickets.for_user(holder, []) == {}


async def test_a_holder_s_tickets_are_read_in_issue_order_voided_ones_included(kit: TicketsKit) -> None:
    holder = new_id()
    first = await kit.tickets(2, holder_id=holder)
    kit.clock.advance(minutes=1)
    second = await kit.tickets(1, holder_id=holder, event_id=new_id())
    await kit.tickets(1)  # someone else's
    async with kit.uow() as uow:
        await uow.tickets.void(first[0].booking_id, 1, reason=VoidReason.CANCELLED, now=NOW)
        await uow.commit()

    async with kit.uow() as uow:
        mine = await uow.tickets.for_holder(holder)
        nobody_s = await uow.tickets.for_holder(new_id())

    assert [(t.id, t.void_reason) for t in mine] == [
        (first[0].id, None),
        (first[1].id, VoidReason.CANCELLED),
        (second[0].id, None),
    ]
    assert nobody_s == []


async def test_erasing_a_holder_forgets_names_and_phones_on_their_tickets_only(kit: TicketsKit) -> None:
    holder = new_id()
    party = await kit.tickets(3, holder_id=holder)
    (others,) = await kit.tickets(1)

    async with kit.uow() as uow:
        assert await uow.tickets.erase_holder(holder, erased_name=ERASED_NAME) == 3
        await uow.commit()
    async with kit.uow() as uow:
        assert await uow.tickets.erase_holder(holder, erased_name=ERASED_NAME) == 0
        stored = await uow.tickets.for_holder(holder)
        untouched = await uow.tickets.get(others.id)

    assert [(t.holder_name, t.companion_name, t.companion_phone) for t in stored] == [
        (None, None, None),
        (None, ERASED_NAME, None),
        (None, ERASED_NAME, None),
    ]
    assert [
        dataclasses.replace(t, holder_name=None, companion_name=None, companion_phone=None) for t in stored
    ] == [dataclasses.replace(t, holder_name=None, companion_name=None, companion_phone=None) for t in party]
    assert untouched == others


def _fact(kit: TicketsKit, ticket: Ticket) -> SeatCheckedIn:
    return SeatCheckedIn(
        occurred_at=NOW,
        event_id=ticket.event_id,
        booking_id=ticket.booking_id,
        seat=ticket.seat,
        ticket_id=ticket.id,
        checked_in_by=kit.owner.user_id,
        checked_in_at=NOW,
    )


async def test_the_facts_collected_go_with_a_check_in_and_only_with_one(kit: TicketsKit) -> None:
    made = await kit.tickets(2)
    first, second = (_fact(kit, ticket) for ticket in made)

    async with kit.uow().at_once() as uow:
        uow.collect(first)
        assert await uow.tickets.check_in(made[0].id, by=kit.owner.user_id, now=NOW) is not None
        await uow.commit()
    async with kit.uow().at_once() as uow:
        uow.collect(_fact(kit, made[0]))
        assert await uow.tickets.check_in(made[0].id, by=new_id(), now=NOW) is None  # dropped
        await uow.commit()  # nothing left to write
    async with kit.uow() as uow:  # in a transaction of its own, left without commit
        uow.collect(second)
        assert await uow.tickets.check_in(made[1].id, by=kit.owner.user_id, now=NOW) is not None

    assert await kit.check_ins_published() == [first]
    async with kit.uow() as uow:
        left = await uow.tickets.get(made[1].id)
    assert left is not None
    assert left.checked_in_at is None
