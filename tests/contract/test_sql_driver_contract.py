"""The driver's lane (``adapters/sql/driver.py``): a ``Prepared`` statement gives the rows, and
the errors, that SQLAlchemy gives for it; on PostgreSQL asyncpg sends it (unless something
listens to the engine's statements), its connection goes back to the pool, and a connection
lost or cancelled mid-statement is thrown away, as SQLAlchemy throws it away."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.sql import driver
from aquastream.adapters.sql.engine import create_engine
from aquastream.adapters.sql.outbox import SqlInbox, SqlOutbox
from aquastream.adapters.sql.reads import StandaloneReads
from aquastream.adapters.sql.tables.booking import deliveries as booking_deliveries
from aquastream.adapters.sql.tables.booking import inventories
from aquastream.adapters.sql.tables.booking import outbox as booking_outbox
from aquastream.adapters.sql.uow import LOCK_NOT_AVAILABLE, SqlUnitOfWork
from aquastream.domain.shared.errors import DependencyUnavailable
from aquastream.ports.uow import ChangeCollided
from tests.contract.conftest import Backend, empty_all_tables, statements_sent

NOW = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
INVENTORY = driver.Prepared(select(inventories).where(inventories.c.event_id == bindparam("the_event")))
BACKEND_ID = driver.Prepared(select(func.pg_backend_pid().label("pid")))
SLEEP = driver.Prepared(select(func.pg_sleep(bindparam("seconds"))))
ADD_INVENTORY = driver.Prepared(insert(inventories).returning(inventories.c.event_id))
TAKE_ONE = driver.Prepared(
    update(inventories)
    .where(inventories.c.event_id == bindparam("the_event"))
    .values(available=inventories.c.available - 1)
    .returning(inventories.c.available)
)


def _inventory(price: Decimal | None = Decimal("1500.50")) -> dict[str, Any]:
    return {
        "event_id": uuid.uuid4(),
        "organizer_id": uuid.uuid4(),
        "title": "Rafting on the Msta",
        "status": "OPEN",
        "starts_at": NOW + timedelta(days=3),
        "ends_at": NOW + timedelta(days=4),
        "capacity": 12,
        "available": 12,
        "reserved": 0,
        "waiting": 0,
        "next_position": 0,
        "price": price,
        "currency": "RUB",
    }


async def _add(engine: AsyncEngine, *rows: dict[str, Any]) -> None:
    async with engine.begin() as connection:
        await connection.execute(insert(inventories), list(rows))


@pytest.fixture
async def engine(request: pytest.FixtureRequest) -> AsyncIterator[AsyncEngine]:
    """The session's migrated PostgreSQL database, emptied, on a pool of two connections and
    a short lock timeout."""
    engine = create_engine(request.getfixturevalue("migrated_postgres_url"), pool_size=2, lock_timeout_ms=200)
    await empty_all_tables(engine)
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
def sent_by_driver(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The SQL of each statement the driver's lane sends while the test runs."""
    sent: list[str] = []
    rows = driver.Form.rows

    async def counted(form: driver.Form, *args: Any) -> Any:
        sent.append(form.sql)
        return await rows(form, *args)

    monkeypatch.setattr(driver.Form, "rows", counted)
    return sent


def _checked_out(engine: AsyncEngine) -> int:
    return engine.sync_engine.pool.checkedout()  # type: ignore[attr-defined, no-any-return]


async def test_a_prepared_read_gives_the_rows_sqlalchemy_gives(sql_backend: Backend) -> None:
    engine = sql_backend.engine
    assert engine is not None
    priced, free = _inventory(), _inventory(price=None)
    await _add(engine, priced, free)
    reads = StandaloneReads(engine)

    prepared = await reads.all([INVENTORY, INVENTORY], {"the_event": priced["event_id"]})
    plain = await reads.all([INVENTORY.statement], {"the_event": priced["event_id"]})
    (unpriced,) = await reads.all([INVENTORY], {"the_event": free["event_id"]})
    (nothing,) = await reads.all([INVENTORY], {"the_event": uuid.uuid4()})

    assert prepared == [plain[0], plain[0]]
    (row,) = prepared[0]
    assert dict(row._mapping) == priced
    assert (row.event_id, row.price, row.starts_at) == (
        priced["event_id"],
        Decimal("1500.50"),
        priced["starts_at"],
    )
    assert [type(value) for value in row] == [type(value) for value in plain[0][0]]
    assert isinstance(row.event_id, uuid.UUID)
    assert row.starts_at.tzinfo is not None
    assert unpriced[0].price is None
    assert nothing == []


