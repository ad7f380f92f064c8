"""The harness of ``AQUASTREAM_TEST_DOMAIN_ROLES`` bites: on a copy of its template (grants
and all), the URL it gives each schema's code reads that schema and gets ``permission
denied`` on any other. Runs in every mode."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from aquastream.adapters.sql.engine import create_engine
from aquastream.adapters.sql.schema_check import SchemaCheck
from tests.api.domain_roles import RolesTemplate
from tests.contract.test_domain_roles import TABLE_OF

pytestmark = pytest.mark.postgres


async def _count(url: str, table: str) -> int:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return int((await connection.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one())
    finally:
        await engine.dispose()


async def test_each_schemas_url_reads_that_schema_and_no_other(
    domain_roles_template: RolesTemplate, domain_roles_database_url: str
) -> None:
    settings = domain_roles_template.settings_of(domain_roles_database_url)
    url_of = {"infra": domain_roles_database_url} | {
        name.removeprefix("database_url_"): url for name, url in settings.items()
    }
    assert set(url_of) == set(TABLE_OF)
    for schema, url in url_of.items():
        assert await _count(url, TABLE_OF[schema]) == 0
        for other, table in TABLE_OF.items():
            if other != schema:
                with pytest.raises(ProgrammingError, match="permission denied"):
                    await _count(url, table)


async def test_the_infra_role_reads_which_revision_the_database_is_at(domain_roles_database_url: str) -> None:
    engine = create_engine(domain_roles_database_url)
    try:
        await SchemaCheck(engine).check()  # ready: the grant on alembic_version is in place
        async with engine.connect() as connection:
            with pytest.raises(ProgrammingError, match="permission denied"):
                await connection.execute(text("DELETE FROM alembic_version"))
    finally:
        await engine.dispose()
