"""The event spine in SQL (``ports.outbox``): each domain's outbox and inbox of deliveries on
its own schema's tables (``tables.spine``), and the leases of periodic jobs.

Each method runs in its own short transaction on the domain's engine. Claims are one
statement: on PostgreSQL the rows are picked with ``FOR UPDATE SKIP LOCKED``, so concurrent
relays and dispatchers take disjoint batches without waiting for each other; SQLite has no
row locks and lets one writer in at a time, so the same statement is already exclusive.
Writing a fact or a delivery on PostgreSQL also sends ``NOTIFY`` on ``SPINE_CHANNEL`` (at
commit), which wakes the workers listening instead of their waiting for the next poll.
A method of one statement runs it in autocommit on PostgreSQL (the statement is atomic on its
own): a worker asks every outbox and inbox on each pass, most of them empty, and BEGIN and
COMMIT would double the round trips of each question. Those statements are built once per
table (their values bound at each call) and sent by the driver itself where its lane serves
(``adapters.sql.driver``): SQLAlchemy's path around a statement cost more CPU than the
statement, and a worker draining a backlog sends thousands of them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from functools import cache
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, Row, Table, bindparam, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from aquastream.adapters.sql import driver
from aquastream.adapters.sql.reads import StandaloneReads
from aquastream.adapters.sql.statements import any_of, dialect_insert, insert_rows
from aquastream.adapters.sql.tables.infra import job_leases
from aquastream.adapters.sql.tables.spine import pending, unrelayed
from aquastream.domain.shared.ids import new_id
from aquastream.ports.outbox import DeadDelivery, Delivery, OutboxMessage

# PostgreSQL notifies this channel at the commit of a transaction that inserted facts into an
# outbox: each outbox has a trigger that does (migration 0035), so no transaction spends a
# round trip on it; ``notify_spine`` does it for deliveries. The listeners of other processes
# hear it (``spine_listener``); this process's workers are woken by ``spine_written``.
SPINE_CHANNEL = "aquastream_spine"

# Wakers of this process's workers, per engine: a commit that wrote facts or deliveries calls
# them at once, so that the worker in the same process does not wait for its next poll.
_wakers: WeakKeyDictionary[Engine, list[Callable[[], None]]] = WeakKeyDictionary()


def on_spine_written(engine: AsyncEngine, wake: Callable[[], None]) -> Callable[[], None]:
    """Call ``wake`` after every commit on ``engine`` that wrote facts or deliveries; returns
    the function that stops it."""
    wakers = _wakers.setdefault(engine.sync_engine, [])
    wakers.append(wake)
    return lambda: wakers.remove(wake)


def spine_written(engine: AsyncEngine) -> None:
    for wake in list(_wakers.get(engine.sync_engine, ())):
        wake()


async def notify_spine(connection: AsyncConnection, domain: str) -> None:
    """Wake the workers of other processes, listening, when this transaction commits
    (PostgreSQL only; this process's are woken by ``spine_written``). For deliveries written
    or retried: the outboxes' triggers do it for facts."""
    if connection.dialect.name == "postgresql":
        await connection.execute(
            text("SELECT pg_notify(:channel, :domain)"), {"channel": SPINE_CHANNEL, "domain": domain}
        )


def one_statement_at_a_time(engine: AsyncEngine) -> AsyncEngine:
    """``engine`` in autocommit on PostgreSQL; SQLite keeps its ``BEGIN IMMEDIATE``, which
    makes each writer wait for the write lock up front."""
    if engine.dialect.name == "sqlite":
        return engine
    return engine.execution_options(isolation_level="AUTOCOMMIT")


async def _alone(
    engine: AsyncEngine, statement: driver.Prepared, parameters: Mapping[str, Any]
) -> Sequence[Row[Any]]:
    """The rows of one statement that writes, run on its own on ``engine``
    (``one_statement_at_a_time``'s): by the driver where its lane serves, else through
    SQLAlchemy. The counts are reads, asked as every other read outside a unit of work
    (``StandaloneReads``: no write lock on SQLite, a database out of reach is unavailable)."""
    forms = driver.forms(engine, [statement])
    if forms is not None:
        pooled = await engine.raw_connection()
        try:
            return await driver.run(engine, pooled, forms[0], parameters)
        finally:
            await driver.give_back(pooled)
    async with engine.begin() as connection:
        result = await connection.execute(statement.statement, parameters)
        return result.all() if result.returns_rows else []


def _not_locked(table: Table) -> Any:
    return or_(table.c.locked_until.is_(None), table.c.locked_until <= bindparam("now"))


@cache
def _lease(t: Table) -> driver.Prepared:
    """Up to ``limit`` facts not relayed nor leased, oldest first, leased ``until``."""
    due = (
        select(t.c.id)
        .where(unrelayed(t), _not_locked(t))
        .order_by(t.c.created_at, t.c.id)
        .limit(bindparam("limit"))
        .with_for_update(skip_locked=True)  # rendered as nothing on SQLite
    )
    return driver.Prepared(
        update(t)
        .where(t.c.id.in_(due.scalar_subquery()))
        .values(locked_until=bindparam("until"))
        .returning(t.c.id, t.c.event_name, t.c.payload, t.c.created_at, t.c.trace_context)
    )


@cache
def _mark(t: Table, dialect: str, done: str) -> driver.Prepared:
    """The rows of ``ids`` marked ``done`` (relayed, delivered) ``at``, their lease let go."""
    return driver.Prepared(
        update(t).where(any_of(t.c.id, "ids", dialect)).values({done: bindparam("at"), "locked_until": None})
    )


@cache
def _unrelayed_count(t: Table) -> driver.Prepared:
    return driver.Prepared(select(func.count()).select_from(t).where(unrelayed(t)))


@cache
def _claim(t: Table) -> driver.Prepared:
    """Up to ``limit`` deliveries due and not leased, oldest first, leased ``until``."""
    due = (
        select(t.c.id)
        .where(pending(t), t.c.available_at <= bindparam("now"), _not_locked(t))
        .order_by(t.c.created_at, t.c.id)
        .limit(bindparam("limit"))
        .with_for_update(skip_locked=True)
    )
    return driver.Prepared(
        update(t)
        .where(t.c.id.in_(due.scalar_subquery()))
        .values(locked_until=bindparam("until"), attempts=t.c.attempts + 1)
        .returning(
            t.c.id,
            t.c.message_id,
            t.c.subscriber,
            t.c.event_name,
            t.c.payload,
            t.c.attempts,
            t.c.created_at,
            t.c.trace_context,
        )
    )


@cache
def _backlog(t: Table) -> driver.Prepared:
    return driver.Prepared(select(t.c.subscriber, func.count()).where(pending(t)).group_by(t.c.subscriber))


class SqlOutbox:
    def __init__(self, engine: AsyncEngine, table: Table, domain: str) -> None:
        self._engine = one_statement_at_a_time(engine)
        self._reads = StandaloneReads(engine)  # its counts, for operators
        self._table = table
        self._domain = domain

    @property
    def domain(self) -> str:
        return self._domain

    async def lease(self, *, now: datetime, limit: int, lease: timedelta) -> Sequence[OutboxMessage]:
        leased = {"now": now, "limit": limit, "until": now + lease}
        rows = await _alone(self._engine, _lease(self._table), leased)
        messages = [
            OutboxMessage(row.id, row.event_name, row.payload.encode(), row.created_at, row.trace_context)
            for row in rows
        ]
        # RETURNING gives no order; facts go on oldest first.
        return sorted(messages, key=lambda message: (message.created_at, message.id))

    async def mark_relayed(self, message_ids: Sequence[uuid.UUID], *, now: datetime) -> None:
        statement = _mark(self._table, self._engine.dialect.name, "relayed_at")
        await _alone(self._engine, statement, {"ids": list(message_ids), "at": now})

    async def pending(self) -> int:
        ((count,),) = await self._reads.rows(_unrelayed_count(self._table))
        return int(count or 0)


class SqlInbox:
    def __init__(self, engine: AsyncEngine, table: Table, domain: str) -> None:
        self._engine = engine  # for the methods of several statements in one transaction
        self._single = one_statement_at_a_time(engine)
        self._reads = StandaloneReads(engine)  # its counts, for operators
        self._table = table
        self._domain = domain

    @property
    def domain(self) -> str:
        return self._domain

    async def accept(
        self, deliveries: Sequence[tuple[OutboxMessage, Sequence[str]]], *, now: datetime
    ) -> None:
        rows = [
            {
                "id": new_id(),
                "message_id": message.id,
                "subscriber": subscriber,
                "event_name": message.event_name,
                "payload": message.payload.decode(),
                "created_at": message.created_at,
                "available_at": now,
                "trace_context": message.trace_context,
            }
            for message, subscribers in deliveries
            for subscriber in subscribers
        ]
        if not rows:
            return
        async with self._engine.begin() as connection:
            await insert_rows(connection, self._table, rows, unless_found=("message_id", "subscriber"))
            await notify_spine(connection, self._domain)
        spine_written(self._engine)

    async def claim(self, *, now: datetime, limit: int, lease: timedelta) -> Sequence[Delivery]:
        leased = {"now": now, "limit": limit, "until": now + lease}
        rows = await _alone(self._single, _claim(self._table), leased)
        deliveries = [
            Delivery(
                row.id,
                row.message_id,
                row.subscriber,
                row.event_name,
                row.payload.encode(),
                row.attempts,
                row.created_at,
                row.trace_context,
            )
            for row in rows
        ]
        return sorted(deliveries, key=lambda delivery: (delivery.created_at, delivery.id))

    async def mark_delivered(self, delivery_ids: Sequence[uuid.UUID], *, now: datetime) -> None:
        if not delivery_ids:
            return
        statement = _mark(self._table, self._single.dialect.name, "delivered_at")
        await _alone(self._single, statement, {"ids": list(delivery_ids), "at": now})

    async def mark_failed(self, delivery_id: uuid.UUID, *, error: str, retry_at: datetime | None) -> None:
        t = self._table
        retry = {"dead": True} if retry_at is None else {"available_at": retry_at}
        async with self._single.begin() as connection:
            await connection.execute(
                update(t).where(t.c.id == delivery_id).values(last_error=error, locked_until=None, **retry)
            )

    async def backlog(self) -> Mapping[str, int]:
        return {row[0]: row[1] for row in await self._reads.rows(_backlog(self._table))}

    async def dead(self, *, limit: int) -> Sequence[DeadDelivery]:
        t = self._table
        query = select(t).where(t.c.dead).order_by(t.c.created_at.desc(), t.c.id.desc()).limit(limit)
        async with self._single.connect() as connection:
            rows = (await connection.execute(query)).mappings().all()
        return [
            DeadDelivery(
                row["id"],
                row["message_id"],
                row["subscriber"],
                row["event_name"],
                row["attempts"],
                row["created_at"],
                row["last_error"],
            )
            for row in rows
        ]

    async def dead_count(self) -> Mapping[str, int]:
        t = self._table
        query = select(t.c.subscriber, func.count()).where(t.c.dead).group_by(t.c.subscriber)
        async with self._single.connect() as connection:
            return {row[0]: row[1] for row in (await connection.execute(query)).all()}

    async def retry(self, delivery_id: uuid.UUID, *, now: datetime) -> bool:
        t = self._table
        statement = (
            update(t)
            .where(t.c.id == delivery_id, t.c.dead)
            .values(dead=False, attempts=0, available_at=now, locked_until=None)
        )
        async with self._engine.begin() as connection:
            retried = (await connection.execute(statement)).rowcount == 1
            if retried:
                await notify_spine(connection, self._domain)
        if retried:
            spine_written(self._engine)
        return retried


class SqlJobLeases:
    """One row per job holds when its next tick is due; taking a tick moves it on."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def try_acquire(self, job: str, *, now: datetime, interval: timedelta) -> bool:
        create_if_missing = (
            dialect_insert(self._engine, job_leases)
            .values(name=job, next_run_at=now)
            .on_conflict_do_nothing()
        )
        take_tick = (
            update(job_leases)
            .where(job_leases.c.name == job, job_leases.c.next_run_at <= now)
            .values(next_run_at=now + interval)
        )
        async with self._engine.begin() as connection:
            await connection.execute(create_if_missing)
            # Concurrent callers queue on the row lock and re-check the condition: one wins.
            return (await connection.execute(take_tick)).rowcount == 1
