"""The tickets' part of a user's data: the export lists every seat of the bookings they hold,
and a deleted account's names and phones are erased from its tickets, which stay valid."""

from __future__ import annotations

from datetime import timedelta

from aquastream.domain.shared.privacy import ERASED_NAME
from aquastream.domain.tickets.model import Seat, VoidReason
from aquastream.domain.tickets.privacy import EraseTicketHolder, ExportMyTicketData
from tests.unit.tickets.tickets_world import TicketsWorld


def _export(world: TicketsWorld) -> ExportMyTicketData:
    return ExportMyTicketData(world.new_uow(), world.clock, world.events)


async def test_the_export_lists_each_seat_of_the_holder_s_bookings_with_its_state(
    world: TicketsWorld,
) -> None:
    holder, other = world.participant(), world.participant()
    world.names.known[holder.user_id] = "Pavel Petrov"
    party = await world.confirmed(
        holder, [Seat(0), Seat(1, "Rita Smirnova", "+79990000001"), Seat(2, "Sasha")]
    )
    await world.void(party[0].booking_id, 2, VoidReason.CANCELLED)
    await world.check_in(world.owner, world.event.id, party[0].code)
    await world.confirmed(other)

    exported = await _export(world)(holder.user_id)

    assert [
        (t["bookingId"], t["seat"], t["shortCode"], t["state"], t["name"], t["phone"])
        for t in exported["tickets"]
    ] == [
        (str(party[0].booking_id), 0, party[0].short_code, "CHECKED_IN", "Pavel Petrov", None),
        (str(party[0].booking_id), 1, party[1].short_code, "CONFIRMED", "Rita Smirnova", "+79990000001"),
        (str(party[0].booking_id), 2, party[2].short_code, "VOID", "Sasha", None),
    ]
    first = exported["tickets"][0]
    assert first["checkedInAt"] == world.clock.now().isoformat().replace("+00:00", "Z")
    assert exported["tickets"][1]["checkedInAt"] is None
    assert "code" not in first  # the signed code is a credential, not data about anyone
    assert await _export(world)(world.participant().user_id) == {"tickets": []}


async def test_after_an_event_that_used_check_in_an_unchecked_seat_exports_as_no_show(
    world: TicketsWorld,
) -> None:
    holder = world.participant()
    first, _ = await world.confirmed(holder, [Seat(0), Seat(1, "Rita")])
    await world.check_in(world.owner, world.event.id, first.code)
    world.clock.advance(timedelta(days=3))

    exported = await _export(world)(holder.user_id)

    assert [t["state"] for t in exported["tickets"]] == ["CHECKED_IN", "NO_SHOW"]


async def test_a_deleted_account_s_tickets_keep_no_name_or_phone_and_stay_valid(world: TicketsWorld) -> None:
    holder, other = world.participant(), world.participant()
    world.names.known[holder.user_id] = "Pavel Petrov"
    party = await world.confirmed(holder, [Seat(0), Seat(1, "Rita Smirnova", "+79990000001")])
    (others,) = await world.confirmed(other)
    erase = EraseTicketHolder(world.new_uow())

    assert await erase(holder.user_id) == 2
    assert await erase(holder.user_id) == 0  # at-least-once delivery: nothing left to do

    async with world.new_uow() as uow:
        stored = await uow.tickets.for_booking(party[0].booking_id)
        untouched = await uow.tickets.get(others.id)
    assert [(t.holder_name, t.companion_name, t.companion_phone) for t in stored] == [
        (None, None, None),
        (None, ERASED_NAME, None),
    ]
    assert [(t.short_code, t.code, t.voided_at) for t in stored] == [
        (t.short_code, t.code, None) for t in party
    ]
    assert untouched == others
    del world.names.known[holder.user_id]  # identity has anonymised the account too
    view = await world.check_in(world.owner, world.event.id, party[1].short_code)
    assert view.name == ERASED_NAME
