"""Text orders offered by ``sort`` (emails, payment statuses) compare code points on every
database: SQLite's default collation and Python do; PostgreSQL is told ``COLLATE "C"``, since a
database made with ``en_US.UTF-8`` (the usual production setting) would skip ``.``, ``-`` and
``_``. The test database is ``C.UTF-8``, where both orders agree, so the contract tests alone
would not notice the collation missing."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from aquastream.adapters.sql.paging import by_code_point
from aquastream.adapters.sql.tables.identity import users


def test_postgresql_orders_text_by_code_point() -> None:
    dialect = postgresql.dialect()
    query = select(users.c.id).order_by(by_code_point(users.c.email, dialect))

    assert 'ORDER BY identity.users.email COLLATE "C"' in str(query.compile(dialect=dialect))


def test_sqlite_keeps_its_binary_order() -> None:
    dialect = sqlite.dialect()
    query = select(users.c.id).order_by(by_code_point(users.c.email, dialect))

    assert str(query.compile(dialect=dialect)).endswith("ORDER BY identity.users.email")
