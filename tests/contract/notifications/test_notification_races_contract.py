"""Real races on the SQL backends: many transactions at once on the same message or switches.

On PostgreSQL the racers first meet at a barrier inside their transactions, so that their
statements truly collide (an engine pool of 20 + 20 connections); on SQLite the writers take
turns (``BEGIN IMMEDIATE``), so the barrier is left out. Figures are printed (``-s``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from aquastream.domain.notifications.model import (
    OPTIONAL_CATEGORIES,
    Category,
    Channel,
    MessageStatus,
    Notice,
)
from aquastream.domain.shared.ids import new_id

from .kit import NotificationKit
from .test_messages_contract import LEASE, a_message

RACERS = 20

AllIn = Callable[[], Awaitable[None]]


def report(kit: NotificationKit, scenario: str, **figures: Any) -> None:
    shown = ", ".join(f"{name}={value}" for name, value in figures.items())
    print(f"\n[race {kit.name}] {scenario}: {shown}")


async def race(
    kit: NotificationKit, attempt: Callable[[AllIn], Awaitable[Any]], racers: int = RACERS
) -> list[Any]:
    barrier = asyncio.Barrier(racers)

    async def all_in() -> None:
        if not kit.one_writer_at_a_time:
            await barrier.wait()

    async with asyncio.timeout(60):
        return list(await asyncio.gather(*(attempt(all_in) for _ in range(racers))))


async def test_twenty_writers_of_the_same_user_category_and_subject_leave_one_message(
    racing: NotificationKit,
) -> None:
    user_id = new_id()

    async def write(all_in: AllIn) -> bool:
        async with racing.uow() as uow:
            await all_in()
            added = await uow.messages.add(a_message("booking:b1:confirmed", user_id=user_id))
            await uow.commit()
        return added

    started = time.perf_counter()
    outcomes = await race(racing, write)
    elapsed = time.perf_counter() - started

    stored = await racing.messages()
    report(racing, "20 writers of one key", written=sum(outcomes), rows=len(stored), seconds=f"{elapsed:.2f}")
    assert sum(outcomes) == 1
    assert len(stored) == 1


async def test_an_event_delivered_to_twenty_workers_at_once_is_one_message(racing: NotificationKit) -> None:
    ann = await racing.add_person(chat=42)
    event = await racing.add_event(ann)
    notice = Notice(
        ann, Category.BOOKING_CONFIRMED, "booking:b1:confirmed", "booking_confirmed", event.event_id
    )

    written = await asyncio.gather(*(racing.notify(notice) for _ in range(RACERS)))

    stored = await racing.messages()
    report(racing, "20 deliveries of one fact", written=sum(map(len, written)), rows=len(stored))
    assert sum(map(len, written)) == 1
    assert len(stored) == 1


async def test_reminder_sweeps_on_many_workers_at_once_remind_each_participant_once(
    racing: NotificationKit,
) -> None:
    participants = [await racing.add_person() for _ in range(10)]
    event = await racing.add_event(*participants, starts_in=timedelta(hours=30))

    written = await asyncio.gather(*(racing.remind()() for _ in range(10)))

    stored = await racing.messages()
    report(racing, "10 reminder sweeps over 10 participants", written=sum(written), rows=len(stored))
    assert sum(written) == len(stored) == 10
    assert {m.subject for m in stored} == {f"event:{event.event_id}:reminder:48h"}
    assert sorted(m.user_id for m in stored) == sorted(participants)


async def test_concurrent_senders_claim_disjoint_batches(racing: NotificationKit) -> None:
    batch = 10
    queued = [a_message(f"s:{n}") for n in range(RACERS * batch)]
    async with racing.uow() as uow:
        for message in queued:
            await uow.messages.add(message)
        await uow.commit()

    async def claim(all_in: AllIn) -> list[Any]:
        async with racing.uow() as uow:
            await all_in()
            claimed = await uow.messages.claim_due(now=racing.clock.now(), limit=batch, lease=LEASE)
            await uow.commit()
        return [m.id for m in claimed]

    started = time.perf_counter()
    batches = await race(racing, claim)
    elapsed = time.perf_counter() - started

    claimed = [message_id for ids in batches for message_id in ids]
    report(
        racing,
        "20 senders claim 10 of 200 each",
        claimed=len(claimed),
        distinct=len(set(claimed)),
        seconds=f"{elapsed:.2f}",
    )
    assert len(claimed) == len(set(claimed)) == len(queued)
    assert {m.attempts for m in await racing.messages()} == {1}


async def test_concurrent_send_jobs_deliver_every_message_exactly_once(racing: NotificationKit) -> None:
    ann = await racing.add_person()
    total = 60
    await racing.notify(
        *(
            Notice(ann, Category.TEST, f"test:{n}", "admin_test", params={"text": str(n)})
            for n in range(total)
        )
    )

    async def drain() -> None:
        while await racing.send()():
            pass

    await asyncio.gather(*(drain() for _ in range(5)))

    sent = [m.id for m in racing.channel.sent]
    stored = await racing.messages()
    report(racing, "5 send jobs drain 60 messages", sent=len(sent), distinct=len(set(sent)))
    assert len(sent) == len(set(sent)) == total
    assert {(m.status, m.attempts) for m in stored} == {(MessageStatus.SENT, 1)}


async def test_concurrent_switches_of_one_user_all_take_effect(racing: NotificationKit) -> None:
    user_id = new_id()
    switches = [(category, channel) for category in OPTIONAL_CATEGORIES for channel in Channel]
    pending = list(switches)

    async def switch_off(all_in: AllIn) -> None:
        category, channel = pending.pop()
        async with racing.uow() as uow:
            await all_in()
            await uow.preferences.switch(user_id, category, channel, on=False)
            await uow.commit()

    await race(racing, switch_off, racers=len(switches))

    async with racing.uow() as uow:
        preferences = await uow.preferences.get(user_id)
    report(racing, "9 switches at once", switched_off=len(preferences.switched_off))
    assert preferences.switched_off == frozenset(switches)
