"""Tickets and organizers' keys in SQL. Check-in is one conditional ``UPDATE … RETURNING``:
under READ COMMITTED a second scanner's statement waits for the first one's row lock, then
finds ``checked_in_at`` set and changes nothing."""

from __future__ import annotations

import uuid
import weakref
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, RowMapping, bindparam, case, exists, or_, select, update

from aquastream.adapters.sql.paging import fetch_page
from aquastream.adapters.sql.statements import dialect_insert
from aquastream.adapters.sql.tables.tickets import organizer_keys, tickets
from aquastream.adapters.sql.uow import SqlRepository
from aquastream.domain.shared.paging import Page, PageRequest
from aquastream.domain.tickets.model import HOLDER_SEAT, OrganizerKey, Ticket, VoidReason

t = tickets.c
ISSUE_ORDER = (t.issued_at, t.booking_id, t.seat)


def _ticket(row: RowMapping | Any) -> Ticket:
    return Ticket(
        id=row["id"],
        event_id=row["event_id"],
        organizer_id=row["organizer_id"],
        booking_id=row["booking_id"],
        user_id=row["user_id"],
        seat=row["seat"],
        companion_name=row["companion_name"],
        companion_phone=row["companion_phone"],
        short_code=row["short_code"],
        code=row["code"],
        issued_at=row["issued_at"],
        voided_at=row["voided_at"],
        void_reason=VoidReason(row["void_reason"]) if row["void_reason"] else None,
        no_show_at=row["no_show_at"],
        checked_in_at=row["checked_in_at"],
        checked_in_by=row["checked_in_by"],
        holder_name=row["holder_name"],
    )


def _values(ticket: Ticket) -> dict[str, Any]:
    return {
        "id": ticket.id,
        "event_id": ticket.event_id,
        "organizer_id": ticket.organizer_id,
        "booking_id": ticket.booking_id,
        "user_id": ticket.user_id,
        "seat": ticket.seat,
        "companion_name": ticket.companion_name,
        "companion_phone": ticket.companion_phone,
        "short_code": ticket.short_code,
        "code": ticket.code,
        "issued_at": ticket.issued_at,
        "voided_at": ticket.voided_at,
        "void_reason": ticket.void_reason.value if ticket.void_reason else None,
        "no_show_at": ticket.no_show_at,
        "checked_in_at": ticket.checked_in_at,
        "checked_in_by": ticket.checked_in_by,
        "holder_name": ticket.holder_name,
    }


