"""Readiness of the schema: the database is migrated to the revision this release was built for.

While ``alembic_version`` is missing or names a revision older than the code's head, the
service is not ready (``/health/ready`` 503, ``schema`` DOWN) and the reason says to run
``aquastream migrate``. A revision this release does not know means a newer release has
already migrated (a rolling deploy: migrations only add before they remove, so the older
release keeps serving); it is logged once and counts as ready.

The migration scripts are read once, on the first check and off the event loop, without
Alembic (``revisions``), which a serving process never imports.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.outage import is_schema_missing
from aquastream.adapters.sql.revisions import heads, script_revisions

logger = logging.getLogger("aquastream.health")

MIGRATE_HINT = "run `aquastream migrate`"


class SchemaBehind(Exception):
    """The database's schema is older than this release's."""


def _revisions() -> tuple[frozenset[str], frozenset[str]]:
    """This release's heads, and every revision it knows (read from the scripts' text, not
    through Alembic: see ``revisions``)."""
    revisions = script_revisions()
    return heads(revisions), frozenset(revisions)


class SchemaCheck:
    name = "schema"

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._revisions: tuple[frozenset[str], frozenset[str]] | None = None
        self._warned_newer = False

    async def check(self) -> None:
        if self._revisions is None:
            self._revisions = await asyncio.to_thread(_revisions)
        heads, known = self._revisions
        found = await self._current()
        if found == heads:
            return
        if not found:
            raise SchemaBehind(f"the database was never migrated: {MIGRATE_HINT}")
        if found <= known:
            raise SchemaBehind(
                f"the database schema is at {', '.join(sorted(found))}, this release needs "
                f"{', '.join(sorted(heads))}: {MIGRATE_HINT}"
            )
        if not self._warned_newer:
            self._warned_newer = True
            logger.warning(
                "The database schema is at %s, newer than this release knows (%s): a newer release "
                "has migrated it",
                ", ".join(sorted(found)),
                ", ".join(sorted(heads)),
            )

    async def _current(self) -> frozenset[str]:
        async with self._engine.connect() as connection:
            try:
                result = await connection.execute(text("SELECT version_num FROM alembic_version"))
            except DBAPIError as error:
                if is_schema_missing(error):
                    return frozenset()
                raise
            return frozenset(result.scalars())
