"""A statement that cannot get its lock in time fails the unit of work with ``Busy`` (503).

Runs on the SQL backends only: the memory adapters serialise writers and never wait.
PostgreSQL waits for a row lock up to ``lock_timeout``; SQLite for the write lock up to
its busy timeout.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.sql.engine import create_engine
from aquastream.adapters.sql.identity import SqlIdentityUnitOfWork
from aquastream.adapters.sql.tables.identity import users
from aquastream.domain.identity.model import Role, User
from aquastream.domain.shared.errors import Busy

from .conftest import Backend, _sql_backend
from .factories import a_user

LOCK_TIMEOUT_MS = 300


async def test_a_writer_waiting_too_long_for_a_lock_gets_busy_and_changes_nothing(
    sql_backend: Backend,
) -> None:
    backend = sql_backend
    assert backend.engine is not None
    user = a_user()
    await backend.add_users(user)
    impatient = create_engine(
        backend.engine.url.render_as_string(hide_password=False), lock_timeout_ms=LOCK_TIMEOUT_MS
    )
    try:
        async with backend.engine.connect() as holder:
            await holder.execute(update(users).where(users.c.id == user.id).values(is_active=True))

            started = time.monotonic()
            with pytest.raises(Busy):
                await promote(impatient, user)
            waited = time.monotonic() - started
            await holder.rollback()

        assert LOCK_TIMEOUT_MS / 1000 * 0.9 <= waited < 10
        async with SqlIdentityUnitOfWork(impatient) as uow:
            stored = await uow.users.get(user.id)
        assert stored is not None
        assert stored.role is Role.USER
    finally:
        await impatient.dispose()


async def promote(engine: AsyncEngine, user: User) -> None:
    async with SqlIdentityUnitOfWork(engine) as uow:
        await uow.users.save(dataclasses.replace(user, role=Role.ADMIN))
        await uow.commit()


@pytest.mark.postgres
async def test_the_transaction_postgresql_undoes_to_break_a_deadlock_gets_busy(
    postgres_engine: AsyncEngine,
) -> None:
    backend = _sql_backend("postgres", postgres_engine)
    first, second = a_user(), a_user()
    await backend.add_users(first, second)
    both_locked_one = asyncio.Barrier(2)

    async def lock_both(engine: AsyncEngine, order: tuple[User, User]) -> None:
        async with SqlIdentityUnitOfWork(engine) as uow:
            for n, user in enumerate(order):
                await uow.users.save(dataclasses.replace(user, role=Role.ADMIN))
                if n == 0:
                    await both_locked_one.wait()
            await uow.commit()

    outcomes = await asyncio.gather(
        lock_both(postgres_engine, (first, second)),
        lock_both(postgres_engine, (second, first)),
        return_exceptions=True,
    )

    assert sorted(type(o).__name__ for o in outcomes) == ["Busy", "NoneType"], outcomes
