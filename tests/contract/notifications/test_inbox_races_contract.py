"""Real races on the SQL backends over one user's inbox: many marks at once, with new messages
arriving, leave the unread count exact (see ``test_notification_races_contract`` for how the
racers meet)."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta

from aquastream.domain.notifications.model import Category, InboxEntry
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.paging import PageRequest

from .kit import NOW, NotificationKit
from .test_inbox_contract import add, an_entry
from .test_notification_races_contract import RACERS, AllIn, race, report


def news(user_id: uuid.UUID, n: int) -> InboxEntry:
    return an_entry(f"news:{n}:{new_id()}", user_id=user_id, category=Category.EVENT_NEWS)


async def test_concurrent_reads_of_single_messages_and_new_arrivals_keep_the_unread_count_exact(
    racing: NotificationKit,
) -> None:
    ann = new_id()
    held = [news(ann, n) for n in range(30)]
    await add(racing, *held)
    to_read = held[:10]
    # Each of the ten is marked by two racers at once; four more racers bring new messages.
    jobs: list[Callable[[AllIn], Awaitable[int]]] = []
    for entry in to_read * 2:
        jobs.append(lambda all_in, entry_id=entry.id: _mark_read(racing, ann, entry_id, all_in))
    for n in range(RACERS - len(jobs)):
        jobs.append(lambda all_in, n=n: _arrive(racing, news(ann, 100 + n), all_in))
    queue = iter(jobs)

    counts = await race(racing, lambda all_in: next(queue)(all_in))

    arrived = RACERS - 2 * len(to_read)
    entries = await racing.inbox()
    inbox = await racing.list_inbox()(ann, PageRequest())
    report(racing, "20 marks and arrivals on one inbox", unread=inbox.unread_count, counts=sorted(counts))
    assert inbox.unread_count == len(held) - len(to_read) + arrived
    assert {e.id for e in entries if e.read_at is not None} == {e.id for e in to_read}
    assert {e.read_at for e in entries if e.read_at is not None} == {NOW}
    # Every answer a racer got was a true count at some moment of the race.
    assert all(len(held) - len(to_read) <= count <= len(held) + arrived for count in counts)


async def test_concurrent_read_alls_mark_each_message_once(racing: NotificationKit) -> None:
    ann, bob = new_id(), new_id()
    await add(racing, *(news(ann, n) for n in range(40)), *(news(bob, n) for n in range(3)))
    racing.clock.advance(timedelta(minutes=1))
    moments = itertools.count()

    async def read_all(all_in: AllIn) -> int:
        async with racing.uow() as uow:
            await all_in()
            marked = await uow.inbox.mark_all_read(ann, now=NOW + timedelta(seconds=next(moments)))
            await uow.commit()
        return marked

    marked = await race(racing, read_all)

    report(racing, "20 read-alls of one inbox", marked=sum(marked))
    # Each message was counted by exactly one of the racers: none twice, none lost.
    assert sum(marked) == 40
    async with racing.uow() as uow:
        assert (await uow.inbox.unread_count(ann), await uow.inbox.unread_count(bob)) == (0, 3)
    assert all(e.read_at is not None for e in await racing.inbox() if e.user_id == ann)


async def _mark_read(kit: NotificationKit, user_id: uuid.UUID, entry_id: uuid.UUID, all_in: AllIn) -> int:
    async with kit.uow() as uow:
        await all_in()
        entry = await uow.inbox.mark_read(user_id, entry_id, now=NOW)
        assert entry is not None
        unread = await uow.inbox.unread_count(user_id)
        await uow.commit()
    return unread


async def _arrive(kit: NotificationKit, entry: InboxEntry, all_in: AllIn) -> int:
    async with kit.uow() as uow:
        await all_in()
        assert await uow.inbox.add_new([entry]) == [entry]
        unread = await uow.inbox.unread_count(entry.user_id)
        await uow.commit()
    return unread