@pytest.mark.postgres
async def test_on_postgresql_the_driver_sends_it_and_gives_the_connection_back(
    engine: AsyncEngine, sent_by_driver: list[str]
) -> None:
    row = _inventory()
    await _add(engine, row)

    for _ in range(5):  # more reads than the pool has connections
        (found,) = await StandaloneReads(engine).all([INVENTORY], {"the_event": row["event_id"]})
        assert found[0].title == row["title"]

    assert sent_by_driver == [INVENTORY.form(engine.dialect).sql] * 5  # type: ignore[union-attr]
    assert _checked_out(engine) == 0


@pytest.mark.postgres
async def test_a_listener_of_the_engine_sees_the_same_statement_sent_by_sqlalchemy(
    engine: AsyncEngine, sent_by_driver: list[str]
) -> None:
    row = _inventory()
    await _add(engine, row)

    with statements_sent(engine) as sent:
        (found,) = await StandaloneReads(engine).all([INVENTORY], {"the_event": row["event_id"]})

    form = INVENTORY.form(engine.dialect)
    assert form is not None
    assert found[0].event_id == row["event_id"]
    assert sent_by_driver == []
    assert [statement for statement, _ in sent] == [" ".join(form.sql.split())]


@pytest.mark.postgres
async def test_a_statement_whose_sql_depends_on_its_values_goes_sqlalchemys_way(
    engine: AsyncEngine, sent_by_driver: list[str]
) -> None:
    rows = [_inventory(), _inventory(), _inventory()]
    await _add(engine, *rows)
    chosen = [rows[0]["event_id"], rows[2]["event_id"]]
    listed = driver.Prepared(
        select(inventories.c.event_id).where(inventories.c.event_id.in_(bindparam("ids", expanding=True)))
    )

    (found,) = await StandaloneReads(engine).all([listed], {"ids": chosen})

    assert sorted(row.event_id for row in found) == sorted(chosen)
    assert sent_by_driver == []


@pytest.mark.postgres
async def test_a_duplicate_is_sqlalchemys_integrity_error_and_writes_nothing(engine: AsyncEngine) -> None:
    row = _inventory()
    await _add(engine, row)

    with pytest.raises(IntegrityError) as refused:
        await StandaloneReads(engine).all([ADD_INVENTORY], {**row, "title": "Again"})

    assert getattr(refused.value.orig, "sqlstate", None) == "23505"
    (found,) = await StandaloneReads(engine).all([INVENTORY], {"the_event": row["event_id"]})
    assert [r.title for r in found] == [row["title"]]
    assert _checked_out(engine) == 0


@pytest.mark.postgres
async def test_a_locked_row_past_the_lock_timeout_is_a_lock_timeout(engine: AsyncEngine) -> None:
    row = _inventory()
    await _add(engine, row)

    async with engine.begin() as holder:
        await holder.execute(
            select(inventories).where(inventories.c.event_id == row["event_id"]).with_for_update()
        )
        with pytest.raises(DBAPIError) as waited:
            await StandaloneReads(engine).all([TAKE_ONE], {"the_event": row["event_id"]})

    assert getattr(waited.value.orig, "sqlstate", None) == LOCK_NOT_AVAILABLE
    (taken,) = await StandaloneReads(engine).all([TAKE_ONE], {"the_event": row["event_id"]})
    assert taken[0].available == 11


@pytest.mark.postgres
async def test_a_connection_lost_is_an_outage_and_the_pool_opens_another(engine: AsyncEngine) -> None:
    reads = StandaloneReads(engine)
    held = await asyncio.gather(*(reads.all([BACKEND_ID, SLEEP], {"seconds": 0.1}) for _ in range(2)))
    pids = {rows[0].pid for rows, _ in held}  # both connections of the pool
    admin = create_engine(str(engine.url.render_as_string(hide_password=False)), pool_size=1)
    try:
        async with admin.connect() as connection:
            for pid in pids:
                await connection.execute(select(func.pg_terminate_backend(pid)))
    finally:
        await admin.dispose()
    await asyncio.sleep(0.1)

    with pytest.raises(DependencyUnavailable) as unavailable:
        await reads.all([BACKEND_ID], {})

    lost = unavailable.value.__cause__
    assert isinstance(lost, DBAPIError)
    assert lost.connection_invalidated
    served = []
    for _ in range(2):  # the other lost connection, maybe, then a new one
        try:
            served += await reads.all([BACKEND_ID], {})
        except DependencyUnavailable:
            continue
    assert [rows[0].pid not in pids for rows in served] == [True]
    assert _checked_out(engine) == 0


