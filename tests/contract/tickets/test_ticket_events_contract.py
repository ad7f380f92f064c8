"""What the catalog serves tickets (``TicketEvents``), on every backend: an event's organizer
and end, whether the caller manages it, whether the caller checks seats in (the owner, admins
and the team members linked to an account), an organizer's id by slug or id. The memory twin is
told the same facts by hand; the SQL one reads them from the catalog's tables."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import insert, update

from aquastream.adapters.memory.tickets import MemoryTicketEvents
from aquastream.adapters.sql.catalog.served import CatalogTicketEvents
from aquastream.adapters.sql.tables.catalog import events, organizers, team_members
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.principal import Principal, Role
from aquastream.domain.tickets.model import TicketEvent
from aquastream.ports.tickets import TicketEvents

from .kit import NOW, TicketsKit


@dataclass
class Door:
    """One organizer with one event and a team: Anna linked to an account, Boris not."""

    organizer_id: uuid.UUID
    slug: str
    event_id: uuid.UUID
    owner: Principal
    anna: Principal  # a participant's account, linked to the team member Anna
    anna_member_id: uuid.UUID


async def _door(kit: TicketsKit) -> Door:
    organizer_id = new_id()
    door = Door(
        organizer_id,
        f"org-{organizer_id.hex[:12]}",
        new_id(),
        kit.owner,
        Principal(new_id(), Role.USER),
        new_id(),
    )
    if kit.engine is None:
        return door
    async with kit.engine.begin() as connection:
        await connection.execute(
            insert(organizers).values(
                id=door.organizer_id,
                slug=door.slug,
                name="River Rats",
                owner_user_id=door.owner.user_id,
                search_text="river rats",
                created_at=NOW,
                updated_at=NOW,
            )
        )
        await connection.execute(
            insert(events).values(
                id=door.event_id,
                organizer_id=door.organizer_id,
                type="RAFTING",
                title="Msta",
                date_start=NOW + timedelta(days=30),
                date_end=NOW + timedelta(days=31),
                capacity=10,
                status="PUBLISHED",
                tags=[],
                search_text="msta",
                created_at=NOW,
                updated_at=NOW,
            )
        )
        for member_id, name, user_id in (
            (door.anna_member_id, "Anna", door.anna.user_id),
            (new_id(), "Boris", None),
        ):
            await connection.execute(
                insert(team_members).values(
                    id=member_id, organizer_id=door.organizer_id, name=name, sort_order=0, user_id=user_id
                )
            )
    return door


def _served(kit: TicketsKit, door: Door) -> TicketEvents:
    if kit.engine is None:
        event = TicketEvent(door.event_id, door.organizer_id, "Msta", NOW + timedelta(days=31))
        return MemoryTicketEvents(
            [event],
            {door.organizer_id: {door.owner.user_id}},
            {door.slug: door.organizer_id},
            {door.organizer_id: {door.anna.user_id}},
        )
    return CatalogTicketEvents(kit.engine)


async def _rights(served: TicketEvents, event_id: uuid.UUID, caller: Principal | None) -> tuple[bool, bool]:
    event = await served.event(event_id, caller)
    assert event is not None
    return event.caller_manages, event.caller_checks_in


async def test_the_catalog_tells_tickets_about_events_and_organizers(kit: TicketsKit) -> None:
    door = await _door(kit)
    served = _served(kit, door)

    event = await served.event(door.event_id, door.owner)
    assert event is not None
    assert (event.organizer_id, event.title, event.ends_at) == (
        door.organizer_id,
        "Msta",
        NOW + timedelta(days=31),
    )
    assert await served.event(new_id(), door.owner) is None
    assert await served.organizer_id(door.slug) == door.organizer_id
    assert await served.organizer_id(str(door.organizer_id)) == door.organizer_id
    assert await served.organizer_id("nobody") is None
    assert await served.organizer_id(str(new_id())) is None


async def test_owners_admins_and_linked_team_members_check_seats_in(kit: TicketsKit) -> None:
    door = await _door(kit)
    served = _served(kit, door)
    demoted = Principal(door.owner.user_id, Role.USER)
    anna_as_organizer = Principal(door.anna.user_id, Role.ORGANIZER)  # owns nothing here

    for caller, rights in (
        (door.owner, (True, True)),
        (Principal(new_id(), Role.ADMIN), (True, True)),
        (door.anna, (False, True)),
        (anna_as_organizer, (False, True)),
        (demoted, (False, False)),
        (Principal(new_id(), Role.ORGANIZER), (False, False)),
        (None, (False, False)),
    ):
        assert await _rights(served, door.event_id, caller) == rights, caller


async def test_an_unlinked_team_member_checks_no_seat_in_once_the_event_is_read_again(
    kit: TicketsKit,
) -> None:
    door = await _door(kit)
    served = _served(kit, door)
    assert await _rights(served, door.event_id, door.anna) == (False, True)

    if isinstance(served, MemoryTicketEvents):
        served.team[door.organizer_id].discard(door.anna.user_id)
    else:
        assert kit.engine is not None
        async with kit.engine.begin() as connection:
            await connection.execute(
                update(team_members).where(team_members.c.id == door.anna_member_id).values(user_id=None)
            )
        # The door's read of the event is kept for a second: a fresh one sees the change.
        served = CatalogTicketEvents(kit.engine)

    assert await _rights(served, door.event_id, door.anna) == (False, False)


async def test_a_team_member_linked_a_moment_ago_is_let_in_at_once(kit: TicketsKit) -> None:
    door = await _door(kit)
    served = _served(kit, door)
    boris = Principal(new_id(), Role.USER)
    assert await _rights(served, door.event_id, boris) == (False, False)  # the event is read (and kept)

    if isinstance(served, MemoryTicketEvents):
        served.team[door.organizer_id].add(boris.user_id)
    else:
        assert kit.engine is not None
        async with kit.engine.begin() as connection:
            linked = update(team_members).where(team_members.c.name == "Boris").values(user_id=boris.user_id)
            await connection.execute(linked)

    assert await _rights(served, door.event_id, boris) == (False, True)
