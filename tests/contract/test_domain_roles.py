"""The roles ``aquastream domain-roles`` prints, on PostgreSQL: each domain's role reads and
writes its own schema and gets ``permission denied`` on any other."""

from __future__ import annotations

import secrets
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from aquastream.adapters.sql.engine import SCHEMAS
from aquastream.adapters.sql.roles import role_name

PASSWORD = "role-test-" + secrets.token_hex(8)
# A table of each schema to knock on.
TABLE_OF = {
    "infra": "infra.job_leases",
    "identity": "identity.users",
    "catalog": "catalog.events",
    "booking": "booking.bookings",
    "payments": "payments.payments",
    "notifications": "notifications.messages",
    "crews": "crews.crews",
    "media": "media.files",
    "webhooks": "webhooks.webhook_endpoints",
    "tickets": "tickets.tickets",
}


def _dsn(url: str, user: str | None = None, password: str | None = None) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    if user is not None:
        parsed = parsed.set(username=user, password=password)
    return parsed.render_as_string(hide_password=False)


@pytest.fixture
def printed() -> tuple[str, str]:
    """What ``aquastream domain-roles`` prints for a prefix of this test's own (roles are
    cluster-wide), run as an operator would, with no settings at all."""
    prefix = f"aqs_t{secrets.token_hex(4)}_"
    command = [sys.executable, "-m", "aquastream", "domain-roles", "--prefix", prefix]
    return prefix, subprocess.run(command, capture_output=True, text=True, check=True, env={}).stdout


@pytest.fixture
async def prefix(migrated_postgres_url: str, printed: tuple[str, str]) -> AsyncIterator[str]:
    """The printed roles made, each with a password."""
    prefix, sql = printed
    owner = await asyncpg.connect(_dsn(migrated_postgres_url))
    try:
        await owner.execute(sql)
        for schema in SCHEMAS:
            await owner.execute(f"ALTER ROLE {role_name(prefix, schema)} PASSWORD '{PASSWORD}'")
        yield prefix
    finally:
        for schema in SCHEMAS:
            role = role_name(prefix, schema)
            await owner.execute(f"DROP OWNED BY {role}")
            await owner.execute(f"DROP ROLE {role}")
        await owner.close()


@pytest.mark.parametrize("schema", SCHEMAS)
async def test_a_domain_role_uses_its_own_schema_and_no_other(
    migrated_postgres_url: str, prefix: str, schema: str
) -> None:
    connection = await asyncpg.connect(_dsn(migrated_postgres_url, role_name(prefix, schema), PASSWORD))
    try:
        await connection.fetchval(f"SELECT count(*) FROM {TABLE_OF[schema]}")
        async with connection.transaction():
            # A write of its own, taken back: the rights cover the data, not only reads.
            await connection.execute(f"DELETE FROM {TABLE_OF[schema]} WHERE false")
        for other, table in TABLE_OF.items():
            if other == schema:
                continue
            with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied"):
                await connection.fetchval(f"SELECT count(*) FROM {table}")
    finally:
        await connection.close()


async def test_tables_of_later_migrations_are_the_domains_role_too(
    migrated_postgres_url: str, prefix: str
) -> None:
    table = f"booking.later_{uuid.uuid4().hex[:8]}"
    owner = await asyncpg.connect(_dsn(migrated_postgres_url))
    try:
        await owner.execute(f"CREATE TABLE {table} (id int)")
        booking = await asyncpg.connect(_dsn(migrated_postgres_url, role_name(prefix, "booking"), PASSWORD))
        try:
            await booking.execute(f"INSERT INTO {table} VALUES (1)")
            assert await booking.fetchval(f"SELECT count(*) FROM {table}") == 1
        finally:
            await booking.close()
    finally:
        await owner.execute(f"DROP TABLE {table}")
        await owner.close()
