"""The shared INSERT … ON CONFLICT builder renders the stock SQL and, unlike the stock
dialect INSERTs, has a cache key: SQLAlchemy compiles each shape once."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import Column, MetaData, String, Table, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import create_async_engine

from aquastream.adapters.sql.statements import dialect_insert
from aquastream.adapters.sql.tables.notifications import messages

DIALECTS = {
    "postgresql": (postgresql.insert, postgresql.dialect(), "postgresql+asyncpg://u@localhost/db"),
    "sqlite": (sqlite.insert, sqlite.dialect(), "sqlite+aiosqlite://"),
}
TARGET = ["category", "subject", "user_id"]


def _values() -> dict[str, Any]:
    return {"id": uuid.uuid4(), "user_id": uuid.uuid4(), "title": "t"}


@pytest.fixture(params=sorted(DIALECTS))
def dialect(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _ours(dialect: str) -> Any:
    return dialect_insert(create_async_engine(DIALECTS[dialect][2]), messages)


def test_on_conflict_do_nothing_renders_the_stock_sql(dialect: str) -> None:
    stock, compiler, _ = DIALECTS[dialect]
    ours = _ours(dialect).values(_values()).on_conflict_do_nothing(index_elements=TARGET)
    theirs = stock(messages).values(_values()).on_conflict_do_nothing(index_elements=TARGET)
    assert str(ours.compile(dialect=compiler)) == str(theirs.compile(dialect=compiler))
    assert theirs._generate_cache_key() is None  # what the shared builder is for


def test_statements_of_one_shape_share_a_key_and_other_targets_do_not(dialect: str) -> None:
    first = _ours(dialect).values(_values()).on_conflict_do_nothing(index_elements=TARGET)
    again = _ours(dialect).values(_values()).on_conflict_do_nothing(index_elements=TARGET)
    narrower = _ours(dialect).values(_values()).on_conflict_do_nothing(index_elements=["user_id"])
    bare = _ours(dialect).values(_values()).on_conflict_do_nothing()
    found = [statement._generate_cache_key() for statement in (first, again, narrower, bare)]
    assert all(key is not None for key in found)
    keys = [key.key for key in found if key is not None]
    assert keys[0] == keys[1]
    assert len({keys[0], keys[2], keys[3]}) == 3


async def test_the_second_insert_of_a_shape_is_served_from_the_cache() -> None:
    engine = create_async_engine("sqlite+aiosqlite://")
    table = Table("probe", MetaData(), Column("id", String, primary_key=True), Column("title", String))
    stats: list[str] = []

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _seen(_c: Any, _cursor: Any, _sql: str, _params: Any, context: Any, _many: bool) -> None:
        stats.append(context._get_cache_stats())

    async with engine.begin() as connection:
        await connection.run_sync(table.metadata.create_all)
        stats.clear()
        for n in range(3):
            insert = dialect_insert(connection, table).values(id=str(n), title="t")
            await connection.execute(insert.on_conflict_do_nothing(index_elements=["id"]))
    await engine.dispose()
    assert [stat.split(" ")[0] for stat in stats] == ["generated", "cached", "cached"], stats


def test_on_conflict_do_update_renders_the_stock_sql_uncached(dialect: str) -> None:
    stock, compiler, _ = DIALECTS[dialect]
    ours = _ours(dialect).values(_values()).on_conflict_do_update(index_elements=["id"], set_={"title": "x"})
    theirs = (
        stock(messages).values(_values()).on_conflict_do_update(index_elements=["id"], set_={"title": "x"})
    )
    assert str(ours.compile(dialect=compiler)) == str(theirs.compile(dialect=compiler))
    assert ours._generate_cache_key() is None