class SqlTicketRepository(SqlRepository):
    async def add_many(self, new: Sequence[Ticket]) -> None:
        if not new:
            return
        statement = dialect_insert(self._connection, tickets).on_conflict_do_update(
            index_elements=["booking_id", "seat"],
            set_={"voided_at": None, "void_reason": None},
            where=t.void_reason == VoidReason.EXPIRED.value,
        )
        await self._connection.execute(statement, [_values(ticket) for ticket in new])

    async def get(self, ticket_id: uuid.UUID) -> Ticket | None:
        row = (await self._connection.execute(select(tickets).where(t.id == ticket_id))).mappings().first()
        return _ticket(row) if row else None

    async def by_short_code(self, short_code: str) -> Sequence[Ticket]:
        rows = await self._connection.execute(
            select(tickets).where(t.short_code == short_code).order_by(t.id)
        )
        return [_ticket(row) for row in rows.mappings()]

    async def short_codes_taken(self, event_id: uuid.UUID, candidates: Collection[str]) -> set[str]:
        if not candidates:
            return set()
        query = select(t.short_code).where(t.event_id == event_id, t.short_code.in_(list(candidates)))
        return set((await self._connection.execute(query)).scalars())

    async def for_booking(self, booking_id: uuid.UUID) -> list[Ticket]:
        rows = await self._connection.execute(
            select(tickets).where(t.booking_id == booking_id).order_by(t.seat)
        )
        return [_ticket(row) for row in rows.mappings()]

    async def for_holder(self, user_id: uuid.UUID) -> list[Ticket]:
        rows = await self._connection.execute(
            select(tickets).where(t.user_id == user_id).order_by(*ISSUE_ORDER)
        )
        return [_ticket(row) for row in rows.mappings()]

    async def erase_holder(self, user_id: uuid.UUID, *, erased_name: str) -> int:
        companion_name = case((t.seat == HOLDER_SEAT, None), else_=erased_name)
        statement = (
            update(tickets)
            .where(
                t.user_id == user_id,
                or_(
                    t.holder_name.is_not(None),
                    t.companion_phone.is_not(None),
                    t.companion_name.is_distinct_from(companion_name),
                ),
            )
            .values(holder_name=None, companion_name=companion_name, companion_phone=None)
        )
        return (await self._connection.execute(statement)).rowcount

    async def roster(self, event_id: uuid.UUID, paging: PageRequest) -> Page[Ticket]:
        query = select(tickets).where(t.event_id == event_id).order_by(*ISSUE_ORDER)
        return await fetch_page(self._connection, query, paging, _ticket)

    async def any_checked_in(self, event_id: uuid.UUID) -> bool:
        query = select(exists().where(t.event_id == event_id, t.checked_in_at.is_not(None)))
        return bool(await self._connection.scalar(query))

    async def void(
        self, booking_id: uuid.UUID, seat: int | None, *, reason: VoidReason, now: datetime
    ) -> int:
        statement = (
            update(tickets)
            .where(t.booking_id == booking_id, t.voided_at.is_(None))
            .values(voided_at=now, void_reason=reason.value)
        )
        if seat is not None:
            statement = statement.where(t.seat == seat)
        return (await self._connection.execute(statement)).rowcount

    async def mark_no_show(self, booking_id: uuid.UUID, *, now: datetime) -> int:
        statement = (
            update(tickets)
            .where(
                t.booking_id == booking_id,
                t.voided_at.is_(None),
                t.checked_in_at.is_(None),
                t.no_show_at.is_(None),
            )
            .values(no_show_at=now)
        )
        return (await self._connection.execute(statement)).rowcount

    async def check_in(self, ticket_id: uuid.UUID, *, by: uuid.UUID, now: datetime) -> Ticket | None:
        parameters = {"ticket_id": ticket_id, "by": by, "now": now}
        row = await self._uow.change_with_facts(_CHECK_IN, parameters)
        return _ticket(row) if row else None


# The door's statement, built once: a check-in only binds its three values (building it per
# scan, with its cache key, was a tenth of a check-in's time in Python).
_CHECK_IN = (
    update(tickets)
    .where(
        t.id == bindparam("ticket_id"),
        t.checked_in_at.is_(None),
        t.voided_at.is_(None),
        t.no_show_at.is_(None),
    )
    .values(checked_in_at=bindparam("now"), checked_in_by=bindparam("by"))
    .returning(tickets)
)


# An organizer's key never changes once committed: each process keeps the keys ``get`` read,
# per engine (per database), and a check-in reads no key row after the first. A key read
# before its insert committed would be read back from the inserting transaction only
# (``add_if_absent``), which does not keep it.
_KEYS: weakref.WeakKeyDictionary[Engine, dict[uuid.UUID, OrganizerKey]] = weakref.WeakKeyDictionary()


class SqlOrganizerKeyRepository(SqlRepository):
    async def get(self, organizer_id: uuid.UUID) -> OrganizerKey | None:
        known = _KEYS.setdefault(self._connection.sync_engine, {})
        if organizer_id in known:
            return known[organizer_id]
        key = await self._read(organizer_id)
        if key is not None:
            known[organizer_id] = key
        return key

    async def _read(self, organizer_id: uuid.UUID) -> OrganizerKey | None:
        query = select(organizer_keys).where(organizer_keys.c.organizer_id == organizer_id)
        row = (await self._connection.execute(query)).mappings().first()
        if row is None:
            return None
        return OrganizerKey(
            row["organizer_id"], bytes(row["public_key"]), bytes(row["sealed_private_key"]), row["created_at"]
        )

    async def add_if_absent(self, key: OrganizerKey) -> OrganizerKey:
        statement = (
            dialect_insert(self._connection, organizer_keys)
            .values(
                organizer_id=key.organizer_id,
                public_key=key.public_key,
                sealed_private_key=key.sealed_private_key,
                created_at=key.created_at,
            )
            .on_conflict_do_nothing(index_elements=["organizer_id"])
        )
        await self._connection.execute(statement)
        # Not kept in the cache: this transaction may yet roll back.
        stored = await self._read(key.organizer_id)
        assert stored is not None
        return stored
