"""The users' inbox (``InboxRepository``), the same on every backend: memory, SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aquastream.domain.notifications.model import Category, Channel, InboxEntry, Language, Notice
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.paging import PageRequest

from .kit import NOW, NotificationKit


def an_entry(subject: str = "booking:1:confirmed", **fields: Any) -> InboxEntry:
    values: dict[str, Any] = {
        "id": new_id(),
        "user_id": new_id(),
        "category": Category.BOOKING_CONFIRMED,
        "subject": subject,
        "template": "booking_confirmed",
        "language": Language.RU,
        "title": "Бронь подтверждена «Вуокса»",
        "body": "Line one\nline {two} — 100%",
        "created_at": NOW,
    }
    values.update(fields)
    return InboxEntry(**values)


async def add(kit: NotificationKit, *entries: InboxEntry) -> list[InboxEntry]:
    async with kit.uow() as uow:
        written = await uow.inbox.add_new(entries)
        await uow.commit()
    return written


async def test_an_entry_keeps_every_field_as_written(kit: NotificationKit) -> None:
    full = an_entry(event_id=new_id(), booking_id=new_id(), language=Language.EN)
    bare = an_entry("news:1", category=Category.EVENT_NEWS, template=None, user_id=full.user_id)

    assert await add(kit, full, bare) == [full, bare]

    assert sorted(await kit.inbox(), key=lambda e: e.subject) == sorted([full, bare], key=lambda e: e.subject)


async def test_one_entry_per_user_category_and_subject(kit: NotificationKit) -> None:
    ann = new_id()
    first = an_entry(user_id=ann)
    twin = an_entry(user_id=ann)
    other_category = an_entry(user_id=ann, category=Category.BOOKING_STATUS)
    other_user = an_entry()

    assert await add(kit, first, twin, other_category) == [first, other_category]
    assert await add(kit, an_entry(user_id=ann), other_user) == [other_user]
    assert await add(kit) == []

    assert {e.id for e in await kit.inbox()} == {first.id, other_category.id, other_user.id}


async def test_who_was_told_of_a_subject(kit: NotificationKit) -> None:
    ann, bob = new_id(), new_id()
    reminder = Category.EVENT_REMINDER
    await add(
        kit,
        an_entry("event:e1:reminder:24h", user_id=ann, category=reminder),
        an_entry("event:e1:reminder:24h", user_id=bob, category=reminder),
        an_entry("event:e1:reminder:48h", user_id=bob, category=reminder),
        an_entry("event:e1:reminder:24h", category=Category.EVENT_NEWS),
    )

    async with kit.uow() as uow:
        assert await uow.inbox.users_told(reminder, "event:e1:reminder:24h") == {ann, bob}
        assert await uow.inbox.users_told(reminder, "event:e2:reminder:24h") == set()


async def test_a_users_inbox_is_paged_newest_first_then_by_id(kit: NotificationKit) -> None:
    ann = new_id()
    entries = [
        an_entry(f"news:{n}", user_id=ann, created_at=NOW + timedelta(minutes=n % 3)) for n in range(7)
    ]
    await add(kit, *entries, an_entry("news:bob"))
    newest_first = sorted(entries, key=lambda e: (e.created_at, e.id), reverse=True)

    async with kit.uow() as uow:
        pages = [await uow.inbox.page_for_user(ann, PageRequest(page=p, size=3)) for p in range(4)]

    assert [[e.id for e in page.items] for page in pages] == [
        [e.id for e in newest_first[0:3]],
        [e.id for e in newest_first[3:6]],
        [e.id for e in newest_first[6:7]],
        [],
    ]
    assert {(page.total, page.total_pages) for page in pages} == {(7, 3)}


async def test_marking_read_keeps_the_first_time_and_touches_only_the_owners_entry(
    kit: NotificationKit,
) -> None:
    ann, bob = new_id(), new_id()
    mine, other = an_entry("a", user_id=ann), an_entry("b", user_id=ann)
    bobs = an_entry("c", user_id=bob)
    await add(kit, mine, other, bobs)

    async with kit.uow() as uow:
        first = await uow.inbox.mark_read(ann, mine.id, now=NOW + timedelta(minutes=1))
        again = await uow.inbox.mark_read(ann, mine.id, now=NOW + timedelta(minutes=2))
        not_mine = await uow.inbox.mark_read(ann, bobs.id, now=NOW)
        unknown = await uow.inbox.mark_read(ann, new_id(), now=NOW)
        await uow.commit()

    read = NOW + timedelta(minutes=1)
    assert (first, again) == (InboxEntry(**{**_fields(mine), "read_at": read}),) * 2
    assert (not_mine, unknown) == (None, None)
    async with kit.uow() as uow:
        assert (await uow.inbox.unread_count(ann), await uow.inbox.unread_count(bob)) == (1, 1)


async def test_mark_all_read_marks_only_the_users_unread_entries(kit: NotificationKit) -> None:
    ann, bob = new_id(), new_id()
    read_before = an_entry("a", user_id=ann, read_at=NOW)
    await add(
        kit, read_before, an_entry("b", user_id=ann), an_entry("c", user_id=ann), an_entry("d", user_id=bob)
    )
    later = NOW + timedelta(hours=1)

    async with kit.uow() as uow:
        marked = await uow.inbox.mark_all_read(ann, now=later)
        marked_again = await uow.inbox.mark_all_read(ann, now=later)
        await uow.commit()

    assert (marked, marked_again) == (2, 0)
    read_times = {e.subject: e.read_at for e in await kit.inbox()}
    assert read_times == {"a": NOW, "b": later, "c": later, "d": None}
    async with kit.uow() as uow:
        assert (await uow.inbox.unread_count(ann), await uow.inbox.unread_count(bob)) == (0, 1)


async def test_a_users_entries_are_listed_and_deleted_with_no_one_elses(kit: NotificationKit) -> None:
    ann, bob = new_id(), new_id()
    old, new = an_entry("a", user_id=ann), an_entry("b", user_id=ann, created_at=NOW + timedelta(seconds=1))
    await add(kit, old, new, an_entry("c", user_id=bob))

    async with kit.uow() as uow:
        assert [e.id for e in await uow.inbox.list_for_user(ann)] == [new.id, old.id]
        assert await uow.inbox.delete_for_user(ann) == 2
        assert await uow.inbox.delete_for_user(ann) == 0
        await uow.commit()

    assert [e.user_id for e in await kit.inbox()] == [bob]


async def test_pruning_deletes_the_oldest_entries_before_the_limit_first(kit: NotificationKit) -> None:
    entries = [an_entry(f"news:{n}", created_at=NOW + timedelta(days=n)) for n in range(5)]
    await add(kit, *entries)
    before = NOW + timedelta(days=3)

    async with kit.uow() as uow:
        first = await uow.inbox.prune(before=before, limit=2)
        second = await uow.inbox.prune(before=before, limit=2)
        third = await uow.inbox.prune(before=before, limit=2)
        await uow.commit()

    assert (first, second, third) == (2, 1, 0)
    assert [e.subject for e in await kit.inbox()] == ["news:3", "news:4"]


async def test_a_user_no_channel_reaches_gets_the_fact_in_the_inbox_only(kit: NotificationKit) -> None:
    # Every account has an email; this one bounced for good, and no Telegram chat is verified.
    nowhere = await kit.add_person(email="gone@example.com", chat=42, verified=False)
    async with kit.uow() as uow:
        await uow.preferences.mark_unreachable(
            nowhere, Channel.EMAIL, "gone@example.com", reason="550 no such user", now=NOW
        )
        await uow.commit()
    event = await kit.add_event(nowhere)
    booking = new_id()
    notice = Notice(
        nowhere,
        Category.BOOKING_CONFIRMED,
        f"booking:{booking}:confirmed",
        "booking_confirmed",
        event.event_id,
        booking_id=booking,
    )

    assert await kit.notify(notice) == []
    assert await kit.notify(notice) == []

    assert await kit.messages() == []
    [entry] = await kit.inbox()
    assert (entry.user_id, entry.event_id, entry.booking_id, entry.read_at) == (
        nowhere,
        event.event_id,
        booking,
        None,
    )
    assert entry.title == "Бронь подтверждена: Rafting on Vuoksa"
    inbox = await kit.list_inbox()(nowhere, PageRequest())
    assert ([e.id for e in inbox.page.items], inbox.unread_count) == ([entry.id], 1)


def _fields(entry: InboxEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in InboxEntry.__dataclass_fields__}
