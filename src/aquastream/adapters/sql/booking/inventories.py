"""Seat counters in SQL: booking's inventory repository.

Every change is one conditional ``UPDATE … WHERE <guard>``. Under READ COMMITTED a
PostgreSQL UPDATE blocked by another transaction's lock re-checks its WHERE clause on the
committed row, so concurrent seat takers queue on the inventory row and exactly as many
succeed as there were seats. SQLite lets one writer in at a time (``BEGIN IMMEDIATE``),
which serialises the same statements; ``FOR UPDATE`` is rendered only on PostgreSQL.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import CTE, BindParameter, ColumnElement, Integer, Select, Update, bindparam, select, update

from aquastream.adapters.currencies import amount_in
from aquastream.adapters.kept import Kept
from aquastream.adapters.sql.booking.rows import OPEN, inventory_from_row
from aquastream.adapters.sql.statements import (
    dialect_insert,
    one_of,
    rows_table,
    unnested_rows,
    unnested_values,
)
from aquastream.adapters.sql.tables.booking import inventories
from aquastream.adapters.sql.uow import SqlRepository
from aquastream.domain.booking.model import Inventory, InventoryStatus, QueueOffer, SaleTerms

# The statements of every booking, built once with bound parameters: SQLAlchemy then finds
# them in its compiled cache without working out a cache key on every call.
_EVENT = inventories.c.event_id == bindparam("the_event")  # not a column name: update() reserves those
INVENTORY = select(inventories).where(_EVENT)
INVENTORY_FOR_UPDATE = INVENTORY.with_for_update()
TAKE_SEAT = (
    update(inventories)
    .where(
        _EVENT,
        inventories.c.status == OPEN,
        inventories.c.starts_at > bindparam("the_time"),
        inventories.c.available >= bindparam("the_seats"),
        inventories.c.waiting == 0,
    )
    .values(available=inventories.c.available - bindparam("the_seats"))
    .returning(inventories)
)
TAKE_SEAT_AT_ONCE = TAKE_SEAT.where(inventories.c.reserved == 0)


# Sale terms never change once an inventory is opened (``ports.booking.InventoryRepository.terms``):
# kept per process for the events last asked for, the oldest half dropped when full.
TERMS_KEPT = 4096
_TERMS: Kept[uuid.UUID, SaleTerms] = Kept(TERMS_KEPT)
TERMS = select(inventories.c.event_id, inventories.c.price, inventories.c.currency).where(_EVENT)


def _servable(c: Any, now: datetime | BindParameter[datetime]) -> tuple[ColumnElement[bool], ...]:
    """An inventory whose queue may be served: ``Inventory.is_open_at(now)``, someone
    WAITING and a free seat."""
    return (c.status == OPEN, c.starts_at > now, c.waiting > 0, c.available > 0)


# Each event's seats given back, as a row of a small table the update joins.
_RETURNED = [("event_id", inventories.c.event_id.type), ("seats", Integer())]


def _return_seats(returned: CTE) -> Update:
    c = inventories.c
    return (
        update(inventories)
        .where(c.event_id == returned.c.event_id)
        .values(available=c.available + returned.c.seats)
    )


@cache
def _returning_seats() -> Select[Any]:
    """PostgreSQL's return of a batch's seats, built once: the servable rows of the update."""
    after = _return_seats(unnested_rows("returned", _RETURNED)).returning(inventories).cte("after")
    return select(after).where(*_servable(after.c, bindparam("the_time"))).order_by(after.c.event_id)


class SqlInventoryRepository(SqlRepository):
    async def _one(self, statement: Any, parameters: dict[str, Any] | None = None) -> Inventory | None:
        row = (await self._connection.execute(statement, parameters)).mappings().first()
        return inventory_from_row(row) if row else None

    async def _changed(self, statement: Any) -> bool:
        return (await self._connection.execute(statement)).rowcount == 1

    def _update(self, event_id: uuid.UUID, *guards: ColumnElement[bool], **values: Any) -> Any:
        return update(inventories).where(inventories.c.event_id == event_id, *guards).values(**values)

    def _open_at(self, now: datetime) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
        return inventories.c.status == OPEN, inventories.c.starts_at > now

    async def get(self, event_id: uuid.UUID) -> Inventory | None:
        return await self._one(INVENTORY, {"the_event": event_id})

    async def terms(self, event_id: uuid.UUID) -> SaleTerms | None:
        kept = _TERMS.get(event_id)
        if kept is not None:
            return kept
        row = (await self._connection.execute(TERMS, {"the_event": event_id})).first()
        if row is None:
            return None
        price = None if row.price is None else amount_in(row.price, row.currency)
        return _TERMS.keep(event_id, SaleTerms(row.event_id, price, row.currency))

    async def lock(self, event_id: uuid.UUID) -> Inventory | None:
        return await self._one(INVENTORY_FOR_UPDATE, {"the_event": event_id})

    async def take_seat(self, event_id: uuid.UUID, *, now: datetime, seats: int = 1) -> Inventory | None:
        return await self._one(TAKE_SEAT, {"the_event": event_id, "the_time": now, "the_seats": seats})

    async def take_seat_at_once(
        self, event_id: uuid.UUID, *, now: datetime, seats: int = 1
    ) -> Inventory | None:
        row = await self._uow.change_with_facts(
            TAKE_SEAT_AT_ONCE, {"the_event": event_id, "the_time": now, "the_seats": seats}
        )
        return inventory_from_row(row) if row else None

    async def take_held_seat(self, event_id: uuid.UUID, *, now: datetime, seats: int = 1) -> Inventory | None:
        c = inventories.c
        statement = self._update(
            event_id, *self._open_at(now), c.reserved >= seats, reserved=c.reserved - seats
        )
        return await self._one(statement.returning(inventories))

    async def release_seats(self, event_id: uuid.UUID, count: int = 1) -> None:
        await self._connection.execute(self._update(event_id, available=inventories.c.available + count))

    async def return_seats(self, seats: Mapping[uuid.UUID, int], *, now: datetime) -> list[Inventory]:
        if not seats:
            return []
        c = inventories.c
        event_ids = sorted(seats)
        # The locks first, in ascending event-id order (one UPDATE of many rows locks them in
        # whatever order its plan visits them).
        locked = (
            select(c.event_id).where(one_of(self._connection, c.event_id, event_ids)).order_by(c.event_id)
        )
        await self._connection.execute(locked.with_for_update())
        # Only the rows whose queue may now be served come back (most have nobody waiting):
        # on PostgreSQL picked from the update's own rows, elsewhere read after it.
        if self._connection.dialect.name == "postgresql":
            values = unnested_values("returned", _RETURNED, list(seats.items()))
            found = await self._connection.execute(_returning_seats(), {**values, "the_time": now})
        else:
            returned = rows_table(self._connection, "returned", _RETURNED, list(seats.items()))
            await self._connection.execute(_return_seats(returned))
            chosen = one_of(self._connection, c.event_id, event_ids)
            found = await self._connection.execute(
                select(inventories).where(chosen, *_servable(c, now)).order_by(c.event_id)
            )
        return [inventory_from_row(row) for row in found.mappings().all()]

    async def release_held_seat(self, event_id: uuid.UUID, seats: int = 1) -> bool:
        c = inventories.c
        return await self._changed(
            self._update(
                event_id, c.reserved >= seats, reserved=c.reserved - seats, available=c.available + seats
            )
        )

    async def offer_to_queues(self, offers: Mapping[uuid.UUID, QueueOffer], *, now: datetime) -> int:
        if not offers:
            return 0
        c = inventories.c
        # Each event's offer as a row of a small table the update joins.
        offered = rows_table(
            self._connection,
            "offered",
            [("event_id", c.event_id.type), ("seats", Integer()), ("entries", Integer())],
            [(event_id, offer.seats, offer.entries) for event_id, offer in sorted(offers.items())],
        )
        statement = (
            update(inventories)
            .where(
                c.event_id == offered.c.event_id,
                *self._open_at(now),
                c.available >= offered.c.seats,
                c.waiting >= offered.c.entries,
            )
            .values(
                available=c.available - offered.c.seats,
                reserved=c.reserved + offered.c.seats,
                waiting=c.waiting - offered.c.entries,
            )
            .returning(c.event_id)
        )
        return len((await self._connection.execute(statement)).all())

    async def enqueue(self, event_id: uuid.UUID, *, now: datetime, seats: int = 1) -> int | None:
        c = inventories.c
        statement = self._update(
            event_id,
            *self._open_at(now),
            (c.available < seats) | (c.waiting > 0),
            waiting=c.waiting + 1,
            next_position=c.next_position + 1,
        ).returning(c.next_position)
        position = (await self._connection.execute(statement)).scalar_one_or_none()
        return int(position) if position is not None else None

    async def dequeue_waiting(self, event_id: uuid.UUID) -> bool:
        c = inventories.c
        return await self._changed(self._update(event_id, c.waiting > 0, waiting=c.waiting - 1))

    async def clear_queue(self, event_id: uuid.UUID) -> None:
        c = inventories.c
        await self._connection.execute(
            self._update(event_id, available=c.available + c.reserved, reserved=0, waiting=0)
        )

    async def open(self, inventory: Inventory) -> None:
        row = dataclasses.asdict(inventory) | {"status": inventory.status.value}
        statement = dialect_insert(self._connection, inventories).values(**row)
        await self._connection.execute(statement.on_conflict_do_nothing(index_elements=["event_id"]))

    async def resize(self, event_id: uuid.UUID, capacity: int) -> None:
        c = inventories.c
        await self._connection.execute(
            self._update(event_id, capacity=capacity, available=c.available + (capacity - c.capacity))
        )

    async def close(self, event_id: uuid.UUID, status: InventoryStatus) -> None:
        await self._connection.execute(
            self._update(event_id, inventories.c.status == OPEN, status=status.value)
        )
