"""The schema readiness check on SQLite and PostgreSQL: never migrated, behind, current, newer."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from aquastream.adapters.sql.engine import create_engine
from aquastream.adapters.sql.migrate import revision_ids, upgrade
from aquastream.adapters.sql.schema_check import SchemaBehind, SchemaCheck


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'schema.db'}"
    url: str = request.getfixturevalue("empty_postgres_url")
    return url


async def test_a_database_never_migrated_is_behind_and_says_to_migrate(empty_database_url: str) -> None:
    engine = create_engine(empty_database_url)
    try:
        with pytest.raises(SchemaBehind, match=r"never migrated: run `aquastream migrate`"):
            await SchemaCheck(engine).check()
    finally:
        await engine.dispose()


async def test_a_database_one_revision_behind_names_both_revisions(empty_database_url: str) -> None:
    *_, previous, head = revision_ids()
    await upgrade(empty_database_url, previous)
    engine = create_engine(empty_database_url)
    try:
        with pytest.raises(SchemaBehind) as behind:
            await SchemaCheck(engine).check()
        assert str(behind.value) == (
            f"the database schema is at {previous}, this release needs {head}: run `aquastream migrate`"
        )

        await upgrade(empty_database_url)
        await SchemaCheck(engine).check()  # migrated: ready
    finally:
        await engine.dispose()


async def test_a_revision_newer_than_this_release_stays_ready(
    empty_database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    await upgrade(empty_database_url)
    engine = create_engine(empty_database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("UPDATE alembic_version SET version_num = 'from_a_newer_release'"))
        check = SchemaCheck(engine)

        await check.check()
        await check.check()

        newer = [r for r in caplog.records if "newer than this release" in r.getMessage()]
        assert len(newer) == 1
    finally:
        await engine.dispose()
