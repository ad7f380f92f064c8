"""Contract of idempotency keys (``ports.idempotency.RequestKeys``) as each keyed domain keeps
them, booking's and payments', in its own unit of work: memory, SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from pathlib import Path

import pytest

from aquastream.adapters.memory.booking import MemoryBookingUnitOfWork
from aquastream.adapters.memory.database import MemoryDatabase
from aquastream.adapters.memory.payments import MemoryPaymentsUnitOfWork
from aquastream.adapters.sql.booking import SqlBookingUnitOfWork
from aquastream.adapters.sql.payments import SqlPaymentsUnitOfWork
from aquastream.domain.shared.ids import new_id
from aquastream.ports.idempotency import KeyedUnitOfWork, KeyRecord, StoredResponse

from .conftest import RACERS, open_migrated_engine
from .factories import NOW

RETENTION = timedelta(hours=24)
ANSWER = StoredResponse(201, b'{"id": "first"}')

NewUow = Callable[[], KeyedUnitOfWork]


@pytest.fixture(
    params=[
        pytest.param((backend, domain), id=f"{backend}-{domain}", marks=marks)
        for backend, marks in (("memory", ()), ("sqlite", ()), ("postgres", pytest.mark.postgres))
        for domain in ("booking", "payments")
    ]
)
async def new_uow(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[NewUow]:
    backend, domain = request.param
    if backend == "memory":
        db = MemoryDatabase()
        memory = MemoryBookingUnitOfWork if domain == "booking" else MemoryPaymentsUnitOfWork
        yield lambda: memory(db)
        return
    engine = await open_migrated_engine(request, backend, tmp_path)
    sql = SqlBookingUnitOfWork if domain == "booking" else SqlPaymentsUnitOfWork
    try:
        yield lambda: sql(engine)
    finally:
        await engine.dispose()


async def _claim(
    new_uow: NewUow,
    user_id: uuid.UUID,
    key: str = "k",
    *,
    request_hash: str = "h",
    resource_id: uuid.UUID | None = None,
    at: timedelta = timedelta(0),
    answer: StoredResponse | None = ANSWER,
    commit: bool = True,
) -> KeyRecord | None:
    """One request's transaction: claim the key and, when it is ours, answer and commit."""
    async with new_uow() as uow:
        held = await uow.request_keys.claim(
            user_id,
            key,
            request_hash=request_hash,
            resource_id=resource_id or new_id(),
            now=NOW + at,
            retention=RETENTION,
        )
        if held is None and answer is not None:
            await uow.request_keys.answer(user_id, key, answer)
        if held is None and commit:
            await uow.commit()
    return held


async def test_the_first_request_holds_its_key_and_a_repeat_sees_its_answer(new_uow: NewUow) -> None:
    user_id, booking_id = new_id(), new_id()

    assert await _claim(new_uow, user_id, resource_id=booking_id) is None
    repeat = await _claim(new_uow, user_id, request_hash="h", at=timedelta(hours=1))

    assert repeat == KeyRecord("h", booking_id, ANSWER, NOW)


async def test_keys_belong_to_one_user(new_uow: NewUow) -> None:
    assert await _claim(new_uow, new_id()) is None
    assert await _claim(new_uow, new_id()) is None


async def test_a_key_whose_transaction_rolled_back_is_free_again(new_uow: NewUow) -> None:
    user_id = new_id()
    assert await _claim(new_uow, user_id, commit=False) is None

    assert await _claim(new_uow, user_id) is None


async def test_a_key_claimed_without_an_answer_yet_shows_none(new_uow: NewUow) -> None:
    user_id, payment_id = new_id(), new_id()
    assert await _claim(new_uow, user_id, resource_id=payment_id, answer=None) is None

    held = await _claim(new_uow, user_id)

    assert held == KeyRecord("h", payment_id, None, NOW)


async def test_a_key_past_its_retention_is_claimed_afresh(new_uow: NewUow) -> None:
    user_id = new_id()
    await _claim(new_uow, user_id)

    assert await _claim(new_uow, user_id, at=RETENTION - timedelta(seconds=1)) is not None
    assert await _claim(new_uow, user_id, request_hash="other", at=RETENTION) is None
    held = await _claim(new_uow, user_id, at=RETENTION + timedelta(hours=1))
    assert held is not None
    assert held.request_hash == "other"


async def test_a_released_key_is_free_again(new_uow: NewUow) -> None:
    user_id = new_id()
    await _claim(new_uow, user_id)
    async with new_uow() as uow:
        await uow.request_keys.release(user_id, "k")
        await uow.commit()

    assert await _claim(new_uow, user_id) is None


async def test_purge_deletes_keys_claimed_before_the_cut(new_uow: NewUow) -> None:
    user_id = new_id()
    await _claim(new_uow, user_id, "old")
    await _claim(new_uow, user_id, "new", at=timedelta(hours=2))

    async with new_uow() as uow:
        purged = await uow.request_keys.purge(older_than=NOW + timedelta(hours=1))
        await uow.commit()

    assert purged == 1
    assert await _claim(new_uow, user_id, "old", at=timedelta(hours=3)) is None
    assert await _claim(new_uow, user_id, "new", at=timedelta(hours=3)) is not None


async def test_concurrent_requests_with_one_key_wait_for_the_first_and_see_its_answer(
    new_uow: NewUow,
) -> None:
    """Of many racing transactions one claims the key; the others wait until it commits and
    are then shown its answer: none of them goes on as if the key were free."""
    user_id = new_id()

    async def request(number: int) -> KeyRecord | None:
        async with new_uow() as uow:
            held = await uow.request_keys.claim(
                user_id, "race", request_hash="h", resource_id=new_id(), now=NOW, retention=RETENTION
            )
            if held is None:
                await asyncio.sleep(0.05)  # the first request still works while the others arrive
                await uow.request_keys.answer(user_id, "race", StoredResponse(201, str(number).encode()))
                await uow.commit()
            return held

    outcomes = await asyncio.gather(*(request(number) for number in range(RACERS)))

    winners = [number for number, held in enumerate(outcomes) if held is None]
    assert len(winners) == 1
    answers = {held.response for held in outcomes if held is not None}
    assert answers == {StoredResponse(201, str(winners[0]).encode())}
