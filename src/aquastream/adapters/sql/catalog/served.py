"""Questions other domains ask the catalog, served on the catalog's own engine.

Each adapter reads on a connection of the catalog's engine, outside the asking domain's
transaction (``StandaloneReads``, with a timeout), so the asker runs no SQL on the
catalog's tables and the catalog may sit where the asker's role cannot see.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.kept import Kept
from aquastream.adapters.sql.reads import StandaloneReads
from aquastream.adapters.sql.tables.catalog import events, organizers, team_members
from aquastream.domain.media.model import OwnerType
from aquastream.domain.notifications.model import EventSummary
from aquastream.domain.shared.principal import Principal, Role
from aquastream.ports.booking import OrganizerName
from aquastream.ports.media import OwnerFacts
from aquastream.ports.tickets import TicketEvent

_EVENT_COLUMNS = (events.c.id, events.c.organizer_id, events.c.title, events.c.date_start)


def _summary(row: Any) -> EventSummary:
    return EventSummary(
        event_id=row.id, organizer_id=row.organizer_id, title=row.title, starts_at=row.date_start
    )


class CatalogEventDirectory:
    """Notifications' ``EventDirectory``: an event's summary, and the published events that
    start in a window."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._reads = StandaloneReads(engine)

    async def event(self, event_id: uuid.UUID) -> EventSummary | None:
        rows = await self._reads.rows(select(*_EVENT_COLUMNS).where(events.c.id == event_id))
        return _summary(rows[0]) if rows else None

    async def starting_between(self, after: datetime, until: datetime) -> Sequence[EventSummary]:
        query = (
            select(*_EVENT_COLUMNS)
            .where(events.c.status == "PUBLISHED", events.c.date_start > after, events.c.date_start <= until)
            .order_by(events.c.date_start, events.c.id)
        )
        rows = await self._reads.rows(query)
        return [_summary(row) for row in rows]


class CatalogOrganizerNames:
    """Booking's ``OrganizerNames``: slug and name of the organizers of a page of bookings, in
    one read."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._reads = StandaloneReads(engine)

    async def names(self, organizer_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, OrganizerName]:
        if not organizer_ids:
            return {}
        query = select(organizers.c.id, organizers.c.slug, organizers.c.name).where(
            organizers.c.id.in_(list(organizer_ids))
        )
        return {row.id: OrganizerName(row.id, row.slug, row.name) for row in await self._reads.rows(query)}


class CatalogMediaOwners:
    """Media's ``CatalogOwners``: who owns the organizer of a logo, a team photo or an event's
    image."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._reads = StandaloneReads(engine)

    async def organizer_owner(self, owner_type: OwnerType, owner_id: uuid.UUID) -> OwnerFacts | None:
        owner = select(organizers.c.owner_user_id)
        match owner_type:
            case OwnerType.ORGANIZER_LOGO:
                query = owner.where(organizers.c.id == owner_id)
            case OwnerType.TEAM_PHOTO:
                query = owner.join(team_members, team_members.c.organizer_id == organizers.c.id).where(
                    team_members.c.id == owner_id
                )
            case OwnerType.EVENT_IMAGE:
                query = owner.join(events, events.c.organizer_id == organizers.c.id).where(
                    events.c.id == owner_id
                )
            case _:
                return None
        rows = await self._reads.rows(query)
        return OwnerFacts(organizer_owner_id=rows[0].owner_user_id) if rows else None


# The door asks for the same event at every scan: its facts (never the decision, which
# depends on the caller's token) are kept this long, as anonymous catalog reads are. A team
# member unlinked or removed, like an owner demoted, loses the door within that second; a
# refusal always reads the facts afresh.
TICKET_EVENT_SECONDS = 1.0
TICKET_EVENTS_KEPT = 4096


@dataclass(frozen=True, slots=True)
class _DoorFacts:
    event: TicketEvent  # as nobody in particular asks
    owner_user_id: uuid.UUID
    team_user_ids: frozenset[uuid.UUID]  # the accounts linked to the organizer's team


def _answer(facts: _DoorFacts, caller: Principal | None) -> TicketEvent:
    if caller is None:
        return facts.event
    manages = caller.is_admin or (caller.role is Role.ORGANIZER and facts.owner_user_id == caller.user_id)
    checks_in = manages or caller.user_id in facts.team_user_ids
    return replace(facts.event, caller_manages=manages, caller_checks_in=checks_in)


class CatalogTicketEvents:
    """Tickets' ``TicketEvents``: an event's organizer and end, whether the caller manages
    the organizer (as ``domain.catalog.access.can_manage`` decides: admins, and the owner while
    an ORGANIZER) and whether the caller checks seats in (a manager, or a team member linked to
    the caller's account, whatever its role), in one read kept for ``TICKET_EVENT_SECONDS``;
    and an organizer's id by its slug or id."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._reads = StandaloneReads(engine)
        self._kept: Kept[uuid.UUID, tuple[float, _DoorFacts]] = Kept(TICKET_EVENTS_KEPT)

    async def event(self, event_id: uuid.UUID, caller: Principal | None = None) -> TicketEvent | None:
        kept = self._kept_facts(event_id)
        facts = kept if kept is not None else await self._read_facts(event_id)
        if facts is None:
            return None
        answer = _answer(facts, caller)
        if kept is not None and caller is not None and not answer.caller_checks_in:
            # A refusal is never made from kept facts: a team member linked a moment ago (or
            # an owner made ORGANIZER) is let in at once; only a right's end may lag.
            fresh = await self._read_facts(event_id)
            answer = _answer(fresh, caller) if fresh is not None else answer
        return answer

    def _kept_facts(self, event_id: uuid.UUID) -> _DoorFacts | None:
        kept = self._kept.get(event_id)
        if kept is not None and time.monotonic() - kept[0] < TICKET_EVENT_SECONDS:
            return kept[1]
        return None

    async def _read_facts(self, event_id: uuid.UUID) -> _DoorFacts | None:
        now = time.monotonic()
        linked = and_(team_members.c.organizer_id == organizers.c.id, team_members.c.user_id.is_not(None))
        query = (
            select(
                events.c.id,
                events.c.organizer_id,
                events.c.title,
                events.c.date_end,
                organizers.c.owner_user_id,
                team_members.c.user_id.label("team_user_id"),
            )
            .join(organizers, organizers.c.id == events.c.organizer_id)
            .outerjoin(team_members, linked)  # one row per linked member, or one with none
            .where(events.c.id == event_id)
        )
        rows = await self._reads.rows(query)
        if not rows:
            return None
        row = rows[0]
        facts = _DoorFacts(
            TicketEvent(row.id, row.organizer_id, row.title, row.date_end),
            row.owner_user_id,
            frozenset(r.team_user_id for r in rows if r.team_user_id is not None),
        )
        self._kept.keep(event_id, (now, facts))
        return facts

    async def organizer_id(self, slug_or_id: str) -> uuid.UUID | None:
        try:
            query = select(organizers.c.id).where(organizers.c.id == uuid.UUID(slug_or_id))
        except ValueError:
            query = select(organizers.c.id).where(organizers.c.slug == slug_or_id)
        rows = await self._reads.rows(query)
        return rows[0].id if rows else None
