"""The organizer's team at the door: a team member linked to an account checks seats in and
reads the roster of the organizer's events, and nothing else; unlinked, the right ends."""

from __future__ import annotations

import pytest

from aquastream.domain.shared.paging import PageRequest
from aquastream.domain.shared.principal import Principal
from aquastream.domain.tickets.errors import AlreadyCheckedIn, CheckInForbidden, TicketsNotFound
from aquastream.domain.tickets.events import SeatCheckedIn
from aquastream.domain.tickets.model import SeatState
from tests.unit.tickets.tickets_world import TicketsWorld


def _linked(world: TicketsWorld) -> Principal:
    """A participant's account that the organizer's owner linked to a team member."""
    member = world.participant()
    world.events.team.setdefault(world.organizer_id, set()).add(member.user_id)
    return member


async def test_a_linked_team_member_checks_a_seat_in_and_reads_the_roster(world: TicketsWorld) -> None:
    member = _linked(world)
    (ticket,) = await world.confirmed(world.participant())

    view = await world.check_in(member, world.event.id, ticket.code)
    roster = await world.roster(member, world.event.id, PageRequest())

    assert (view.state, view.ticket.checked_in_by) == (SeatState.CHECKED_IN, member.user_id)
    (fact,) = [f for f in world.facts() if isinstance(f, SeatCheckedIn)]
    assert fact.checked_in_by == member.user_id
    assert [(v.ticket.id, v.state, v.ticket.checked_in_by) for v in roster.items] == [
        (ticket.id, SeatState.CHECKED_IN, member.user_id)
    ]


async def test_a_second_scan_names_the_team_member_who_checked_the_seat_in(world: TicketsWorld) -> None:
    member = _linked(world)
    world.names.known[member.user_id] = "Boris Guide"
    (ticket,) = await world.confirmed(world.participant())
    await world.check_in(member, world.event.id, ticket.short_code)

    with pytest.raises(AlreadyCheckedIn) as refused:
        await world.check_in(world.owner, world.event.id, ticket.code)

    assert refused.value.checked_in_by == member.user_id
    assert refused.value.extra["checkedInByName"] == "Boris Guide"


async def test_a_team_member_checks_in_at_their_organizer_s_events_only(world: TicketsWorld) -> None:
    member = _linked(world)
    elsewhere = world.add_event(world.new_event(organizer_id=world.participant().user_id))
    (ticket,) = await world.confirmed(world.participant(), event=elsewhere)

    with pytest.raises(CheckInForbidden):
        await world.check_in(member, elsewhere.id, ticket.code)
    with pytest.raises(CheckInForbidden):
        await world.roster(member, elsewhere.id, PageRequest())


async def test_a_team_member_sees_no_booking_s_tickets(world: TicketsWorld) -> None:
    member = _linked(world)
    (ticket,) = await world.confirmed(world.participant())

    with pytest.raises(TicketsNotFound):
        await world.list_tickets(member, ticket.booking_id)


async def test_an_unlinked_or_removed_team_member_checks_no_seat_in(world: TicketsWorld) -> None:
    member = _linked(world)
    (first, second) = [(await world.confirmed(world.participant()))[0] for _ in range(2)]
    await world.check_in(member, world.event.id, first.code)

    world.events.team[world.organizer_id].discard(member.user_id)

    with pytest.raises(CheckInForbidden):
        await world.check_in(member, world.event.id, second.code)
    with pytest.raises(CheckInForbidden):
        await world.roster(member, world.event.id, PageRequest())
