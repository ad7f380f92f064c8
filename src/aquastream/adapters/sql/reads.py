"""Reads outside any unit of work, for questions asked all the time.

PostgreSQL runs them in autocommit, which spares the BEGIN and ROLLBACK round trips;
SQLite in a deferred transaction, which takes no write lock and so never waits for a
writer. A database that cannot be reached, drops the connection or does not answer
within the timeout is ``DependencyUnavailable`` (HTTP 503, retry later); a statement the
database refuses keeps its own error (a bug).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Executable, Row
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from aquastream.adapters.outage import is_outage
from aquastream.adapters.sql import driver
from aquastream.adapters.sql.engine import reading_engine
from aquastream.domain.shared.errors import DependencyUnavailable

# The default bound of a question one domain asks another's served port: past it the
# question is ``DependencyUnavailable`` (503, retried later) rather than a request left hanging.
QUERY_TIMEOUT_SECONDS = 5.0


@contextmanager
def unreachable_is_unavailable() -> Iterator[None]:
    """Inside, a database that cannot be reached, drops the connection or does not answer in
    time (``adapters.outage``) is ``DependencyUnavailable``; a statement the database refuses
    keeps its own error."""
    try:
        yield
    except Exception as error:
        if not is_outage(error):
            raise
        raise DependencyUnavailable() from error


class StandaloneReads:
    def __init__(self, engine: AsyncEngine, *, timeout_seconds: float = QUERY_TIMEOUT_SECONDS) -> None:
        self._engine = reading_engine(engine)
        self._timeout_seconds = timeout_seconds

    async def all(
        self, statements: Sequence[Executable | driver.Prepared], parameters: Mapping[str, Any]
    ) -> list[Sequence[Row[Any]]]:
        """The rows each statement gives, read on one connection (by the driver itself when
        every statement is ``driver.Prepared`` and the lane serves, see ``adapters.sql.driver``)."""
        with unreachable_is_unavailable():
            async with asyncio.timeout(self._timeout_seconds):
                forms = driver.forms(self._engine, statements)
                if forms is not None:
                    return await self._read(forms, parameters)
                connection = await self._connect()
                try:
                    return [(await connection.execute(_core(s), parameters)).all() for s in statements]
                finally:
                    await connection.close()

    async def rows(self, statement: Executable | driver.Prepared) -> Sequence[Row[Any]]:
        """The rows of one statement."""
        (found,) = await self.all([statement], {})
        return found

    async def _read(
        self, forms: Sequence[driver.Form], parameters: Mapping[str, Any]
    ) -> list[Sequence[Row[Any]]]:
        try:
            pooled = await self._engine.raw_connection()
        except Exception as error:  # as ``_connect``
            raise DependencyUnavailable() from error
        try:
            return [await driver.run(self._engine, pooled, form, parameters) for form in forms]
        finally:
            await driver.give_back(pooled)

    async def _connect(self) -> AsyncConnection:
        try:
            return await self._engine.connect()
        except Exception as error:  # whatever the driver says, the database cannot serve now
            raise DependencyUnavailable() from error


def _core(statement: Executable | driver.Prepared) -> Executable:
    return statement.statement if isinstance(statement, driver.Prepared) else statement