@pytest.mark.postgres
async def test_a_statement_cancelled_by_a_timeout_leaves_no_connection_behind(engine: AsyncEngine) -> None:
    reads = StandaloneReads(engine, timeout_seconds=0.2)

    with pytest.raises(DependencyUnavailable):
        await reads.all([SLEEP], {"seconds": 5})

    assert _checked_out(engine) == 0
    for _ in range(3):  # each connection of the pool serves again
        (row,) = await reads.all([BACKEND_ID], {})
        assert row[0].pid is not None


TAKE_ONE_CHANGE = (
    update(inventories)
    .where(inventories.c.event_id == bindparam("the_event"), inventories.c.available > 0)
    .values(available=inventories.c.available - 1)
    .returning(inventories.c.available)
)


@pytest.mark.postgres
async def test_an_entry_at_once_sends_its_change_by_the_driver_and_repositories_still_have_a_connection(
    engine: AsyncEngine, sent_by_driver: list[str]
) -> None:
    row, more, again = _inventory(), _inventory(), _inventory()
    await _add(engine, row)
    uow = SqlUnitOfWork(engine, booking_outbox, "booking")

    async with uow.at_once():
        read = await uow.connection.execute(
            select(inventories.c.title).where(inventories.c.event_id == row["event_id"])
        )
        await uow.write_with_change(inventories, more)
        changed = await uow.change_with_facts(TAKE_ONE_CHANGE, {"the_event": row["event_id"]})
        await uow.commit()
    async with uow.at_once():
        await uow.write_with_change(inventories, {**more, "title": "Twice"})
        with pytest.raises(ChangeCollided):
            await uow.change_with_facts(TAKE_ONE_CHANGE, {"the_event": row["event_id"]})
    async with uow.at_once():  # nothing asked of the connection: the driver's alone
        await uow.write_with_change(inventories, again)
        await uow.change_with_facts(TAKE_ONE_CHANGE, {"the_event": row["event_id"]})
        await uow.commit()

    assert read.scalar() == row["title"]
    assert changed is not None
    assert changed["available"] == 11
    assert len(sent_by_driver) == 3
    reads = StandaloneReads(engine)
    titles = {r.event_id: (r.title, r.available) for r in (await reads.all([select(inventories)], {}))[0]}
    assert titles == {
        row["event_id"]: (row["title"], 10),
        more["event_id"]: (more["title"], 12),
        again["event_id"]: (again["title"], 12),
    }
    assert _checked_out(engine) == 0


@pytest.mark.postgres
async def test_the_spines_questions_of_one_statement_go_by_the_driver(
    engine: AsyncEngine, sent_by_driver: list[str]
) -> None:
    # A worker asks every outbox and inbox on each pass: each question one statement, built
    # once, sent by the driver (the SQL is the same at every pass).
    now = datetime.now(UTC)
    facts = [
        {
            "id": uuid.uuid4(),
            "event_name": "BookingCreated",
            "payload": "{}",
            "created_at": now - timedelta(seconds=n),
        }
        for n in range(3)
    ]
    async with engine.begin() as connection:
        await connection.execute(insert(booking_outbox), facts)
    outbox = SqlOutbox(engine, booking_outbox, "booking")
    inbox = SqlInbox(engine, booking_deliveries, "booking")

    pending_before = await outbox.pending()
    leased = await outbox.lease(now=now, limit=2, lease=timedelta(seconds=60))
    await outbox.mark_relayed([message.id for message in leased], now=now)
    await inbox.accept([(message, ["booking.Probe"]) for message in leased], now=now)  # a transaction
    backlog = await inbox.backlog()
    claimed = await inbox.claim(now=now, limit=10, lease=timedelta(seconds=60))
    await inbox.mark_delivered([delivery.id for delivery in claimed], now=now)

    assert pending_before == 3
    assert [message.id for message in leased] == [facts[2]["id"], facts[1]["id"]]  # oldest first
    assert await outbox.pending() == 1
    assert backlog == {"booking.Probe": 2}
    assert [delivery.message_id for delivery in claimed] == [facts[2]["id"], facts[1]["id"]]
    assert await inbox.backlog() == {}
    # pending, lease, mark_relayed, backlog, claim, mark_delivered, then pending and backlog again.
    assert len(sent_by_driver) == 8
    assert sent_by_driver[0] == sent_by_driver[6]
    assert sent_by_driver[3] == sent_by_driver[7]
    assert _checked_out(engine) == 0
