"""Shared fixtures: a throwaway PostgreSQL database and a Redis database for the tests that ask.

Where the servers come from, in order: ``AQUASTREAM_TEST_DATABASE_URL`` /
``AQUASTREAM_TEST_REDIS_URL`` (a server the tests may create databases on), else a
container started on the local Docker engine. With neither, the tests that need the
server fail with a message saying how to provide one: they are never skipped.
Fixtures run only for the tests that request them, so unit tests need no server.
"""

from __future__ import annotations

import asyncio
import os
import random
import secrets
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, NoReturn, TypeVar
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
import redis
from sqlalchemy.engine import make_url

from aquastream.adapters.sql.migrate import upgrade

DATABASE_URL_VARIABLE = "AQUASTREAM_TEST_DATABASE_URL"
REDIS_URL_VARIABLE = "AQUASTREAM_TEST_REDIS_URL"
REDIS_LOCK_PREFIX = "aquastream:test-lock:db"
REDIS_LOCK_SECONDS = 6 * 3600

T = TypeVar("T")


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion from synchronous fixture code.

    In a thread of its own, so that the event loops pytest-asyncio keeps for the tests
    are neither nested into nor replaced.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="fixture-async") as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _docker_answers() -> bool:
    try:
        import docker

        docker.from_env().ping()
    except Exception:
        return False
    return True


def _no_server(kind: str, variable: str, example: str) -> NoReturn:
    pytest.fail(
        f"These tests need {kind}. Set {variable} (for example {variable}={example}) "
        "or start a Docker engine so that a container can be run.",
        pytrace=False,
    )


# --- PostgreSQL -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A SQLAlchemy (asyncpg) URL of a PostgreSQL server on which databases may be created."""
    given = os.environ.get(DATABASE_URL_VARIABLE)
    if given:
        yield str(make_url(given).set(drivername="postgresql+asyncpg").render_as_string(hide_password=False))
        return
    if not _docker_answers():
        _no_server(
            "PostgreSQL", DATABASE_URL_VARIABLE, "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
        )
    from testcontainers.community.postgres import PostgresContainer

    with PostgresContainer("postgres:16-alpine", driver="asyncpg") as container:
        yield container.get_connection_url()


def _asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _create_database(server_url: str, name: str) -> None:
    connection = await asyncpg.connect(_asyncpg_dsn(server_url))
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


async def _drop_database(server_url: str, name: str) -> None:
    connection = await asyncpg.connect(_asyncpg_dsn(server_url))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


def _throwaway_database(server_url: str) -> Iterator[str]:
    name = f"aqs_test_{secrets.token_hex(6)}"
    run_async(_create_database(server_url, name))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        run_async(_drop_database(server_url, name))


@pytest.fixture(scope="session")
def postgres_url(postgres_server_url: str) -> Iterator[str]:
    """An empty database made for this test session (asyncpg URL), dropped at its end."""
    yield from _throwaway_database(postgres_server_url)


@pytest.fixture(scope="session")
def migrated_postgres_url(postgres_url: str) -> str:
    """The session's database migrated to the newest revision; tests share its rows."""
    run_async(upgrade(postgres_url))
    return postgres_url


@pytest.fixture
def empty_postgres_url(postgres_server_url: str) -> Iterator[str]:
    """An empty database made for one test, for tests that must own the whole schema."""
    yield from _throwaway_database(postgres_server_url)


# --- SQLite ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def migrated_sqlite_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to the newest revision once per session: copy it, don't use it."""
    path = tmp_path_factory.mktemp("sqlite-template") / "aquastream.db"
    run_async(upgrade(f"sqlite+aiosqlite:///{path}"))
    return path


# --- Redis ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def redis_server_url() -> Iterator[str]:
    given = os.environ.get(REDIS_URL_VARIABLE)
    if given:
        yield given
        return
    if not _docker_answers():
        _no_server("Redis", REDIS_URL_VARIABLE, "redis://127.0.0.1:6379/0")
    from testcontainers.community.redis import RedisContainer

    with RedisContainer("redis:7-alpine") as container:
        yield f"redis://{container.get_container_host_ip()}:{container.get_exposed_port(6379)}/0"


def _with_database_index(url: str, index: int) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{index}"))


def _claim(registry: redis.Redis, index: int, token: str) -> bool:
    return bool(registry.set(f"{REDIS_LOCK_PREFIX}{index}", token, nx=True, ex=REDIS_LOCK_SECONDS))


@pytest.fixture(scope="session")
def redis_url(redis_server_url: str) -> Iterator[str]:
    """A Redis URL whose database index belongs to this test session alone.

    Other test sessions may share the server, so a free index is claimed with a lock key
    (``SET NX`` in the server URL's own database); the claimed database is flushed before
    and after use, and nothing else is touched.
    """
    registry = redis.Redis.from_url(redis_server_url)
    try:
        base_index = registry.connection_pool.connection_kwargs.get("db", 0)
        try:
            count = int(str(registry.config_get("databases")["databases"]))
        except redis.ResponseError:
            count = 16  # CONFIG may be disabled; 16 is Redis's default
        token = secrets.token_hex(8)
        candidates = [index for index in range(count) if index != base_index]
        random.shuffle(candidates)
        index = next((i for i in candidates if _claim(registry, i, token)), None)
        if index is None:
            pytest.fail(f"Every Redis database on {redis_server_url} is claimed by another test session.")
        url = _with_database_index(redis_server_url, index)
        database = redis.Redis.from_url(url)
        try:
            database.flushdb()
            yield url
            database.flushdb()
        finally:
            database.close()
            if registry.get(f"{REDIS_LOCK_PREFIX}{index}") == token.encode():
                registry.delete(f"{REDIS_LOCK_PREFIX}{index}")
    finally:
        registry.close()
