"""The use cases end to end on every backend: facts to messages once, sending, reminders, news."""

from __future__ import annotations

from datetime import timedelta

from aquastream.domain.notifications.errors import DeliveryRefused, DeliveryThrottled, RecipientGone
from aquastream.domain.notifications.model import Category, Channel, MessageStatus, Notice
from aquastream.domain.notifications.preferences import PreferenceChange

from .kit import NOW, NotificationKit


async def test_a_fact_delivered_twice_is_rendered_and_sent_once(kit: NotificationKit) -> None:
    ann = await kit.add_person(email="ann@example.com", chat=42)
    event = await kit.add_event(ann)
    notice = Notice(
        ann, Category.BOOKING_CONFIRMED, "booking:b1:confirmed", "booking_confirmed", event.event_id
    )

    assert len(await kit.notify(notice)) == 1
    assert await kit.notify(notice) == []
    assert await kit.send()() == 1

    [message] = await kit.messages()
    assert (message.status, message.channel, message.address) == (MessageStatus.SENT, Channel.TELEGRAM, "42")
    assert message.title == "Бронь подтверждена: Rafting on Vuoksa"
    assert [m.id for m in kit.channel.sent] == [message.id]


async def test_failures_are_retried_then_given_up(kit: NotificationKit) -> None:
    ann = await kit.add_person()
    await kit.notify(Notice(ann, Category.TEST, "test:1", "admin_test", params={"text": "ping"}))
    kit.channel.fail_next = 10

    await kit.send()()
    [retrying] = await kit.messages()
    assert (retrying.status, retrying.attempts) == (MessageStatus.PENDING, 1)
    assert retrying.next_attempt_at == NOW + kit.policy.backoff(1)
    for _ in range(kit.policy.max_attempts):
        kit.clock.advance(kit.policy.retry_cap)
        await kit.send()()

    [failed] = await kit.messages()
    assert (failed.status, failed.attempts) == (MessageStatus.FAILED, kit.policy.max_attempts)
    assert failed.last_error == "ConnectionError: channel unavailable"


async def test_a_chat_that_blocked_the_bot_is_unlinked_and_its_messages_go_by_email(
    kit: NotificationKit,
) -> None:
    ann = await kit.add_person(email="ann@example.com", chat=42)
    await kit.notify(Notice(ann, Category.TEST, "test:1", "admin_test", params={"text": "ping"}))
    kit.channel.failures = [RecipientGone("Telegram error 403: Forbidden: bot was blocked by the user")]

    await kit.send()()
    await kit.send()()
    await kit.notify(Notice(ann, Category.TEST, "test:2", "admin_test", params={"text": "pong"}))
    await kit.send()()

    assert [(m.channel, m.address, m.status) for m in await kit.messages()] == [
        (Channel.EMAIL, "ann@example.com", MessageStatus.SENT),
        (Channel.EMAIL, "ann@example.com", MessageStatus.SENT),
    ]
    assert [m.body for m in kit.channel.sent] == ["ping", "pong"]
    async with kit.uow() as uow:
        assert (await uow.preferences.get(ann)).unreachable == frozenset({(Channel.TELEGRAM, "42")})


async def test_a_refused_message_is_failed_without_retry_and_a_throttled_one_waits(
    kit: NotificationKit,
) -> None:
    ann = await kit.add_person(email="ann@example.com")
    await kit.notify(Notice(ann, Category.TEST, "test:1", "admin_test", params={"text": "one"}))
    kit.clock.advance(timedelta(seconds=1))
    await kit.notify(Notice(ann, Category.TEST, "test:2", "admin_test", params={"text": "two"}))
    kit.channel.failures = [
        DeliveryRefused("550 no such mailbox"),
        DeliveryThrottled("429", retry_after=timedelta(seconds=90)),
    ]

    await kit.send()()

    refused, throttled = await kit.messages()
    assert (refused.status, refused.attempts) == (MessageStatus.FAILED, 1)
    assert throttled.status is MessageStatus.PENDING
    assert throttled.next_attempt_at == kit.clock.now() + timedelta(seconds=90)


async def test_reminders_reach_confirmed_participants_once_per_window(kit: NotificationKit) -> None:
    ann, bob = await kit.add_person(), await kit.add_person()
    event = await kit.add_event(ann, starts_in=timedelta(hours=47))
    await kit.add_booking(event.event_id, bob, "PENDING")

    assert await kit.remind()() == 1
    assert await kit.remind()() == 0
    kit.clock.advance(hours=24)
    assert await kit.remind()() == 1

    assert [(m.user_id, m.subject) for m in await kit.messages()] == [
        (ann, f"event:{event.event_id}:reminder:48h"),
        (ann, f"event:{event.event_id}:reminder:24h"),
    ]


async def test_news_reaches_participants_who_did_not_switch_it_off(kit: NotificationKit) -> None:
    ann, bob = await kit.add_person(), await kit.add_person()
    await kit.update_preferences()(
        bob, PreferenceChange(switches={Category.EVENT_NEWS: {Channel.EMAIL: False}})
    )
    event = await kit.add_event(ann, bob)

    posted = await kit.post_news()(kit.organizer, event.event_id, "Bring a warm jacket.")

    assert posted.recipients == 1
    [message] = await kit.messages()
    assert (message.user_id, message.category, message.body) == (
        ann,
        Category.EVENT_NEWS,
        "Bring a warm jacket.",
    )
