"""What the sender does with each kind of failure: a recipient gone from Telegram (unlink and
fall back), a refusal for good (no retry), a throttle (wait what the channel asked)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from aquastream.domain.notifications.errors import (
    DeliveryFailed,
    DeliveryRefused,
    DeliveryThrottled,
    RecipientGone,
)
from aquastream.domain.notifications.model import Category, Channel, MessageStatus, Notice
from aquastream.domain.notifications.policy import NotificationPolicy
from aquastream.domain.notifications.preferences import PreferenceChange

from .world import NOW, World

CHAT = 555
BLOCKED = "Telegram error 403: Forbidden: bot was blocked by the user"


async def told(world: World, user_id: uuid.UUID, subject: str = "test:1", **notice: object) -> None:
    values: dict[str, object] = {"category": Category.TEST, "template": "admin_test"}
    values.update(notice)
    await world.notify(
        Notice(user_id, subject=subject, params={"text": subject}, **values)  # type: ignore[arg-type]
    )


async def test_a_blocked_bot_unlinks_the_chat_and_the_message_falls_back_to_email(world: World) -> None:
    ann = world.person(email="ann@example.com", phone="+79991234567", chat=CHAT)
    await told(world, ann)
    world.channel.failures = [RecipientGone(BLOCKED)]

    assert await world.send()() == 1

    [moved] = world.messages()
    assert (moved.channel, moved.address) == (Channel.EMAIL, "ann@example.com")
    assert moved.status is MessageStatus.PENDING
    assert moved.next_attempt_at == NOW
    assert moved.attempts == 0
    assert moved.last_error == f"RecipientGone: {BLOCKED}"
    preferences = await world.get_preferences()(ann)
    assert preferences.unreachable == frozenset({(Channel.TELEGRAM, str(CHAT))})
    assert preferences.unreachable_channels() == [Channel.TELEGRAM]

    assert await world.send()() == 1
    [sent] = world.channel.sent
    assert (sent.channel, sent.address, sent.body) == (Channel.EMAIL, "ann@example.com", "test:1")
    assert world.messages()[0].status is MessageStatus.SENT


async def test_later_messages_skip_the_unlinked_chat(world: World) -> None:
    ann = world.person(email="ann@example.com", chat=CHAT)
    await told(world, ann, "test:1")
    world.channel.failures = [RecipientGone(BLOCKED)]
    await world.send()()

    await told(world, ann, "test:2")

    assert [(m.subject, m.channel) for m in world.messages()] == [
        ("test:1", Channel.EMAIL),
        ("test:2", Channel.EMAIL),
    ]


async def test_a_newly_linked_chat_is_used_again(world: World) -> None:
    ann = world.person(email="ann@example.com", chat=CHAT)
    await told(world, ann, "test:1")
    world.channel.failures = [RecipientGone(BLOCKED)]
    await world.send()()

    world.link_chat(ann, CHAT + 1)
    await told(world, ann, "test:2")

    assert world.messages()[1].channel is Channel.TELEGRAM
    assert world.messages()[1].address == str(CHAT + 1)


async def test_the_fallback_skips_a_channel_switched_off_for_the_category(world: World) -> None:
    ann = world.person(email="ann@example.com", phone="+79991234567", chat=CHAT)
    await world.update_preferences()(
        ann, PreferenceChange(switches={Category.EVENT_NEWS: {Channel.EMAIL: False}})
    )
    await told(world, ann, "news:1", category=Category.EVENT_NEWS, template="event_news")
    world.channel.failures = [RecipientGone(BLOCKED)]

    await world.send()()

    [moved] = world.messages()
    assert (moved.channel, moved.address) == (Channel.SMS, "+79991234567")


async def test_with_no_other_channel_the_message_fails_and_the_chat_stays_unlinked(world: World) -> None:
    ann = world.person(email=None, chat=CHAT)
    await told(world, ann)
    world.channel.failures = [RecipientGone(BLOCKED)]

    await world.send()()
    world.clock.advance(days=1)

    assert await world.send()() == 0
    [failed] = world.messages()
    assert failed.status is MessageStatus.FAILED
    assert failed.channel is Channel.TELEGRAM
    assert failed.last_error == f"RecipientGone: {BLOCKED}; no other channel reaches the user"
    assert (await world.get_preferences()(ann)).unreachable_channels() == [Channel.TELEGRAM]
    # Nothing is written for a user no channel reaches.
    await told(world, ann, "test:2")
    assert len(world.messages()) == 1


async def test_a_user_gone_meanwhile_fails_the_message(world: World) -> None:
    ann = world.person(email="ann@example.com", chat=CHAT)
    await told(world, ann)
    del world.recipients.users[ann]
    world.channel.failures = [RecipientGone(BLOCKED)]

    await world.send()()

    assert world.messages()[0].status is MessageStatus.FAILED


async def test_a_refusal_for_good_fails_the_message_at_once(world: World) -> None:
    world.policy = NotificationPolicy(max_attempts=8)
    ann = world.person(email=None, phone="+79991234567")
    await told(world, ann)
    world.channel.failures = [DeliveryRefused("SMS gateway answered HTTP 400: bad number")]

    await world.send()()
    world.clock.advance(days=1)

    assert await world.send()() == 0
    [failed] = world.messages()
    assert failed.status is MessageStatus.FAILED
    assert failed.attempts == 1
    assert failed.last_error == "DeliveryRefused: SMS gateway answered HTTP 400: bad number"
    assert (await world.get_preferences()(ann)).unreachable == frozenset()


async def test_a_throttled_message_waits_what_the_channel_asked_not_the_backoff(world: World) -> None:
    world.policy = NotificationPolicy(retry_base=timedelta(seconds=30))
    ann = world.person(chat=CHAT)
    await told(world, ann)
    world.channel.failures = [
        DeliveryThrottled(
            "Telegram error 429: Too Many Requests: retry after 7", retry_after=timedelta(seconds=7)
        )
    ]

    await world.send()()

    [waiting] = world.messages()
    assert waiting.status is MessageStatus.PENDING
    assert waiting.next_attempt_at == NOW + timedelta(seconds=7)
    world.clock.advance(seconds=6)
    assert await world.send()() == 0
    world.clock.advance(seconds=1)
    assert await world.send()() == 1
    assert world.messages()[0].status is MessageStatus.SENT


async def test_a_long_retry_after_is_honoured_beyond_the_backoff(world: World) -> None:
    world.policy = NotificationPolicy(retry_base=timedelta(seconds=30))
    await told(world, world.person(chat=CHAT))
    world.channel.failures = [DeliveryThrottled("slow down", retry_after=timedelta(minutes=10))]

    await world.send()()

    assert world.messages()[0].next_attempt_at == NOW + timedelta(minutes=10)


async def test_a_message_throttled_on_its_last_attempt_is_failed(world: World) -> None:
    world.policy = NotificationPolicy(max_attempts=1)
    await told(world, world.person(chat=CHAT))
    world.channel.failures = [DeliveryThrottled("slow down", retry_after=timedelta(seconds=1))]

    await world.send()()

    assert world.messages()[0].status is MessageStatus.FAILED


async def test_a_passing_delivery_failure_is_retried_with_backoff(world: World) -> None:
    world.policy = NotificationPolicy(retry_base=timedelta(seconds=30))
    await told(world, world.person(chat=CHAT))
    world.channel.failures = [DeliveryFailed("Telegram error 502: Bad Gateway")]

    await world.send()()

    [waiting] = world.messages()
    assert (waiting.status, waiting.channel) == (MessageStatus.PENDING, Channel.TELEGRAM)
    assert waiting.next_attempt_at == NOW + timedelta(seconds=30)


async def test_the_rest_of_the_batch_on_a_throttled_channel_is_held_back_untried(world: World) -> None:
    first, second = world.person(chat=CHAT), world.person(chat=CHAT + 1)
    by_email = world.person(email="cid@example.com")
    for user_id in (first, second, by_email):
        await told(world, user_id)
        world.clock.advance(seconds=1)
    world.channel.failures = [DeliveryThrottled("retry after 7", retry_after=timedelta(seconds=7))]

    assert await world.send()() == 3

    throttled, held, emailed = world.messages()
    assert (throttled.attempts, throttled.last_error) == (1, "DeliveryThrottled: retry after 7")
    assert throttled.next_attempt_at == world.clock.now() + timedelta(seconds=7)
    assert (held.status, held.attempts, held.last_error) == (MessageStatus.PENDING, 0, None)
    assert held.next_attempt_at == throttled.next_attempt_at
    assert emailed.status is MessageStatus.SENT
    assert [m.address for m in world.channel.sent] == ["cid@example.com"]

    world.clock.advance(seconds=7)
    assert await world.send()() == 2
    assert {m.address for m in world.channel.sent} == {"cid@example.com", str(CHAT), str(CHAT + 1)}
