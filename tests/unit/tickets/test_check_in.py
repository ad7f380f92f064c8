"""Check-in at the door: once per seat, by the organizer, with a genuine code of this event."""

from __future__ import annotations

import asyncio
import base64
from datetime import timedelta

import pytest

from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.paging import PageRequest
from aquastream.domain.shared.principal import Principal, Role
from aquastream.domain.tickets.codes import PREFIX, message_of, read_signed_code, signed_code
from aquastream.domain.tickets.errors import (
    AlreadyCheckedIn,
    CheckInForbidden,
    EventNotFound,
    ForgedTicket,
    NoShowTicket,
    TicketsNotFound,
    VoidTicket,
    WrongEventTicket,
)
from aquastream.domain.tickets.events import SeatCheckedIn
from aquastream.domain.tickets.model import Seat, SeatState, VoidReason
from tests.unit.tickets.tickets_world import TicketsWorld


async def test_the_organizer_checks_a_seat_in_by_its_qr_code(world: TicketsWorld) -> None:
    holder = world.participant()
    world.names.known[holder.user_id] = "Pavel Petrov"
    (ticket,) = await world.confirmed(holder)

    view = await world.check_in(world.owner, world.event.id, ticket.code)

    assert (view.state, view.name, view.ticket.checked_in_by) == (
        SeatState.CHECKED_IN,
        "Pavel Petrov",
        world.owner.user_id,
    )
    assert view.ticket.checked_in_at == world.clock.now()
    (fact,) = [f for f in world.facts() if isinstance(f, SeatCheckedIn)]
    assert (fact.ticket_id, fact.seat, fact.checked_in_by) == (ticket.id, 0, world.owner.user_id)


async def test_a_typed_short_code_checks_in_too_whatever_its_case_and_dashes(world: TicketsWorld) -> None:
    tickets = await world.confirmed(world.participant(), [Seat(0), Seat(1, "Rita")])
    typed = tickets[1].short_code.lower()
    typed = typed[:4] + "-" + typed[4:]

    view = await world.check_in(world.admin, world.event.id, typed)

    assert (view.ticket.id, view.name) == (tickets[1].id, "Rita")


async def test_a_second_scan_says_who_checked_the_seat_in_and_when(world: TicketsWorld) -> None:
    (ticket,) = await world.confirmed(world.participant())
    world.names.known[world.owner.user_id] = "Anna Organizer"
    await world.check_in(world.owner, world.event.id, ticket.code)
    checked_at = world.clock.now()
    world.clock.advance(minutes=5)

    with pytest.raises(AlreadyCheckedIn) as refused:
        await world.check_in(world.admin, world.event.id, ticket.short_code)

    assert refused.value.checked_in_by == world.owner.user_id
    assert refused.value.checked_in_at == checked_at
    assert refused.value.extra["checkedInByName"] == "Anna Organizer"
    assert len([f for f in world.facts() if isinstance(f, SeatCheckedIn)]) == 1


async def test_scanners_racing_on_one_code_check_it_in_once(world: TicketsWorld) -> None:
    (ticket,) = await world.confirmed(world.participant())

    async def scan() -> str:
        try:
            await world.check_in(world.owner, world.event.id, ticket.code)
        except AlreadyCheckedIn:
            return "again"
        return "in"

    outcomes = await asyncio.gather(*(scan() for _ in range(16)))

    assert sorted(outcomes) == ["again"] * 15 + ["in"]


async def test_a_forged_code_is_refused(world: TicketsWorld) -> None:
    (ticket,) = await world.confirmed(world.participant())
    claim = read_signed_code(ticket.code)
    assert claim is not None
    # Another seat of the same booking, with the genuine signature of seat 0.
    forged_seat = signed_code(
        message_of(claim.event_id, claim.booking_id, claim.ticket_id, 1), claim.signature
    )
    # The same message signed by a key the organizer does not have.
    stranger = world.signer.new_key_pair()
    forged_key = signed_code(claim.message, world.signer.sign(stranger.sealed_private_key, claim.message))
    made_up = PREFIX + base64.b32encode(b"\x01" + b"x" * 114).decode().rstrip("=")

    for code in (forged_seat, forged_key, made_up, "not a code at all"):
        with pytest.raises(ForgedTicket):
            await world.check_in(world.owner, world.event.id, code)


