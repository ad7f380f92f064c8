"""Tickets issued from booking's facts: one per seat, signed by the organizer's key,
idempotent, voided and marked as the booking moves."""

from __future__ import annotations

import base64

from aquastream.domain.shared.ids import new_id
from aquastream.domain.tickets.codes import PREFIX, read_short_code, read_signed_code
from aquastream.domain.tickets.issuing import IssueTickets
from aquastream.domain.tickets.model import Seat, SeatState, VoidReason
from tests.unit.tickets.tickets_world import TicketsWorld


async def test_a_booking_without_listed_seats_gets_one_ticket_the_holder_s(world: TicketsWorld) -> None:
    holder = world.participant()
    world.names.known[holder.user_id] = "Pavel Petrov"

    (ticket,) = await world.confirmed(holder)

    assert (ticket.seat, ticket.is_holder, ticket.user_id) == (0, True, holder.user_id)
    found = await world.list_tickets(holder, ticket.booking_id)
    assert [(v.name, v.state) for v in found.tickets] == [("Pavel Petrov", SeatState.CONFIRMED)]


async def test_every_seat_of_a_group_gets_a_ticket_with_the_companion_s_name(world: TicketsWorld) -> None:
    holder = world.participant()
    seats = [Seat(0), Seat(1, "Rita Smirnova", "+79990000001"), Seat(2, "Sasha Ivanov")]

    tickets = await world.confirmed(holder, seats)

    assert [(t.seat, t.companion_name, t.companion_phone) for t in tickets] == [
        (0, None, None),
        (1, "Rita Smirnova", "+79990000001"),
        (2, "Sasha Ivanov", None),
    ]
    assert len({t.short_code for t in tickets}) == 3
    assert all(read_short_code(t.short_code) == t.short_code for t in tickets)


async def test_the_code_is_signed_with_the_organizer_s_key_and_verifies_with_its_public_key(
    world: TicketsWorld,
) -> None:
    (ticket,) = await world.confirmed(world.participant())
    key = await world.get_key("river-rats")

    claim = read_signed_code(ticket.code)

    assert ticket.code.startswith(PREFIX)
    assert len(ticket.code) == 189
    assert claim is not None
    assert (claim.event_id, claim.booking_id, claim.ticket_id, claim.seat) == (
        ticket.event_id,
        ticket.booking_id,
        ticket.id,
        0,
    )
    assert world.signer.verify(key.public_key, claim.message, claim.signature)
    assert "BEGIN PUBLIC KEY" in key.public_pem
    tampered = claim.message[:-1] + b"\x01"
    assert not world.signer.verify(key.public_key, tampered, claim.signature)


async def test_each_organizer_has_a_key_of_its_own_made_once(world: TicketsWorld) -> None:
    other = world.add_event(world.new_event(organizer_id=new_id()))
    (mine,) = await world.confirmed(world.participant())
    (theirs,) = await world.confirmed(world.participant(), event=other)

    first = await world.get_key(str(world.organizer_id))
    again = await world.get_key("river-rats")
    their_key = await world.get_key(str(other.organizer_id))

    assert first.public_key == again.public_key != their_key.public_key
    claim = read_signed_code(theirs.code)
    assert claim is not None
    assert not world.signer.verify(first.public_key, claim.message, claim.signature)
    assert base64.b64encode(first.public_key)  # 32 raw bytes
    assert len(first.public_key) == 32
    assert mine.organizer_id == world.organizer_id


async def test_a_fact_that_comes_twice_issues_nothing_more(world: TicketsWorld) -> None:
    holder = world.participant()
    booking_id = new_id()
    first = await world.issue(booking_id, world.event.id, holder.user_id, [])
    await world.issue(booking_id, world.event.id, holder.user_id, [])

    found = await world.list_tickets(holder, booking_id)
    assert [v.ticket.id for v in found.tickets] == [first[0].id]


async def test_a_cancelled_companion_seat_voids_its_ticket_only(world: TicketsWorld) -> None:
    holder = world.participant()
    tickets = await world.confirmed(holder, [Seat(0), Seat(1, "Rita"), Seat(2, "Sasha")])

    assert await world.void(tickets[0].booking_id, 1, VoidReason.CANCELLED) == 1
    assert await world.void(tickets[0].booking_id, 1, VoidReason.CANCELLED) == 0

    found = await world.list_tickets(holder, tickets[0].booking_id)
    assert [v.state for v in found.tickets] == [SeatState.CONFIRMED, SeatState.VOID, SeatState.CONFIRMED]


async def test_a_cancelled_or_expired_booking_voids_every_ticket(world: TicketsWorld) -> None:
    holder = world.participant()
    tickets = await world.confirmed(holder, [Seat(0), Seat(1, "Rita")])

    await world.void(tickets[0].booking_id, None, VoidReason.CANCELLED)

    found = await world.list_tickets(holder, tickets[0].booking_id)
    assert {v.state for v in found.tickets} == {SeatState.VOID}


async def test_a_booking_confirmed_again_after_expiry_has_its_tickets_back(world: TicketsWorld) -> None:
    holder = world.participant()
    (ticket,) = await world.confirmed(holder)
    await world.void(ticket.booking_id, None, VoidReason.EXPIRED)

    await world.issue(ticket.booking_id, ticket.event_id, holder.user_id, [])

    (view,) = (await world.list_tickets(holder, ticket.booking_id)).tickets
    assert (view.ticket.id, view.state) == (ticket.id, SeatState.CONFIRMED)


async def test_a_no_show_marks_the_unchecked_seats(world: TicketsWorld) -> None:
    holder = world.participant()
    tickets = await world.confirmed(holder, [Seat(0), Seat(1, "Rita")])

    assert await world.mark_no_show(tickets[0].booking_id) == 2

    found = await world.list_tickets(holder, tickets[0].booking_id)
    assert {v.state for v in found.tickets} == {SeatState.NO_SHOW}


async def test_a_short_code_taken_in_the_event_is_drawn_again(world: TicketsWorld) -> None:
    codes = iter(["AAAAAAAA", "AAAAAAAA", "BBBBBBBB"])
    issue = IssueTickets(
        world.new_uow(), world.clock, world.events, world.signer, world.names, lambda: next(codes)
    )
    await issue(new_id(), world.event.id, new_id(), [])

    (second,) = await issue(new_id(), world.event.id, new_id(), [])

    assert second.short_code == "BBBBBBBB"
