"""The API tests under one PostgreSQL role per domain (``AQUASTREAM_TEST_DOMAIN_ROLES=1``).

Off by default: the API tests run on a copy of a migrated SQLite file. Switched on, each
test's app runs on a PostgreSQL database of its own, made from a template migrated once
per session by the server's owner role, on which the roles ``aquastream domain-roles``
prints were granted their schemas. The template's grants are copied with it, so in every
test ``database_url`` is the ``infra`` role's URL and each ``database_url_<domain>`` that
domain's role's: a statement of one domain's code on another's schema fails with
``permission denied``. Test kits that seed rows write as the domain that owns them.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import asyncpg
from sqlalchemy.engine import make_url

from aquastream.adapters.sql.engine import SCHEMAS
from aquastream.adapters.sql.migrate import upgrade
from aquastream.adapters.sql.roles import domain_roles_sql, role_name
from aquastream.settings import DOMAINS
from tests.conftest import run_async

VARIABLE = "AQUASTREAM_TEST_DOMAIN_ROLES"


def enabled() -> bool:
    return os.environ.get(VARIABLE, "") not in ("", "0")


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class RolesTemplate:
    """A migrated template database with one role per schema granted on it, and copies of it
    made ahead of the tests that take them and dropped behind them, off the tests' clock
    (``CREATE DATABASE`` waits on the server's disk for a second or so)."""

    AHEAD = 2

    def __init__(self, server_url: str, token: str) -> None:
        self.server_url = server_url
        self.template = f"aqs_roles_template_{token}"
        self.prefix = f"aqs_r{token}_"
        self.password = "roles-" + secrets.token_hex(8)
        self._makers = ThreadPoolExecutor(max_workers=self.AHEAD, thread_name_prefix="roles-copies")
        self._droppers = ThreadPoolExecutor(max_workers=1, thread_name_prefix="roles-drops")
        self._ready: deque[Future[str]] = deque()

    def url(self, database: str, schema: str | None = None) -> str:
        """The URL of ``database`` as ``schema``'s role, or as the owner (``schema=None``)."""
        url = make_url(self.server_url).set(database=database)
        if schema is not None:
            url = url.set(username=role_name(self.prefix, schema), password=self.password)
        return url.render_as_string(hide_password=False)

    def settings_of(self, database_url: str) -> dict[str, str]:
        """The settings that give each domain its role on ``database_url``'s database, if that
        is the ``infra`` role's URL of one of this template's copies; else none."""
        url = make_url(database_url)
        if url.get_backend_name() != "postgresql" or url.username != role_name(self.prefix, "infra"):
            return {}
        assert url.database is not None
        return {f"database_url_{domain}": self.url(url.database, domain) for domain in sorted(DOMAINS)}

    def copy(self) -> Iterator[str]:
        """A fresh copy of the template, as the ``infra`` role's URL; dropped afterwards."""
        while len(self._ready) <= self.AHEAD:
            self._ready.append(self._makers.submit(self._make))
        name = self._ready.popleft().result()
        try:
            yield self.url(name, "infra")
        finally:
            self._droppers.submit(self._drop, name)

    def close(self) -> None:
        """Drop the copies made ahead and wait for every drop."""
        while self._ready:
            self._droppers.submit(self._drop, self._ready.popleft().result())
        self._makers.shutdown()
        self._droppers.shutdown()

    def _make(self) -> str:
        name = f"aqs_roles_{secrets.token_hex(6)}"
        asyncio.run(self.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"'))
        return name

    def _drop(self, name: str) -> None:
        asyncio.run(self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    async def execute(self, *statements: str, database: str | None = None) -> None:
        connection = await asyncpg.connect(_dsn(self.url(database) if database else self.server_url))
        try:
            for statement in statements:
                await connection.execute(statement)
        finally:
            await connection.close()


def roles_template(server_url: str) -> Iterator[RolesTemplate]:
    """Make the template and the roles (a prefix of this session's own: roles are
    cluster-wide); drop both at the end."""
    template = RolesTemplate(server_url, secrets.token_hex(4))
    roles = [role_name(template.prefix, schema) for schema in SCHEMAS]
    run_async(template.execute(f'CREATE DATABASE "{template.template}"'))
    try:
        run_async(upgrade(template.url(template.template)))
        run_async(
            template.execute(
                domain_roles_sql(template.prefix),
                *(f"ALTER ROLE {role} PASSWORD '{template.password}'" for role in roles),
                # Throwaway data: no commit waits for the disk (SQLite's tests don't either).
                *(f"ALTER ROLE {role} SET synchronous_commit = off" for role in roles),
                database=template.template,
            )
        )
        yield template
    finally:
        # The roles' grants go with the databases.
        template.close()
        run_async(template.execute(f'DROP DATABASE IF EXISTS "{template.template}" WITH (FORCE)'))
        run_async(template.execute(*(f"DROP ROLE IF EXISTS {role}" for role in roles)))
