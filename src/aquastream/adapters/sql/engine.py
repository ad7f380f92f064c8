"""The SQLAlchemy engine for PostgreSQL (asyncpg) or the embedded SQLite (aiosqlite).

Each domain keeps its tables in its own PostgreSQL schema. SQLite has no schemas, so on
SQLite the schema names are translated away and every table lives in the one file.
SQLite write transactions start with ``BEGIN IMMEDIATE``: writers queue on the file lock
up front instead of failing when a reader tries to upgrade to a writer; connections
opened with the ``DEFERRED_BEGIN`` execution option only read, and start with a plain
``BEGIN`` that takes no lock until they do.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

SCHEMAS = (
    "infra",
    "identity",
    "catalog",
    "booking",
    "payments",
    "notifications",
    "crews",
    "media",
    "webhooks",
    "tickets",
)
SQLITE_SCHEMA_MAP: dict[str | None, str | None] = dict.fromkeys(SCHEMAS)


def is_sqlite_url(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


DEFAULT_LOCK_TIMEOUT_MS = 5000
# A PostgreSQL connection back in the pool for less than this is taken as alive; one idle for
# longer (a restart or a firewall may have dropped it) is pinged first and replaced when the
# ping fails. Pinging every checkout cost a round trip per transaction: under load, a third
# of the event spine worker's time.
PING_AFTER_IDLE_SECONDS = 2.0
_IDLE_SINCE = "aquastream_idle_since"
# An execution option for SQLite connections that only read (see the module docstring).
DEFERRED_BEGIN = "aquastream_deferred_begin"


def create_engine(
    url: str,
    *,
    pool_size: int = 10,
    echo: bool = False,
    lock_timeout_ms: int = DEFAULT_LOCK_TIMEOUT_MS,
    instrument: Callable[[AsyncEngine], None] | None = None,
) -> AsyncEngine:
    """``lock_timeout_ms`` bounds how long a statement waits for a row lock (PostgreSQL) or
    the write lock (SQLite); past it the unit of work answers ``Busy`` instead of hanging.
    ``instrument`` is called with the new engine (tracing's, when on: with None, no
    listener is attached and statements cost nothing more)."""
    engine = _create_engine(url, pool_size=pool_size, echo=echo, lock_timeout_ms=lock_timeout_ms)
    if instrument is not None:
        instrument(engine)
    return engine


def _create_engine(url: str, *, pool_size: int, echo: bool, lock_timeout_ms: int) -> AsyncEngine:
    if is_sqlite_url(url):
        return _sqlite_engine(url, echo=echo, lock_timeout_ms=lock_timeout_ms)
    engine = create_async_engine(
        url,
        echo=echo,
        # At most ``pool_size`` connections, all kept open: a request that finds none free
        # waits for one (pool_timeout, 30 s; then ``DependencyUnavailable``). Overflow
        # connections, opened for a burst and closed when handed back, cost a PostgreSQL
        # backend started (and a TLS attempt) for a request in three under steady load
        # beyond the pool, and more than the waiting they spared.
        pool_size=pool_size,
        max_overflow=0,
        pool_recycle=1800,
        # A session setting sent once per connection: no extra statement per transaction.
        connect_args={"server_settings": {"lock_timeout": str(lock_timeout_ms)}},
    )
    ping_after_idle(engine, PING_AFTER_IDLE_SECONDS)
    return engine


def ping_after_idle(engine: AsyncEngine, idle_seconds: float) -> None:
    """SQLAlchemy's ``pool_pre_ping``, for connections idle ``idle_seconds`` or more only."""

    @event.listens_for(engine.sync_engine, "checkin")
    def _checked_in(_dbapi_connection: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get(_IDLE_SINCE)
        if idle_since is None or time.monotonic() - idle_since < idle_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            # The pool throws this connection away and checks out another.
            raise DisconnectionError() from error


def _sqlite_engine(url: str, *, echo: bool, lock_timeout_ms: int) -> AsyncEngine:
    engine = create_async_engine(
        url,
        echo=echo,
        execution_options={"schema_translate_map": SQLITE_SCHEMA_MAP},
        connect_args={"timeout": lock_timeout_ms / 1000},
    )

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide where transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "PRAGMA journal_mode=WAL",
            "PRAGMA foreign_keys=ON",
            f"PRAGMA busy_timeout={lock_timeout_ms}",
            "PRAGMA synchronous=NORMAL",
        ):
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        deferred = connection.get_execution_options().get(DEFERRED_BEGIN, False)
        connection.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")

    return engine


def reading_engine(engine: AsyncEngine) -> AsyncEngine:
    """``engine`` for connections that only read: PostgreSQL in autocommit (no BEGIN, no
    ROLLBACK round trips), SQLite with a deferred BEGIN (no write lock, so never waiting for
    a writer). Made once per engine."""
    found = _READING.get(engine.sync_engine)
    if found is None:
        if engine.dialect.name == "sqlite":
            found = engine.execution_options(**{DEFERRED_BEGIN: True})
        else:
            found = engine.execution_options(isolation_level="AUTOCOMMIT")
        _READING[engine.sync_engine] = found
    return found


_READING: weakref.WeakKeyDictionary[Engine, AsyncEngine] = weakref.WeakKeyDictionary()


class DomainEngines:
    """The engine of each domain's schema: one engine per distinct URL, so domains left on
    the shared ``database_url`` share its engine (and its pool), and a domain given a URL of
    its own (a role that sees only its schema, or another server) talks through that one
    only. ``default`` serves the shared ``infra`` schema (job leases)."""

    def __init__(self, default: AsyncEngine, urls: dict[str, str], default_url: str, **options: Any) -> None:
        self.default = default
        by_url: dict[str, AsyncEngine] = {default_url: default}
        self._own: list[AsyncEngine] = []
        self._of: dict[str, AsyncEngine] = {}
        for domain, url in urls.items():
            if url not in by_url:
                by_url[url] = create_engine(url, **options)
                self._own.append(by_url[url])
            self._of[domain] = by_url[url]

    def of(self, domain: str) -> AsyncEngine:
        return self._of[domain]

    @property
    def distinct(self) -> list[AsyncEngine]:
        """Every engine once, the default first."""
        return [self.default, *self._own]

    async def dispose(self) -> None:
        """Close the engines this made (the default one is its provider's to close)."""
        for engine in self._own:
            await engine.dispose()
