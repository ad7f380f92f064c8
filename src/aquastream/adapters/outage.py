"""Which errors mean a dependency is down, or the database is not migrated, rather than a bug.

The HTTP edge answers both 503 ``service.unavailable`` with ``Retry-After`` wherever they
surface (a request never gets a 500 for an outage), and adapters that ask another domain's
served port turn them into ``DependencyUnavailable``. A pool that recovers needs no restart:
SQLAlchemy invalidates the dropped connections, and the next checkout opens new ones.

An outage is, anywhere in the chain of causes:
- a connection the driver reports lost (``DBAPIError.connection_invalidated``);
- a socket error: refused, reset, unreachable, not resolved, timed out (a file error such as
  ``FileNotFoundError`` is not one);
- no pooled connection free in time (SQLAlchemy's pool ``TimeoutError``);
- a PostgreSQL error of class 08 (connection exception), 53300 (too many connections) or
  57P01 to 57P03 (shutting down, starting up);
- Redis' ``ConnectionError`` and ``TimeoutError``.

A schema behind the code is a missing table or column (PostgreSQL 42P01 and 42703, SQLite
"no such table" / "no such column"): ``aquastream migrate`` has not run for this release.
"""

from __future__ import annotations

import errno
import logging
import socket
import sys
import time
from collections.abc import Iterator

from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

_OUTAGE_SQLSTATES = frozenset({"53300", "57P01", "57P02", "57P03"})
_MISSING_SCHEMA_SQLSTATES = frozenset({"42P01", "42703"})
_SQLITE_MISSING_SCHEMA = ("no such table", "no such column")
_CHAIN_LIMIT = 16
OUTAGE_LOG_INTERVAL_SECONDS = 10.0
# asyncio's connect gives a plain OSError without errno when every address of a host refused.
_NETWORK_ERRNOS = frozenset({None, errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN, errno.EHOSTDOWN})


def is_outage(error: BaseException) -> bool:
    """The error says a dependency cannot be reached just now, not that a statement is wrong."""
    for link in _causes(error):
        if isinstance(link, DBAPIError) and link.connection_invalidated:
            return True
        if isinstance(link, ConnectionError | TimeoutError | socket.gaierror | PoolTimeout):
            return True
        if _is_redis_outage(link):
            return True
        if type(link) is OSError and link.errno in _NETWORK_ERRNOS:
            return True
        sqlstate = getattr(link, "sqlstate", None)
        if isinstance(sqlstate, str) and (sqlstate.startswith("08") or sqlstate in _OUTAGE_SQLSTATES):
            return True
    return False


def _is_redis_outage(error: BaseException) -> bool:
    # redis is imported only where Redis is configured (its import is 0.15 s and 8 MB): a
    # process that never imported it cannot have met one of its errors.
    exceptions = sys.modules.get("redis.exceptions")
    return exceptions is not None and isinstance(error, exceptions.ConnectionError | exceptions.TimeoutError)


def is_schema_missing(error: BaseException) -> bool:
    """The database lacks a table or column the code uses: it was not migrated."""
    for link in _causes(error):
        sqlstate = getattr(link, "sqlstate", None)
        if sqlstate in _MISSING_SCHEMA_SQLSTATES:
            return True
        if type(link).__module__.startswith("sqlite3") and str(link).startswith(_SQLITE_MISSING_SCHEMA):
            return True
    return False


def _causes(error: BaseException) -> Iterator[BaseException]:
    """The error and what caused it, explicitly or while it was handled, without looping."""
    seen: set[int] = set()
    link: BaseException | None = error
    while link is not None and id(link) not in seen and len(seen) < _CHAIN_LIMIT:
        seen.add(id(link))
        yield link
        link = link.__cause__ or link.__context__


class OutageLog:
    """Logs an outage, or a schema behind the code, as one line per kind at most once every
    ``interval_seconds`` (a pass failing every second must not flood the log with tracebacks).

    Only the exception's type is written: a driver's message may quote a URL or a statement's
    values.
    """

    def __init__(
        self, logger: logging.Logger, *, interval_seconds: float = OUTAGE_LOG_INTERVAL_SECONDS
    ) -> None:
        self._logger = logger
        self._interval_seconds = interval_seconds
        self._last: dict[str, float] = {}

    def report(self, error: BaseException, doing: str) -> bool:
        """Log ``error`` if it is an outage or a missing schema; False when it is neither (a
        bug, which the caller logs with its traceback)."""
        if is_schema_missing(error):
            self._once(
                "schema",
                "%s: the database schema is behind this release (%s): run `aquastream migrate`",
                doing,
                error,
            )
            return True
        if is_outage(error):
            self._once("outage", "%s: a dependency is unreachable (%s); retrying", doing, error)
            return True
        return False

    def _once(self, kind: str, message: str, doing: str, error: BaseException) -> None:
        now = time.monotonic()
        last = self._last.get(kind)
        if last is not None and now - last < self._interval_seconds:
            return
        self._last[kind] = now
        self._logger.warning(message, doing, type(error).__name__)
