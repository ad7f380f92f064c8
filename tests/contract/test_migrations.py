"""Migrations on PostgreSQL and SQLite: the stairway, a clean way down, and head equal to the tables."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, insert, inspect, literal_column, select, update
from sqlalchemy.engine import Connection

from aquastream.adapters.memory.clock import FrozenClock
from aquastream.adapters.sql.booking import SqlSeatInventory
from aquastream.adapters.sql.catalog import SqlCatalogUnitOfWork
from aquastream.adapters.sql.engine import SCHEMAS, create_engine
from aquastream.adapters.sql.identity import SqlIdentityUnitOfWork
from aquastream.adapters.sql.migrate import (
    autogenerate_options,
    current_revision,
    downgrade,
    migration_config,
    revision_ids,
    upgrade,
)
from aquastream.adapters.sql.tables.booking import inventories
from aquastream.adapters.sql.tables.catalog import events
from aquastream.adapters.text_search import event_document
from aquastream.domain.booking.policy import BookingPolicy
from tests.contract.catalog.factories import NOW, an_event, an_organizer

from .factories import a_user

# SQLite cannot reflect the expression index on lower(email): compared on PostgreSQL only.
pytestmark = [
    pytest.mark.filterwarnings("ignore:.*expression-based index:UserWarning"),
    pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index"),
]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'migrations.db'}"
    url: str = request.getfixturevalue("empty_postgres_url")
    return url


def test_the_migrations_form_one_line_of_date_prefixed_files() -> None:
    script = ScriptDirectory.from_config(migration_config())

    assert len(script.get_heads()) == 1
    for revision in script.walk_revisions():
        assert Path(revision.path).name[:11].replace("_", "").isdigit(), revision.path


async def test_every_revision_upgrades_downgrades_and_upgrades_again(empty_database_url: str) -> None:
    revisions = revision_ids()
    for previous, revision in zip([None, *revisions], revisions, strict=False):
        await upgrade(empty_database_url, revision)
        assert await current_revision(empty_database_url) == revision
        await downgrade(empty_database_url, previous or "base")
        assert await current_revision(empty_database_url) == previous
        await upgrade(empty_database_url, revision)

    assert await current_revision(empty_database_url) == revisions[-1]


async def test_downgrading_to_base_leaves_no_table_and_no_schema(empty_database_url: str) -> None:
    await upgrade(empty_database_url)
    await downgrade(empty_database_url, "base")

    engine = create_engine(empty_database_url)
    try:
        async with engine.connect() as connection:
            leftovers = await connection.run_sync(_tables_and_schemas)
    finally:
        await engine.dispose()
    assert leftovers == {"tables": ["alembic_version"], "schemas": []}


def _tables_and_schemas(connection: Connection) -> dict[str, list[str]]:
    inspector = inspect(connection)
    schemas = sorted(set(inspector.get_schema_names()) & set(SCHEMAS))
    tables = inspector.get_table_names() + [
        f"{schema}.{table}" for schema in schemas for table in inspector.get_table_names(schema)
    ]
    return {"tables": sorted(tables), "schemas": schemas}


async def test_the_migrated_schema_matches_the_tables(empty_database_url: str) -> None:
    await upgrade(empty_database_url)

    engine = create_engine(empty_database_url)
    try:
        async with engine.connect() as connection:
            differences = await connection.run_sync(_differences_from_metadata)
    finally:
        await engine.dispose()
    assert differences == []


def _differences_from_metadata(connection: Connection) -> list[Any]:
    options = autogenerate_options(connection.dialect.name)
    context = MigrationContext.configure(connection, opts=options)
    return list(compare_metadata(context, options["target_metadata"]))


async def test_an_in_memory_database_is_migrated_through_its_engine() -> None:
    engine = create_engine("sqlite+aiosqlite:///:memory:")
    user = a_user()
    try:
        await upgrade(engine)
        async with SqlIdentityUnitOfWork(engine) as uow:
            await uow.users.add(user)
            await uow.commit()
        async with SqlIdentityUnitOfWork(engine) as uow:
            assert await uow.users.get(user.id) == user
    finally:
        await engine.dispose()


@pytest.mark.postgres
async def test_money_columns_go_down_to_two_fraction_digits_only_without_losing_one(
    empty_postgres_url: str,
) -> None:
    """Amounts with a third fraction digit (KWD) stop the downgrade instead of being rounded."""
    precision = "0009_currency_precision"
    before = ScriptDirectory.from_config(migration_config()).get_revision(precision).down_revision
    assert isinstance(before, str)
    await upgrade(empty_postgres_url, precision)
    engine = create_engine(empty_postgres_url)
    event_id = uuid.uuid4()
    try:
        async with engine.begin() as connection:
            await connection.execute(insert(inventories).values(_inventory(event_id, Decimal("1.234"))))

        with pytest.raises(RuntimeError, match=r"booking\.inventories\.price has 1 amount"):
            await downgrade(empty_postgres_url, before)
        assert await current_revision(empty_postgres_url) == precision

        async with engine.begin() as connection:
            await connection.execute(update(inventories).values(price=Decimal("1.230")))
        await downgrade(empty_postgres_url, before)
        async with engine.connect() as connection:
            price = await connection.scalar(select(inventories.c.price))
    finally:
        await engine.dispose()
    assert (await current_revision(empty_postgres_url), str(price)) == (before, "1.23")


def _inventory(event_id: uuid.UUID, price: Decimal) -> dict[str, Any]:
    start = datetime(2030, 6, 1, 9, tzinfo=UTC)
    return {
        "event_id": event_id,
        "organizer_id": uuid.uuid4(),
        "title": "Dhow race",
        "status": "OPEN",
        "starts_at": start,
        "ends_at": start + timedelta(hours=5),
        "capacity": 10,
        "available": 10,
        "price": price,
        "currency": "KWD",
    }


async def test_search_documents_are_made_again_up_and_down(empty_database_url: str) -> None:
    """0026 makes every event's stems (and PostgreSQL's stemmed vector); going down, the
    case-folded text and the ``simple`` vector of before come back."""
    stemming = "0026_search_stemming"
    before = ScriptDirectory.from_config(migration_config()).get_revision(stemming).down_revision
    assert isinstance(before, str)
    await upgrade(empty_database_url, before)
    engine = create_engine(empty_database_url)
    organizer = an_organizer()
    event = an_event(organizer, title="Водопады Рускеалы", description="Ночёвка среди ёлок", tags=["Карелия"])
    on_postgresql = engine.dialect.name == "postgresql"

    async def matching(config: str, query: str) -> int | None:
        condition = events.c.search_vector.bool_op("@@")(
            func.to_tsquery(literal_column(f"'{config}'::regconfig"), query)
        )
        async with engine.connect() as connection:
            return await connection.scalar(select(func.count()).where(condition))

    async def search_text() -> str | None:
        async with engine.connect() as connection:
            return await connection.scalar(select(events.c.search_text))

    try:
        async with SqlCatalogUnitOfWork(
            engine, SqlSeatInventory(engine, FrozenClock(NOW), BookingPolicy())
        ) as uow:
            await uow.organizers.add(organizer)
            await uow.events.add(event)
            await uow.commit()
        async with engine.begin() as connection:
            await connection.execute(update(events).values(search_text="водопады рускеалы"))

        await upgrade(empty_database_url, stemming)
        assert await search_text() == event_document(event.title, event.description, event.tags)
        if on_postgresql:
            assert await matching("russian", "водопад:* & ночевк:*") == 1

        await downgrade(empty_database_url, before)
        assert await search_text() == "водопады рускеалы ночёвка среди ёлок карелия"
        if on_postgresql:
            assert await matching("simple", "водопады & ёлок") == 1
            assert await matching("simple", "водопад") == 0
    finally:
        await engine.dispose()
