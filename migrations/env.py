"""Alembic environment: runs the migrations on PostgreSQL or on the embedded SQLite.

``aquastream.adapters.sql.migrate`` builds the Alembic ``Config`` in code and usually
hands over an open connection (``config.attributes["connection"]``); otherwise the URL
in ``config.attributes["url"]`` is opened with the application's ``create_engine``, so
SQLite gets the same schema translation (every schema becomes the one file) and the
same ``BEGIN IMMEDIATE`` transactions as the application.

Migrations create and drop their PostgreSQL schemas themselves, and only on PostgreSQL
(``aquastream.adapters.sql.migration_ops``). On SQLite, ``op.batch_alter_table`` copies
tables: foreign-key enforcement is switched off around the run (otherwise dropping the
old copy of a parent table would cascade into its children) and checked at the end.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from aquastream.adapters.sql.engine import create_engine
from aquastream.adapters.sql.migrate import autogenerate_options


def run_migrations(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    context.configure(
        connection=connection,
        # SQLite DDL is transactional once the driver stops committing on its own, which
        # the engine arranges; a failed migration then leaves nothing half done.
        transactional_ddl=True,
        render_as_batch=sqlite,
        **autogenerate_options(connection.dialect.name),
    )
    if not sqlite:
        with context.begin_transaction():
            context.run_migrations()
        return
    _set_sqlite_foreign_keys(connection, enabled=False)
    try:
        with context.begin_transaction():
            context.run_migrations()
            violations = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if violations:
                raise RuntimeError(f"The migration left dangling foreign keys: {violations}")
    finally:
        _set_sqlite_foreign_keys(connection, enabled=True)


def _set_sqlite_foreign_keys(connection: Connection, *, enabled: bool) -> None:
    # The pragma is ignored inside a transaction, and every statement sent through
    # SQLAlchemy would begin one, so it goes straight to the driver.
    if connection.in_transaction():
        raise RuntimeError("SQLite migrations need a connection outside any transaction.")
    cursor = connection.connection.cursor()
    try:
        cursor.execute(f"PRAGMA foreign_keys={'ON' if enabled else 'OFF'}")
    finally:
        cursor.close()


async def run_migrations_on_url(url: str) -> None:
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(run_migrations)
            await connection.commit()
    finally:
        await engine.dispose()


if context.is_offline_mode():
    raise RuntimeError("Offline (--sql) migrations are not supported: run them against a database.")

given_connection = context.config.attributes.get("connection")
if given_connection is not None:
    run_migrations(given_connection)
else:
    asyncio.run(run_migrations_on_url(context.config.attributes["url"]))
