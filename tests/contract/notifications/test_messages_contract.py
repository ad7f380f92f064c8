"""The message outbox and the preferences, the same on every backend."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from aquastream.domain.notifications.model import (
    Category,
    Channel,
    Language,
    Message,
    MessageStatus,
    Preferences,
)
from aquastream.domain.shared.ids import new_id

from .kit import NOW, NotificationKit

LEASE = timedelta(minutes=5)


def a_message(subject: str = "booking:1:confirmed", **fields: object) -> Message:
    values: dict[str, object] = {
        "id": new_id(),
        "user_id": new_id(),
        "category": Category.BOOKING_CONFIRMED,
        "subject": subject,
        "channel": Channel.TELEGRAM,
        "address": "123456789",
        "language": Language.EN,
        "title": "Бронь подтверждена «Вуокса»",
        "body": "Line one\nline {two} — 100%",
        "created_at": NOW,
        "next_attempt_at": NOW,
    }
    values.update(fields)
    return Message(**values)  # type: ignore[arg-type]


async def add(kit: NotificationKit, *all_messages: Message) -> list[bool]:
    async with kit.uow() as uow:
        added = [await uow.messages.add(message) for message in all_messages]
        await uow.commit()
    return added


async def claim(kit: NotificationKit, *, limit: int = 10, at: timedelta = timedelta(0)) -> list[Message]:
    async with kit.uow() as uow:
        claimed = await uow.messages.claim_due(now=NOW + at, limit=limit, lease=LEASE)
        await uow.commit()
    return claimed


async def test_a_message_round_trips_every_field(kit: NotificationKit) -> None:
    message = a_message()

    assert await add(kit, message) == [True]

    async with kit.uow() as uow:
        assert await uow.messages.get(message.id) == message
        assert await uow.messages.get(new_id()) is None


async def test_one_message_per_user_category_and_subject(kit: NotificationKit) -> None:
    first = a_message()
    same_key = a_message(user_id=first.user_id, body="other text")
    other_category = a_message(user_id=first.user_id, category=Category.BOOKING_STATUS)
    other_user = a_message()

    assert await add(kit, first, same_key, other_category, other_user) == [True, False, True, True]
    assert {m.id for m in await kit.messages()} == {first.id, other_category.id, other_user.id}


async def test_messages_added_together_are_written_unless_their_key_is_taken(kit: NotificationKit) -> None:
    taken = a_message()
    await add(kit, taken)
    fresh, again, other = a_message(), a_message(user_id=taken.user_id), a_message(subject="other")
    twin = a_message(user_id=fresh.user_id, body="the same key as fresh")

    async with kit.uow() as uow:
        assert await uow.messages.add_new([fresh, again, twin, other]) == [fresh, other]
        assert await uow.messages.add_new([]) == []
        await uow.commit()

    assert {m.id for m in await kit.messages()} == {taken.id, fresh.id, other.id}


async def test_a_rolled_back_message_is_not_kept(kit: NotificationKit) -> None:
    async with kit.uow() as uow:
        await uow.messages.add(a_message())

    assert await kit.messages() == []


async def test_claiming_takes_due_pending_messages_oldest_first_and_counts_the_attempt(
    kit: NotificationKit,
) -> None:
    later = a_message("s:later", next_attempt_at=NOW + timedelta(seconds=2))
    oldest = a_message("s:oldest", next_attempt_at=NOW - timedelta(seconds=5))
    middle = a_message("s:middle", next_attempt_at=NOW - timedelta(seconds=1))
    future = a_message("s:future", next_attempt_at=NOW + timedelta(hours=1))
    sent = a_message("s:sent", status=MessageStatus.SENT, sent_at=NOW)
    failed = a_message("s:failed", status=MessageStatus.FAILED)
    await add(kit, later, oldest, middle, future, sent, failed)

    claimed = await claim(kit, limit=2, at=timedelta(seconds=2))
    assert [m.id for m in claimed] == [oldest.id, middle.id]
    assert [m.attempts for m in claimed] == [1, 1]
    assert [m.id for m in await claim(kit, at=timedelta(seconds=2))] == [later.id]
    assert await claim(kit, at=timedelta(seconds=3)) == []


async def test_a_lease_keeps_others_off_until_it_lapses(kit: NotificationKit) -> None:
    message = a_message()
    await add(kit, message)

    assert len(await claim(kit)) == 1
    assert await claim(kit, at=LEASE - timedelta(seconds=1)) == []
    [again] = await claim(kit, at=LEASE)
    assert again.attempts == 2


async def test_marking_the_outcome_of_an_attempt(kit: NotificationKit) -> None:
    retried, sent, failed = a_message("s:1"), a_message("s:2"), a_message("s:3")
    await add(kit, retried, sent, failed)
    await claim(kit)
    retry_at = NOW + timedelta(minutes=1)

    async with kit.uow() as uow:
        await uow.messages.mark_retry(retried.id, error="Telegram error 502", retry_at=retry_at)
        await uow.messages.mark_sent(sent.id, now=NOW)
        await uow.messages.mark_failed(failed.id, error="SMTPRecipientsRefused")
        await uow.commit()

    stored = {m.id: m for m in await kit.messages()}
    assert stored[retried.id] == replace(
        retried, attempts=1, last_error="Telegram error 502", next_attempt_at=retry_at
    )
    assert stored[sent.id] == replace(sent, attempts=1, status=MessageStatus.SENT, sent_at=NOW)
    assert stored[failed.id] == replace(
        failed, attempts=1, status=MessageStatus.FAILED, last_error="SMTPRecipientsRefused"
    )
    # A retried message is due again at once when its retry time comes, lease or not.
    assert [m.id for m in await claim(kit, at=timedelta(minutes=1))] == [retried.id]


async def test_a_postponed_message_gets_its_attempt_back_and_is_due_when_told(kit: NotificationKit) -> None:
    held, other = a_message("s:1"), a_message("s:2")
    await add(kit, held, other)
    await claim(kit)
    until = NOW + timedelta(seconds=7)

    async with kit.uow() as uow:
        await uow.messages.postpone(held.id, until=until)
        await uow.commit()

    stored = {m.id: m for m in await kit.messages()}
    assert stored[held.id] == replace(held, attempts=0, next_attempt_at=until)
    assert stored[other.id].attempts == 1
    assert await claim(kit, at=timedelta(seconds=6)) == []
    [again] = await claim(kit, at=timedelta(seconds=7))
    assert (again.id, again.attempts) == (held.id, 1)


async def test_a_rerouted_message_is_due_at_once_on_its_new_channel_with_attempts_afresh(
    kit: NotificationKit,
) -> None:
    moved, other = a_message("s:1"), a_message("s:2")
    await add(kit, moved, other)
    await claim(kit)
    later = NOW + timedelta(minutes=1)

    async with kit.uow() as uow:
        await uow.messages.reroute(
            moved.id, channel=Channel.EMAIL, address="ann@example.com", error="RecipientGone: 403", now=later
        )
        await uow.commit()

    stored = {m.id: m for m in await kit.messages()}
    assert stored[moved.id] == replace(
        moved,
        channel=Channel.EMAIL,
        address="ann@example.com",
        attempts=0,
        last_error="RecipientGone: 403",
        next_attempt_at=later,
    )
    assert stored[other.id].channel is Channel.TELEGRAM
    # Its lease is released: due at ``now``, whatever the lease said.
    [again] = await claim(kit, at=timedelta(minutes=1))
    assert (again.id, again.attempts) == (moved.id, 1)


async def test_an_unreachable_address_is_marked_replaced_and_lifted_per_channel(kit: NotificationKit) -> None:
    ann, bob = new_id(), new_id()
    async with kit.uow() as uow:
        await uow.preferences.mark_unreachable(ann, Channel.TELEGRAM, "555", reason="403 blocked", now=NOW)
        await uow.preferences.mark_unreachable(ann, Channel.TELEGRAM, "556", reason="403 blocked", now=NOW)
        await uow.preferences.mark_unreachable(ann, Channel.SMS, "+79991234567", reason="gone", now=NOW)
        await uow.preferences.mark_unreachable(bob, Channel.TELEGRAM, "777", reason="400 chat", now=NOW)
        await uow.commit()

    async with kit.uow() as uow:
        assert (await uow.preferences.get(ann)).unreachable == frozenset(
            {(Channel.TELEGRAM, "556"), (Channel.SMS, "+79991234567")}
        )
        many = await uow.preferences.get_many([ann, bob])
        assert many[bob] == Preferences(bob, unreachable=frozenset({(Channel.TELEGRAM, "777")}))
        assert await uow.preferences.clear_unreachable(ann, Channel.TELEGRAM) is True
        assert await uow.preferences.clear_unreachable(ann, Channel.TELEGRAM) is False
        assert await uow.preferences.clear_unreachable(ann, Channel.EMAIL) is False
        await uow.commit()

    async with kit.uow() as uow:
        assert (await uow.preferences.get(ann)).unreachable == frozenset({(Channel.SMS, "+79991234567")})
        await uow.preferences.delete_for_user(ann)
        await uow.commit()

    async with kit.uow() as uow:
        assert await uow.preferences.get(ann) == Preferences(ann)
        assert (await uow.preferences.get(bob)).unreachable_channels() == [Channel.TELEGRAM]


async def test_pending_messages_are_counted_per_channel(kit: NotificationKit) -> None:
    await add(
        kit,
        a_message("s:due"),
        a_message("s:retrying", next_attempt_at=NOW + timedelta(minutes=5), attempts=2),
        a_message("s:email", channel=Channel.EMAIL),
        a_message("s:sent", status=MessageStatus.SENT, sent_at=NOW),
        a_message("s:failed", channel=Channel.SMS, status=MessageStatus.FAILED),
    )
    await claim(kit)  # a message out with a sender is still pending until its outcome is marked

    async with kit.uow() as uow:
        pending = await uow.messages.pending_by_channel()

    assert dict(pending) == {Channel.TELEGRAM: 2, Channel.EMAIL: 1}


async def test_preferences_default_and_change_one_switch_at_a_time(kit: NotificationKit) -> None:
    user_id = new_id()
    async with kit.uow() as uow:
        assert await uow.preferences.get(user_id) == Preferences(user_id)
        await uow.preferences.switch(user_id, Category.EVENT_NEWS, Channel.SMS, on=False)
        await uow.preferences.switch(user_id, Category.EVENT_NEWS, Channel.SMS, on=False)
        await uow.preferences.switch(user_id, Category.CREW_ASSIGNMENT, Channel.EMAIL, on=False)
        await uow.preferences.switch(user_id, Category.CREW_ASSIGNMENT, Channel.EMAIL, on=True)
        await uow.preferences.switch(user_id, Category.WAITLIST_AVAILABLE, Channel.EMAIL, on=True)
        await uow.preferences.set_language(user_id, Language.EN, now=NOW)
        await uow.preferences.set_language(user_id, Language.EN, now=NOW)
        await uow.commit()

    async with kit.uow() as uow:
        assert await uow.preferences.get(user_id) == Preferences(
            user_id, Language.EN, frozenset({(Category.EVENT_NEWS, Channel.SMS)})
        )
        assert await uow.preferences.get(new_id()) != await uow.preferences.get(user_id)
        stranger = new_id()
        assert await uow.preferences.get_many([user_id, stranger]) == {
            user_id: await uow.preferences.get(user_id),
            stranger: Preferences(stranger),
        }
        assert await uow.preferences.get_many([]) == {}


async def test_deleting_a_users_messages_and_preferences_leaves_the_others(kit: NotificationKit) -> None:
    ann, bob = new_id(), new_id()
    await add(
        kit, a_message("s:1", user_id=ann), a_message("s:2", user_id=ann), a_message("s:1", user_id=bob)
    )
    async with kit.uow() as uow:
        for user_id in (ann, bob):
            await uow.preferences.set_language(user_id, Language.EN, now=NOW)
            await uow.preferences.switch(user_id, Category.EVENT_NEWS, Channel.SMS, on=False)
        await uow.commit()

    async with kit.uow() as uow:
        assert await uow.messages.delete_for_user(ann) == 2
        await uow.preferences.delete_for_user(ann)
        await uow.commit()

    assert [m.user_id for m in await kit.messages()] == [bob]
    async with kit.uow() as uow:
        assert await uow.preferences.get(ann) == Preferences(ann)
        assert (await uow.preferences.get(bob)).language is Language.EN


async def test_a_users_messages_are_listed_newest_first_whatever_their_status(kit: NotificationKit) -> None:
    ann = new_id()
    oldest = a_message("s:1", user_id=ann, created_at=NOW - timedelta(hours=2), status=MessageStatus.SENT)
    newest = a_message("s:2", user_id=ann, created_at=NOW)
    middle = a_message("s:3", user_id=ann, created_at=NOW - timedelta(hours=1), status=MessageStatus.FAILED)
    await add(kit, oldest, newest, middle, a_message("s:1"))

    async with kit.uow() as uow:
        assert await uow.messages.list_for_user(ann) == [newest, middle, oldest]
        assert await uow.messages.list_for_user(new_id()) == []
