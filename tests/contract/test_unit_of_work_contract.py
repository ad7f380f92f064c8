"""Contract of every unit of work: one transaction per ``async with``, events to the outbox on commit."""

from __future__ import annotations

from datetime import timedelta

import msgspec
import pytest

from aquastream.domain.identity.events import UserBlocked, UserRegistered
from aquastream.domain.shared.events import decode_event

from .conftest import Backend
from .factories import NOW, a_user

LATER = NOW + timedelta(hours=1)


async def test_changes_without_commit_are_rolled_back(backend: Backend) -> None:
    user = a_user()
    async with backend.identity_uow() as uow:
        await uow.users.add(user)

    async with backend.identity_uow() as uow:
        assert await uow.users.get(user.id) is None


async def test_an_error_inside_the_unit_of_work_rolls_it_back(backend: Backend) -> None:
    user = a_user()

    async def failing_use_case() -> None:
        async with backend.identity_uow() as uow:
            await uow.users.add(user)
            raise LookupError("the use case failed")

    with pytest.raises(LookupError):
        await failing_use_case()

    async with backend.identity_uow() as uow:
        assert await uow.users.get(user.id) is None


async def test_committed_changes_are_seen_by_the_next_unit_of_work(backend: Backend) -> None:
    user = a_user()
    async with backend.identity_uow() as uow:
        await uow.users.add(user)
        await uow.commit()

    async with backend.identity_uow() as uow:
        assert await uow.users.get(user.id) == user


async def test_commit_writes_collected_events_to_the_outbox(backend: Backend) -> None:
    user = a_user()
    registered = UserRegistered(occurred_at=NOW, user_id=user.id, email=user.email)
    blocked = UserBlocked(occurred_at=NOW + timedelta(seconds=1), user_id=user.id)
    async with backend.identity_uow() as uow:
        await uow.users.add(user)
        uow.collect(registered, blocked)
        await uow.commit()

    messages = await backend.outbox.lease(now=LATER, limit=10, lease=timedelta(minutes=1))
    assert [(m.id, m.event_name, m.created_at) for m in messages] == [
        (registered.message_id, "UserRegistered", NOW),
        (blocked.message_id, "UserBlocked", NOW + timedelta(seconds=1)),
    ]
    assert [decode_event(m.event_name, m.payload) for m in messages] == [registered, blocked]
    assert msgspec.json.decode(messages[0].payload)["email"] == user.email


async def test_events_of_an_uncommitted_unit_of_work_are_dropped(backend: Backend) -> None:
    user = a_user()
    async with backend.identity_uow() as uow:
        await uow.users.add(user)
        uow.collect(UserRegistered(occurred_at=NOW, user_id=user.id, email=user.email))

    assert await backend.outbox.pending() == 0
    assert await backend.outbox.lease(now=LATER, limit=10, lease=timedelta(minutes=1)) == []


async def test_a_unit_of_work_entered_again_starts_a_new_transaction(backend: Backend) -> None:
    first, second = a_user(), a_user()
    uow = backend.identity_uow()
    async with uow:
        await uow.users.add(first)
        uow.collect(UserRegistered(occurred_at=NOW, user_id=first.id, email=first.email))
    async with uow:
        await uow.users.add(second)
        await uow.commit()

    async with uow:
        assert await uow.users.get(first.id) is None
        assert await uow.users.get(second.id) == second
    assert await backend.outbox.pending() == 0


async def test_changes_after_a_commit_need_a_commit_of_their_own(backend: Backend) -> None:
    kept, dropped = a_user(), a_user()
    async with backend.identity_uow() as uow:
        await uow.users.add(kept)
        await uow.commit()
        await uow.users.add(dropped)

    async with backend.identity_uow() as uow:
        assert await uow.users.get(kept.id) == kept
        assert await uow.users.get(dropped.id) is None
