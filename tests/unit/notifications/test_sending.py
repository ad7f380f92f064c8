"""The sender job: delivery, retries with exponential backoff, the last error, giving up."""

from __future__ import annotations

from datetime import timedelta

from aquastream.domain.notifications.model import Category, MessageStatus, Notice
from aquastream.domain.notifications.policy import NotificationPolicy

from .world import NOW, World


async def queued(world: World, count: int = 1) -> None:
    ann = world.person()
    await world.notify(
        *(
            Notice(ann, Category.TEST, f"test:{n}", "admin_test", params={"text": f"n{n}"})
            for n in range(count)
        )
    )


async def test_due_messages_are_sent_and_marked_sent(world: World) -> None:
    await queued(world, 2)

    assert await world.send()() == 2

    assert sorted(m.body for m in world.channel.sent) == ["n0", "n1"]
    for message in world.messages():
        assert message.status is MessageStatus.SENT
        assert message.sent_at == NOW
        assert message.attempts == 1
    assert await world.send()() == 0


async def test_a_failed_attempt_is_retried_after_an_exponential_backoff(world: World) -> None:
    world.policy = NotificationPolicy(retry_base=timedelta(seconds=30))
    await queued(world)
    world.channel.fail_next = 2

    assert await world.send()() == 1
    [message] = world.messages()
    assert message.status is MessageStatus.PENDING
    assert message.last_error == "ConnectionError: channel unavailable"
    assert message.next_attempt_at == NOW + timedelta(seconds=30)

    world.clock.advance(seconds=29)
    assert await world.send()() == 0
    world.clock.advance(seconds=1)
    assert await world.send()() == 1
    assert world.messages()[0].next_attempt_at == NOW + timedelta(seconds=30 + 60)

    world.clock.advance(seconds=60)
    assert await world.send()() == 1
    [sent] = world.messages()
    assert sent.status is MessageStatus.SENT
    assert sent.attempts == 3
    assert len(world.channel.sent) == 1


async def test_after_the_last_attempt_the_message_is_failed_with_its_error(world: World) -> None:
    world.policy = NotificationPolicy(max_attempts=2, retry_base=timedelta(seconds=1))
    await queued(world)
    world.channel.fail_next = 5

    await world.send()()
    world.clock.advance(seconds=1)
    await world.send()()
    world.clock.advance(days=1)

    assert await world.send()() == 0
    [failed] = world.messages()
    assert failed.status is MessageStatus.FAILED
    assert failed.attempts == 2
    assert failed.last_error == "ConnectionError: channel unavailable"
    assert world.channel.sent == []


def test_backoff_doubles_and_is_capped() -> None:
    policy = NotificationPolicy(retry_base=timedelta(seconds=30), retry_cap=timedelta(minutes=3))

    assert [policy.backoff(n).total_seconds() for n in (1, 2, 3, 4, 5)] == [30, 60, 120, 180, 180]


async def test_a_batch_is_at_most_the_batch_size_oldest_first(world: World) -> None:
    world.policy = NotificationPolicy(batch_size=2)
    ann = world.person()
    for n in range(3):
        await world.notify(Notice(ann, Category.TEST, f"test:{n}", "admin_test", params={"text": f"n{n}"}))
        world.clock.advance(seconds=1)

    assert await world.send()() == 2
    assert await world.send()() == 1
    assert [m.body for m in world.channel.sent] == ["n0", "n1", "n2"]


async def test_a_message_claimed_by_a_sender_that_died_is_sent_after_the_lease(world: World) -> None:
    world.policy = NotificationPolicy(lease=timedelta(minutes=5))
    await queued(world)
    async with world.uow() as uow:
        [claimed] = await uow.messages.claim_due(now=NOW, limit=10, lease=world.policy.lease)
        await uow.commit()

    assert await world.send()() == 0
    world.clock.advance(minutes=5)
    assert await world.send()() == 1
    assert world.messages()[0].attempts == 2
    assert claimed.attempts == 1
