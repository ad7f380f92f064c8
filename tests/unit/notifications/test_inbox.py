"""The in-app inbox: every message a user receives is there, channel or not, once per fact;
the user pages through it, newest first, and marks messages read; old entries go."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from aquastream.domain.notifications.errors import NotificationNotFound, RecipientNotFound
from aquastream.domain.notifications.inbox import INBOX_PRUNE_BATCH_SIZE, InboxPolicy
from aquastream.domain.notifications.model import Category, Channel, Notice
from aquastream.domain.notifications.preferences import PreferenceChange
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.paging import PageRequest

from .world import NOW, World


def confirmed(
    user_id: uuid.UUID, event_id: uuid.UUID | None = None, booking: uuid.UUID | None = None
) -> Notice:
    booking = booking or new_id()
    return Notice(
        user_id,
        Category.BOOKING_CONFIRMED,
        f"booking:{booking}:confirmed",
        "booking_confirmed",
        event_id,
        booking_id=booking,
    )


def news(user_id: uuid.UUID, text: str = "Hi") -> Notice:
    return Notice(user_id, Category.EVENT_NEWS, f"news:{new_id()}", "event_news", None, {"text": text})


async def test_a_message_sent_out_is_also_in_the_inbox_unread_with_the_same_text(world: World) -> None:
    ann = world.person()
    event, booking = world.event(), new_id()

    [message] = await world.notify(confirmed(ann, event.event_id, booking))

    [entry] = world.inbox()
    assert (entry.id, entry.user_id, entry.category, entry.subject) == (
        message.id,
        ann,
        Category.BOOKING_CONFIRMED,
        message.subject,
    )
    assert (entry.title, entry.body, entry.language) == (message.title, message.body, message.language)
    assert (entry.template, entry.event_id, entry.booking_id) == (
        "booking_confirmed",
        event.event_id,
        booking,
    )
    assert (entry.created_at, entry.read_at) == (NOW, None)


async def test_a_user_no_channel_reaches_still_finds_the_message_in_the_inbox(world: World) -> None:
    nowhere = world.person(email=None)

    written = await world.notify(confirmed(nowhere, world.event().event_id))

    assert written == []
    assert world.messages() == []
    [entry] = world.inbox()
    assert entry.user_id == nowhere
    assert entry.title == "Бронь подтверждена: Rafting on the Msta"


async def test_a_category_switched_off_on_every_channel_is_in_the_inbox_only(world: World) -> None:
    ann = world.person(chat=77)
    await world.update_preferences()(
        ann, PreferenceChange(switches={Category.EVENT_NEWS: {Channel.TELEGRAM: False, Channel.EMAIL: False}})
    )

    assert await world.notify(news(ann, "Meet at the pier")) == []

    assert [(e.category, e.body) for e in world.inbox()] == [(Category.EVENT_NEWS, "Meet at the pier")]


async def test_a_user_marked_unreachable_on_their_only_channel_still_gets_the_inbox_entry(
    world: World,
) -> None:
    ann = world.person(email=None, chat=555)
    async with world.uow() as uow:
        await uow.preferences.mark_unreachable(ann, Channel.TELEGRAM, "555", reason="403", now=NOW)
        await uow.commit()

    assert await world.notify(confirmed(ann)) == []
    assert len(world.inbox()) == 1


async def test_unknown_blocked_or_deleted_users_have_no_inbox_entry(world: World) -> None:
    assert await world.notify(confirmed(new_id())) == []

    assert world.inbox() == []


async def test_the_same_fact_delivered_twice_is_one_entry_and_one_message(world: World) -> None:
    ann = world.person()
    notice = confirmed(ann)

    await world.notify(notice)
    again = await world.notify(notice, notice)

    assert again == []
    assert (len(world.inbox()), len(world.messages())) == (1, 1)


async def test_a_fact_delivered_again_after_a_channel_appeared_is_not_sent_a_second_time(
    world: World,
) -> None:
    ann = world.person(email=None)
    notice = confirmed(ann)
    await world.notify(notice)
    world.link_chat(ann, 4242)

    assert await world.notify(notice) == []

    assert (len(world.inbox()), world.messages()) == (1, [])


async def test_the_inbox_is_paged_newest_first_with_the_unread_count_of_all_of_it(world: World) -> None:
    ann, bob = world.person(), world.person(email="bob@example.com")
    for minute in range(5):
        world.clock.advance(timedelta(minutes=1))
        await world.notify(news(ann, f"news {minute}"))
    await world.notify(news(bob, "for bob"))

    first = await world.list_inbox()(ann, PageRequest(page=0, size=2))
    last = await world.list_inbox()(ann, PageRequest(page=2, size=2))

    assert [e.body for e in first.page.items] == ["news 4", "news 3"]
    assert [e.body for e in last.page.items] == ["news 0"]
    assert (first.page.total, first.page.total_pages, first.unread_count) == (5, 3, 5)


async def test_entries_of_the_same_moment_keep_one_order_across_pages(world: World) -> None:
    ann = world.person()
    await world.notify(*(news(ann, f"news {n}") for n in range(4)))

    pages = [await world.list_inbox()(ann, PageRequest(page=p, size=2)) for p in (0, 1)]

    seen = [e.id for inbox in pages for e in inbox.page.items]
    assert seen == sorted(seen, reverse=True)


async def test_an_empty_inbox_is_an_empty_page(world: World) -> None:
    inbox = await world.list_inbox()(world.person(), PageRequest())

    assert (list(inbox.page.items), inbox.page.total, inbox.unread_count) == ([], 0, 0)


async def test_marking_read_is_idempotent_and_keeps_the_first_time(world: World) -> None:
    ann = world.person()
    await world.notify(confirmed(ann), confirmed(ann))
    entry = world.inbox()[0]

    first = await world.mark_read()(ann, entry.id)
    world.clock.advance(timedelta(hours=1))
    again = await world.mark_read()(ann, entry.id)

    assert (first.entry.read_at, first.unread_count) == (NOW, 1)
    assert (again.entry.read_at, again.unread_count) == (NOW, 1)
    assert (await world.list_inbox()(ann, PageRequest())).unread_count == 1


async def test_someone_elses_or_an_unknown_notification_is_not_found(world: World) -> None:
    ann, bob = world.person(), world.person(email="bob@example.com")
    await world.notify(confirmed(bob))
    bobs = world.inbox()[0]

    with pytest.raises(NotificationNotFound):
        await world.mark_read()(ann, bobs.id)
    with pytest.raises(NotificationNotFound):
        await world.mark_read()(ann, new_id())

    assert world.inbox()[0].read_at is None


async def test_mark_all_read_marks_only_the_callers_unread_entries(world: World) -> None:
    ann, bob = world.person(), world.person(email="bob@example.com")
    await world.notify(confirmed(ann), confirmed(ann), confirmed(ann), confirmed(bob))
    read_before = (await world.list_inbox()(ann, PageRequest())).page.items[0]
    await world.mark_read()(ann, read_before.id)
    world.clock.advance(timedelta(minutes=5))

    done = await world.mark_all_read()(ann)
    again = await world.mark_all_read()(ann)

    assert (done.marked, done.unread_count) == (2, 0)
    assert (again.marked, again.unread_count) == (0, 0)
    by_id = {e.id: e for e in world.inbox()}
    assert by_id[read_before.id].read_at == NOW
    assert {e.read_at for e in world.inbox() if e.user_id == ann and e.id != read_before.id} == {
        NOW + timedelta(minutes=5)
    }
    assert (await world.list_inbox()(bob, PageRequest())).unread_count == 1


async def test_entries_past_the_retention_period_are_pruned_oldest_first_read_or_not(world: World) -> None:
    ann = world.person()
    await world.notify(news(ann, "old"))
    await world.mark_all_read()(ann)
    world.clock.advance(timedelta(days=10))
    await world.notify(news(ann, "recent"))
    world.clock.advance(timedelta(days=20, seconds=1))

    pruned = await world.prune_inbox(InboxPolicy(retention=timedelta(days=30)))()

    assert pruned == 1
    assert [e.body for e in world.inbox()] == ["recent"]


async def test_pruning_goes_in_bounded_batches(world: World) -> None:
    ann = world.person()
    await world.notify(*(news(ann) for _ in range(INBOX_PRUNE_BATCH_SIZE + 5)))
    world.clock.advance(timedelta(days=200))

    assert await world.prune_inbox()() == INBOX_PRUNE_BATCH_SIZE
    assert await world.prune_inbox()() == 5
    assert await world.prune_inbox()() == 0


async def test_a_reminder_reaches_the_inbox_of_a_participant_no_channel_reaches_once(world: World) -> None:
    nowhere = world.person(email=None)
    event = world.event(nowhere, starts_in=timedelta(hours=10))

    assert await world.remind()() == 0
    assert await world.remind()() == 0

    assert [(e.subject, e.user_id) for e in world.inbox()] == [
        (f"event:{event.event_id}:reminder:24h", nowhere)
    ]


async def test_news_counts_whom_a_channel_reaches_and_is_in_every_participants_inbox(world: World) -> None:
    ann, nowhere = world.person(), world.person(email=None)
    event = world.event(ann, nowhere)

    posted = await world.post_news()(world.organizer, event.event_id, "Meet at the pier at 9.")

    assert posted.recipients == 1
    assert sorted(e.user_id for e in world.inbox()) == sorted([ann, nowhere])


async def test_a_test_message_no_channel_can_carry_leaves_no_inbox_entry(world: World) -> None:
    with pytest.raises(RecipientNotFound):
        await world.test_message()(world.person(email=None), "ping")

    assert world.inbox() == []
