"""Booking's participant directory answers from identity's data alike on every backend."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta

import pytest

from aquastream.adapters.memory.identity import MemoryIdentityParticipantDirectory
from aquastream.adapters.sql.booking import SqlBookingUnitOfWork
from aquastream.adapters.sql.identity.directory import IdentityParticipantDirectory
from aquastream.domain.identity.model import Profile, User
from aquastream.ports.booking import ParticipantDirectory
from tests.contract.conftest import Backend
from tests.contract.factories import NOW, a_user


@pytest.fixture
def directory(backend: Backend) -> Callable[[], object]:
    """Opens the directory while booking's transaction is open: served by identity on its own
    connection, it neither needs nor waits for booking's."""

    @asynccontextmanager
    async def open_directory() -> AsyncIterator[ParticipantDirectory]:
        if backend.memory is not None:
            yield MemoryIdentityParticipantDirectory(backend.memory)
            return
        assert backend.engine is not None
        async with SqlBookingUnitOfWork(backend.engine):
            yield IdentityParticipantDirectory(backend.engine)

    return open_directory


async def _person(
    backend: Backend, *, phone: str | None = None, telegram: str | None = None, **user: object
) -> User:
    person = a_user(**user)  # type: ignore[arg-type]
    async with backend.identity_uow() as uow:
        await uow.users.add(person)
        await uow.profiles.add(
            Profile(user_id=person.id, updated_at=NOW, phone=phone, telegram=telegram, first_name="Anna")
        )
        await uow.commit()
    return person


async def test_a_phone_or_a_telegram_handle_makes_a_user_contactable(backend: Backend, directory) -> None:  # type: ignore[no-untyped-def]
    with_phone = await _person(backend, phone="+79001234567")
    with_telegram = await _person(backend, telegram="@anna_rafts")
    with_neither = await _person(backend)
    blocked = await _person(backend, phone="+79001234568", is_active=False)
    deleted = await _person(backend, phone="+79001234569", deleted_at=NOW + timedelta(days=1))
    async with directory() as participants:
        assert await participants.is_contactable(with_phone.id)
        assert await participants.is_contactable(with_telegram.id)
        assert not await participants.is_contactable(with_neither.id)
        assert not await participants.is_contactable(blocked.id)
        assert not await participants.is_contactable(deleted.id)
        assert not await participants.is_contactable(a_user().id)


async def test_contacts_of_known_users_only(backend: Backend, directory) -> None:  # type: ignore[no-untyped-def]
    anna = await _person(backend, phone="+79001234567", telegram="@anna_rafts")
    stranger = a_user()
    async with directory() as participants:
        found = await participants.contacts([anna.id, stranger.id])
        assert await participants.contacts([]) == {}
    assert list(found) == [anna.id]
    contact = found[anna.id]
    assert (contact.email, contact.first_name, contact.phone, contact.telegram) == (
        anna.email,
        "Anna",
        "+79001234567",
        "@anna_rafts",
    )
