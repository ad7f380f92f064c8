"""The batch statement builders (``adapters/sql/statements.py``: ``insert_rows``, ``one_of``,
``rows_table``) do the same on SQLite and PostgreSQL, and on PostgreSQL a batch of any size is
one statement of the same text (compiled and prepared once), its values sent as arrays."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import Column, Connection, Integer, MetaData, String, Table, event, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from aquastream.adapters.sql.statements import insert_rows, one_of, rows_table
from tests.contract.conftest import Backend, statements_sent

probes = Table(
    "batch_probes",
    MetaData(),
    Column("id", GUID(), primary_key=True),
    Column("title", String(40), nullable=False),
    Column("seats", Integer(), nullable=False),
    Column("seen_at", DateTimeUTC(), nullable=True),
    prefixes=["TEMPORARY"],
)
NOW = datetime(2026, 12, 5, 9, 30, tzinfo=UTC)


def _rows(count: int) -> list[dict[str, Any]]:
    return [
        {
            "id": uuid.uuid4(),
            "title": f"probe {n}",
            "seats": n,
            "seen_at": None if n % 3 == 0 else NOW + timedelta(minutes=n),
        }
        for n in range(count)
    ]


async def _table(connection: AsyncConnection) -> None:
    await connection.run_sync(probes.create)


async def _stored(connection: AsyncConnection) -> list[dict[str, Any]]:
    found = await connection.execute(select(probes).order_by(probes.c.seats))
    return [dict(row) for row in found.mappings()]


async def test_rows_inserted_together_read_back_as_given(sql_backend: Backend) -> None:
    rows = _rows(7)
    async with _engine(sql_backend).begin() as connection:
        await _table(connection)
        await insert_rows(connection, probes, rows)
        await insert_rows(connection, probes, [])
        assert await _stored(connection) == rows


async def test_a_value_every_row_shares_is_sent_once_and_read_back_in_every_row(sql_backend: Backend) -> None:
    title, seen_at = "one for all", NOW + timedelta(hours=1)
    rows = [dict(row, title=title, seen_at=seen_at) for row in _rows(5)]
    alone = dict(_rows(1)[0], seats=9)
    engine = _engine(sql_backend)
    sent: list[Any] = []

    def record(
        connection: Connection, cursor: object, statement: str, parameters: Any, *rest: object
    ) -> None:
        sent.append(parameters)

    async with engine.begin() as connection:
        await _table(connection)
        event.listen(engine.sync_engine, "before_cursor_execute", record)
        try:
            await insert_rows(connection, probes, rows)
            await insert_rows(connection, probes, [alone])
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", record)
        assert await _stored(connection) == [*rows, alone]
    if sql_backend.name == "postgres":
        batch, single = (list(parameters) for parameters in sent)
        # id and seats as arrays; the title and the time once each.
        assert sorted(type(value).__name__ for value in batch) == ["datetime", "list", "list", "str"]
        assert sum(isinstance(value, list) for value in single) == 1  # a row alone: one array stays


async def test_rows_already_there_are_left_out_when_asked(sql_backend: Backend) -> None:
    first, later = _rows(4), _rows(3)
    again = [{**first[1], "title": "changed"}, *later]
    async with _engine(sql_backend).begin() as connection:
        await _table(connection)
        await insert_rows(connection, probes, first)
        written = await insert_rows(connection, probes, again, unless_found=("id",), returning="id")
        stored = await _stored(connection)
    assert sorted(written) == sorted(row["id"] for row in later)
    assert sorted(stored, key=lambda row: str(row["id"])) == sorted(
        first + later, key=lambda row: str(row["id"])
    )


async def test_one_of_picks_exactly_the_rows_chosen(sql_backend: Backend) -> None:
    rows = _rows(10)
    chosen = [rows[1]["id"], rows[4]["id"], uuid.uuid4()]
    async with _engine(sql_backend).begin() as connection:
        await _table(connection)
        await insert_rows(connection, probes, rows)
        picked = await connection.scalars(
            select(probes.c.seats).where(one_of(connection, probes.c.id, chosen))
        )
        assert sorted(picked) == [1, 4]
        nothing = await connection.scalars(select(probes.c.seats).where(one_of(connection, probes.c.id, [])))
        assert list(nothing) == []


async def test_a_rows_table_joins_an_update_row_by_row(sql_backend: Backend) -> None:
    rows = _rows(5)
    added = [(rows[0]["id"], 10), (rows[3]["id"], 30)]
    async with _engine(sql_backend).begin() as connection:
        await _table(connection)
        await insert_rows(connection, probes, rows)
        given = rows_table(connection, "given", [("id", probes.c.id.type), ("more", Integer())], added)
        changed = await connection.execute(
            update(probes)
            .where(probes.c.id == given.c.id)
            .values(seats=probes.c.seats + given.c.more)
            .returning(probes.c.id)
        )
        assert sorted(changed.scalars()) == sorted(row_id for row_id, _ in added)
        assert [row["seats"] for row in await _stored(connection)] == [1, 2, 4, 10, 33]


async def test_on_postgresql_a_batch_of_any_size_is_one_statement_of_one_text(
    postgres_engine: AsyncEngine,
) -> None:
    texts: list[set[str]] = []
    for size in (2, 300):
        rows = _rows(size)
        async with postgres_engine.begin() as connection:
            await _table(connection)
            with statements_sent(postgres_engine) as sent:
                await insert_rows(connection, probes, rows)
                await connection.execute(
                    select(probes.c.id).where(one_of(connection, probes.c.id, [r["id"] for r in rows]))
                )
                given = rows_table(
                    connection,
                    "given",
                    [("id", probes.c.id.type), ("more", Integer())],
                    [(r["id"], 1) for r in rows],
                )
                await connection.execute(
                    update(probes)
                    .where(probes.c.id == given.c.id)
                    .values(seats=probes.c.seats + given.c.more)
                )
            assert len(sent) == 3
            texts.append({statement for statement, _ in sent})
            assert len(await _stored(connection)) == size
            await connection.run_sync(probes.drop)
    assert texts[0] == texts[1]
    assert all("$5" not in statement for statement in texts[0])  # one parameter a column


def _engine(backend: Backend) -> AsyncEngine:
    assert backend.engine is not None
    return backend.engine
