"""Bookings and their log in SQL."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Collection, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, case, func, select, update

from aquastream.adapters.sql.booking.rows import (
    booking_from_row,
    booking_values,
    companions_text,
    log_entry_from_row,
)
from aquastream.adapters.sql.paging import fetch_page
from aquastream.adapters.sql.statements import dialect_insert, insert_rows, one_of
from aquastream.adapters.sql.tables.booking import ACTIVE_BOOKING, booking_log, bookings, inventories
from aquastream.adapters.sql.uow import SqlRepository
from aquastream.domain.booking.errors import BookingDuplicate
from aquastream.domain.booking.model import (
    ACTIVE_STATUSES,
    ALL_EVENTS,
    MONEY_HELD,
    Booking,
    BookingLogEntry,
    BookingStatus,
    Companion,
    EventShare,
    PaymentStatus,
)
from aquastream.domain.booking.sorting import (
    EVENT_BOOKINGS_ORDER,
    MY_BOOKINGS_ORDER,
    STATUS_RANK,
    BookingSort,
    BookingSortField,
    reading_order,
)
from aquastream.domain.shared.paging import Page, PageRequest


class SqlBookingRepository(SqlRepository):
    async def add(self, booking: Booking) -> None:
        if self._uow.writes_with_change:
            # At once: written with the seat it takes; a duplicate collides then.
            await self._uow.write_with_change(bookings, booking_values(booking))
            return
        statement = (
            dialect_insert(self._connection, bookings)
            .values(**booking_values(booking))
            # A concurrent insert of the same user and event waits for the first to finish,
            # then does nothing: no exception, so the transaction can still look it up.
            .on_conflict_do_nothing(index_elements=["user_id", "event_id"], index_where=ACTIVE_BOOKING)
            .returning(bookings.c.id)
        )
        if (await self._connection.execute(statement)).first() is None:
            existing = await self.active_for(booking.event_id, booking.user_id)
            raise BookingDuplicate(existing.id if existing else None)

    async def _one(self, statement: Any) -> Booking | None:
        row = (await self._connection.execute(statement)).mappings().first()
        return booking_from_row(row) if row else None

    async def _many(self, statement: Any) -> list[Booking]:
        rows = (await self._connection.execute(statement)).mappings().all()
        return sorted((booking_from_row(row) for row in rows), key=lambda b: (b.created_at, b.id))

    async def get(self, booking_id: uuid.UUID) -> Booking | None:
        return await self._one(select(bookings).where(bookings.c.id == booking_id))

    async def active_for(self, event_id: uuid.UUID, user_id: uuid.UUID) -> Booking | None:
        c = bookings.c
        return await self._one(
            select(bookings).where(
                c.event_id == event_id, c.user_id == user_id, c.status.in_([s.value for s in ACTIVE_STATUSES])
            )
        )

    async def lock(self, booking_id: uuid.UUID) -> Booking | None:
        return await self._one(select(bookings).where(bookings.c.id == booking_id).with_for_update())

    async def transition(
        self,
        booking_id: uuid.UUID,
        *,
        expected: BookingStatus,
        new: BookingStatus,
        now: datetime,
        payment_status: PaymentStatus | None = None,
        refund_held_money: bool = False,
    ) -> Booking | None:
        values = _moved(new, now, payment_status, refund_held_money)
        statement = (
            update(bookings)
            .where(bookings.c.id == booking_id, bookings.c.status == expected.value)
            .values(**values)
            .returning(bookings)
        )
        return await self._one(statement)

    async def transition_all(
        self,
        event_id: uuid.UUID,
        *,
        expected: BookingStatus,
        new: BookingStatus,
        now: datetime,
        refund_held_money: bool = False,
    ) -> list[Booking]:
        c = bookings.c
        values = _moved(new, now, None, refund_held_money)
        statement = (
            update(bookings)
            .where(c.event_id == event_id, c.status == expected.value)
            .values(**values)
            .returning(bookings)
        )
        return await self._many(statement)

    async def transition_many(
        self,
        booking_ids: Collection[uuid.UUID],
        *,
        expected: BookingStatus,
        new: BookingStatus,
        now: datetime,
        refund_held_money: bool = False,
    ) -> list[Booking]:
        if not booking_ids:
            return []
        c = bookings.c
        statement = (
            update(bookings)
            .where(one_of(self._connection, c.id, booking_ids), c.status == expected.value)
            .values(**_moved(new, now, None, refund_held_money))
            .returning(bookings)
        )
        rows = (await self._connection.execute(statement)).mappings().all()
        return sorted((booking_from_row(row) for row in rows), key=lambda b: b.id)

    async def cancel_companion(
        self,
        booking_id: uuid.UUID,
        seat: int,
        *,
        expected_party_size: int,
        share: Decimal,
        now: datetime,
    ) -> Booking | None:
        c = bookings.c
        current = await self.get(booking_id)
        companion = current.companion(seat) if current is not None else None
        if current is None or companion is None or not companion.is_active:
            return None
        companions = tuple(
            dataclasses.replace(other, cancelled_at=now) if other.number == seat else other
            for other in current.companions
        )
        # The seat counter moves by the database's arithmetic and only from the size the
        # caller saw on the locked row: a change in between leaves the row alone.
        statement = (
            update(bookings)
            .where(
                c.id == booking_id,
                c.party_size == expected_party_size,
                c.party_size > 1,
                c.status.in_([s.value for s in ACTIVE_STATUSES]),
            )
            .values(
                party_size=c.party_size - 1,
                amount=c.amount - share,
                companions=companions_text(companions),
                updated_at=now,
            )
            .returning(bookings)
        )
        return await self._one(statement)

    async def set_companions(
        self, booking_id: uuid.UUID, companions: tuple[Companion, ...], *, now: datetime
    ) -> None:
        statement = (
            update(bookings)
            .where(bookings.c.id == booking_id)
            .values(companions=companions_text(companions), updated_at=now)
        )
        await self._connection.execute(statement)

    async def set_payment_status(
        self, booking_id: uuid.UUID, *, expected: PaymentStatus, new: PaymentStatus, now: datetime
    ) -> Booking | None:
        c = bookings.c
        statement = (
            update(bookings)
            .where(c.id == booking_id, c.payment_status == expected.value)
            .values(payment_status=new.value, updated_at=now)
            .returning(bookings)
        )
        return await self._one(statement)

    async def extend_hold(self, booking_id: uuid.UUID, *, until: datetime, now: datetime) -> bool:
        c = bookings.c
        statement = (
            update(bookings)
            .where(c.id == booking_id, c.status == BookingStatus.PENDING.value)
            .values(expires_at=until, updated_at=now)
        )
        return (await self._connection.execute(statement)).rowcount == 1

    async def extend_holds(self, holds: Mapping[uuid.UUID, datetime], *, now: datetime) -> None:
        if not holds:
            return
        c = bookings.c
        statement = (
            update(bookings)
            .where(c.id == bindparam("the_booking"), c.status == BookingStatus.PENDING.value)
            .values(expires_at=bindparam("the_end", type_=c.expires_at.type), updated_at=now)
        )
        # One executemany: the driver sends the rows together (asyncpg pipelines them).
        await self._connection.execute(
            statement, [{"the_booking": booking_id, "the_end": until} for booking_id, until in holds.items()]
        )

    async def claim_expired(
        self, *, now: datetime, limit: int, share: EventShare = ALL_EVENTS
    ) -> list[uuid.UUID]:
        c = bookings.c
        statement = (
            select(c.id)
            .where(c.status == BookingStatus.PENDING.value, c.expires_at <= now)
            .order_by(c.expires_at, c.id)
            .with_for_update(skip_locked=True)
        )
        if share.is_whole:
            return list((await self._connection.execute(statement.limit(limit))).scalars())
        if self._connection.dialect.name == "postgresql":
            # ``EventShare.holds``, each bound only where it cuts: the planner keeps the due
            # holds' index for a one-sided bound even before it has statistics of the byte
            # (migration 0036 asks for them, for the bounded middle shares).
            last_byte = func.get_byte(func.uuid_send(c.event_id), 15)
            bounds = [last_byte >= share.last_bytes.start] if share.last_bytes.start > 0 else []
            bounds += [last_byte < share.last_bytes.stop] if share.last_bytes.stop < 256 else []
            return list((await self._connection.execute(statement.where(*bounds).limit(limit))).scalars())
        # SQLite keeps a uuid as bytes it cannot take apart: its one writer runs one lane
        # (``BookingPolicy.expiry_lanes``), and a share asked of it is picked out here.
        rows = (await self._connection.execute(statement.add_columns(c.event_id))).all()
        return [row.id for row in rows if share.holds(row.event_id)][:limit]

    def _listing(self, *where: ColumnElement[bool], statuses: Collection[BookingStatus]) -> Any:
        query = select(bookings).where(*where)
        if statuses:
            query = query.where(bookings.c.status.in_([s.value for s in statuses]))
        return query

    async def list_for_user(
        self,
        user_id: uuid.UUID,
        paging: PageRequest,
        *,
        statuses: Collection[BookingStatus] = (),
        sort: BookingSort = (),
    ) -> Page[Booking]:
        query = _sorted(
            self._listing(bookings.c.user_id == user_id, statuses=statuses), sort, MY_BOOKINGS_ORDER
        )
        return await fetch_page(self._connection, query, paging, booking_from_row)

    async def list_for_event(
        self,
        event_id: uuid.UUID,
        paging: PageRequest,
        *,
        statuses: Collection[BookingStatus] = (),
        sort: BookingSort = (),
    ) -> Page[Booking]:
        listing = self._listing(bookings.c.event_id == event_id, statuses=statuses)
        return await fetch_page(
            self._connection, _sorted(listing, sort, EVENT_BOOKINGS_ORDER), paging, booking_from_row
        )

    async def all_for_event(
        self, event_id: uuid.UUID, *, statuses: Collection[BookingStatus]
    ) -> list[Booking]:
        return await self._many(self._listing(bookings.c.event_id == event_id, statuses=statuses))


# Status ascending follows a booking's life (``sorting.STATUS_ORDER``), not the alphabet.
_STATUS_RANK = case({status.value: rank for status, rank in STATUS_RANK.items()}, value=bookings.c.status)
_SORT_COLUMNS: dict[BookingSortField, ColumnElement[Any]] = {
    BookingSortField.CREATED_AT: bookings.c.created_at,
    BookingSortField.UPDATED_AT: bookings.c.updated_at,
    BookingSortField.STARTS_AT: inventories.c.starts_at,
    BookingSortField.STATUS: _STATUS_RANK,
}


def _sorted(query: Select[Any], requested: BookingSort, default: BookingSort) -> Select[Any]:
    """``query`` in the reading order of ``sorting``; the event's start is booking's own copy
    in its inventory, joined only when asked for."""
    order, ids_descending = reading_order(requested, default)
    if any(key.field is BookingSortField.STARTS_AT for key in order):
        query = query.join_from(
            bookings, inventories, inventories.c.event_id == bookings.c.event_id, isouter=True
        )
    columns = [
        _SORT_COLUMNS[key.field].desc() if key.descending else _SORT_COLUMNS[key.field] for key in order
    ]
    return query.order_by(*columns, bookings.c.id.desc() if ids_descending else bookings.c.id)


def _moved(
    new: BookingStatus, now: datetime, payment_status: PaymentStatus | None, refund_held_money: bool
) -> dict[str, Any]:
    """The SET clause of a status change."""
    values: dict[str, Any] = {"status": new.value, "updated_at": now}
    if payment_status is not None:
        values["payment_status"] = payment_status.value
    elif refund_held_money:
        values["payment_status"] = case(
            (
                bookings.c.payment_status.in_([s.value for s in MONEY_HELD]),
                PaymentStatus.REFUND_PENDING.value,
            ),
            else_=bookings.c.payment_status,
        )
    return values


class SqlBookingLog(SqlRepository):
    async def add(self, *entries: BookingLogEntry) -> None:
        if not entries:
            return
        rows = [
            {
                "id": e.id,
                "booking_id": e.booking_id,
                "old_status": e.old_status.value if e.old_status else None,
                "new_status": e.new_status.value,
                "reason": e.reason.value,
                "actor_id": e.actor_id,
                "created_at": e.created_at,
            }
            for e in entries
        ]
        if self._uow.writes_with_change:
            for row in rows:
                await self._uow.write_with_change(booking_log, row)
            return
        await insert_rows(self._connection, booking_log, rows)

    async def list_for_booking(self, booking_id: uuid.UUID) -> list[BookingLogEntry]:
        query = (
            select(booking_log)
            .where(booking_log.c.booking_id == booking_id)
            .order_by(booking_log.c.created_at, booking_log.c.id)
        )
        return [log_entry_from_row(row) for row in (await self._connection.execute(query)).mappings()]
