"""Which errors are an outage or a schema behind the code, and how often they are logged."""

from __future__ import annotations

import logging
import sqlite3

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from aquastream.adapters.outage import OutageLog, is_outage, is_schema_missing


class PostgresError(Exception):
    """What asyncpg raises: an exception with the server's SQLSTATE."""

    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def _wrapped(error: BaseException) -> Exception:
    """``error`` as a statement's failure reaches the edge: wrapped, with the driver's as cause."""
    try:
        try:
            raise error
        except BaseException as cause:
            raise RuntimeError("while serving") from cause
    except RuntimeError as outer:
        return outer


@pytest.mark.parametrize(
    "error",
    [
        ConnectionRefusedError(111, "refused"),
        ConnectionResetError(104, "reset"),
        TimeoutError(),
        OSError("Multiple exceptions: [Errno 111] Connect call failed"),
        PoolTimeout("QueuePool limit reached"),
        RedisConnectionError("Error 111 connecting"),
        PostgresError("08006"),
        PostgresError("57P01"),
        PostgresError("53300"),
        OperationalError("SELECT 1", {}, Exception("closed"), connection_invalidated=True),
    ],
)
def test_an_unreachable_dependency_is_an_outage_even_when_wrapped(error: BaseException) -> None:
    assert is_outage(error)
    assert is_outage(_wrapped(error))
    assert not is_schema_missing(error)


@pytest.mark.parametrize(
    "error",
    [
        FileNotFoundError(2, "no such file"),
        PermissionError(13, "denied"),
        OperationalError("SELECT 1", {}, Exception("database is locked")),
        PostgresError("23505"),
        ValueError("a bug"),
    ],
)
def test_a_refused_statement_or_a_local_error_is_not_an_outage(error: BaseException) -> None:
    assert not is_outage(error)


def test_a_missing_table_or_column_is_a_schema_behind_the_code() -> None:
    sqlite_missing = ProgrammingError("SELECT", {}, sqlite3.OperationalError("no such table: identity_users"))
    sqlite_missing.__cause__ = sqlite_missing.orig

    assert is_schema_missing(PostgresError("42P01"))
    assert is_schema_missing(_wrapped(PostgresError("42703")))
    assert is_schema_missing(sqlite_missing)
    assert not is_schema_missing(PostgresError("42601"))  # a syntax error is a bug


def test_a_cause_chain_that_loops_ends() -> None:
    first, second = ValueError("a"), ValueError("b")
    first.__cause__, second.__cause__ = second, first

    assert not is_outage(first)


def test_outages_are_logged_once_per_interval_per_kind_without_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    log = OutageLog(logging.getLogger("test.outage"), interval_seconds=60)

    with caplog.at_level(logging.WARNING, logger="test.outage"):
        assert log.report(ConnectionRefusedError(111, "refused"), "pass failed")
        assert log.report(ConnectionRefusedError(111, "refused"), "pass failed")
        assert log.report(PostgresError("42P01"), "pass failed")
        assert not log.report(ValueError("a bug"), "pass failed")

    lines = [record.getMessage() for record in caplog.records]
    assert lines == [
        "pass failed: a dependency is unreachable (ConnectionRefusedError); retrying",
        "pass failed: the database schema is behind this release (PostgresError): run `aquastream migrate`",
    ]
    assert all(record.exc_info is None for record in caplog.records)