async def test_a_ticket_of_another_event_is_refused(world: TicketsWorld) -> None:
    other = world.add_event(world.new_event())
    (ticket,) = await world.confirmed(world.participant(), event=other)

    for code in (ticket.code, ticket.short_code):
        with pytest.raises(WrongEventTicket):
            await world.check_in(world.owner, world.event.id, code)


async def test_an_unknown_short_code_is_not_found(world: TicketsWorld) -> None:
    with pytest.raises(TicketsNotFound):
        await world.check_in(world.owner, world.event.id, "ZZZZ-ZZZZ")


async def test_only_the_organizer_or_an_admin_checks_in(world: TicketsWorld) -> None:
    holder = world.participant()
    (ticket,) = await world.confirmed(holder)
    another_organizer = Principal(new_id(), Role.ORGANIZER)

    for caller in (holder, another_organizer):
        with pytest.raises(CheckInForbidden):
            await world.check_in(caller, world.event.id, ticket.code)
    with pytest.raises(EventNotFound):
        await world.check_in(world.owner, new_id(), ticket.code)


async def test_a_void_or_no_show_seat_is_refused_at_the_door(world: TicketsWorld) -> None:
    tickets = await world.confirmed(world.participant(), [Seat(0), Seat(1, "Rita")])
    (no_show,) = await world.confirmed(world.participant())
    await world.void(tickets[0].booking_id, 1, VoidReason.CANCELLED)
    await world.mark_no_show(no_show.booking_id)

    with pytest.raises(VoidTicket):
        await world.check_in(world.owner, world.event.id, tickets[1].code)
    with pytest.raises(NoShowTicket):
        await world.check_in(world.owner, world.event.id, no_show.code)
    assert (await world.check_in(world.owner, world.event.id, tickets[0].code)).state is SeatState.CHECKED_IN


async def test_the_roster_shows_every_seat_and_after_the_end_unchecked_ones_as_no_shows(
    world: TicketsWorld,
) -> None:
    first = await world.confirmed(world.participant(), [Seat(0), Seat(1, "Rita")])
    world.clock.advance(minutes=1)
    (second,) = await world.confirmed(world.participant())
    await world.void(second.booking_id, None, VoidReason.CANCELLED)
    await world.check_in(world.owner, world.event.id, first[0].code)

    page = await world.roster(world.owner, world.event.id, PageRequest(0, 10))
    assert [(v.ticket.id, v.state) for v in page.items] == [
        (first[0].id, SeatState.CHECKED_IN),
        (first[1].id, SeatState.CONFIRMED),
        (second.id, SeatState.VOID),
    ]
    assert page.total == 3

    world.clock.advance(days=3)
    page = await world.roster(world.owner, world.event.id, PageRequest(0, 2))
    assert [v.state for v in page.items] == [SeatState.CHECKED_IN, SeatState.NO_SHOW]
    assert await world.check_ins.bookings_checked_in(world.event.id) == {first[0].booking_id}


async def test_an_event_that_never_used_check_in_keeps_its_seats_confirmed_after_the_end(
    world: TicketsWorld,
) -> None:
    (ticket,) = await world.confirmed(world.participant())
    world.clock.advance(days=3)

    page = await world.roster(world.owner, world.event.id, PageRequest())

    assert [v.state for v in page.items] == [SeatState.CONFIRMED]
    assert await world.check_ins.bookings_checked_in(world.event.id) is None
    assert ticket.event_id == world.event.id


async def test_the_roster_and_other_people_s_tickets_are_hidden(world: TicketsWorld) -> None:
    (ticket,) = await world.confirmed(world.participant())
    stranger = world.participant()

    with pytest.raises(CheckInForbidden):
        await world.roster(stranger, world.event.id, PageRequest())
    with pytest.raises(TicketsNotFound):
        await world.list_tickets(stranger, ticket.booking_id)
    with pytest.raises(TicketsNotFound):
        await world.get_ticket(world.owner, ticket.booking_id, new_id())
    assert (await world.get_ticket(world.owner, ticket.booking_id, ticket.id)).ticket.id == ticket.id
    assert world.clock.now() < world.event.ends_at + timedelta(days=1)
