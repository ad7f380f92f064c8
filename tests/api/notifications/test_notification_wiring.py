"""Facts of the booking domain reach participants, through the outbox, the subscribers and
the sender job of the real app; reminders through the scheduler."""

from __future__ import annotations

import uuid

from dishka import AsyncContainer

from aquastream.adapters.memory.clock import FrozenClock
from aquastream.adapters.memory.notifications import MemoryMessageSender
from aquastream.domain.booking.events import BookingConfirmed
from aquastream.domain.notifications.model import Category
from aquastream.domain.shared.dispatch import EventRouter
from tests.api.booking.conftest import People
from tests.api.booking.kit import booked
from tests.api.catalog.kit import API, Cast, published_event
from tests.api.identity.conftest import Client
from tests.api.payments.kit import complete_in_sandbox, started
from tests.api.worker import in_app

from .kit import deliver_events, run_due_jobs, send_messages


def sent(channel: MemoryMessageSender, category: Category) -> list[str]:
    return [m.title for m in channel.sent if m.category is category]


async def test_a_free_booking_is_confirmed_once_even_when_its_fact_is_delivered_twice(
    api: Client, cast: Cast, people: People, channel: MemoryMessageSender, clock: FrozenClock
) -> None:
    event = await published_event(api, cast.anna, "river-rats", price="0")
    booking = await booked(api, people.pavel, event["id"])

    await deliver_events(api)
    again = BookingConfirmed(  # at-least-once delivery: the same fact again
        occurred_at=clock.now(),
        booking_id=uuid.UUID(booking["id"]),
        event_id=uuid.UUID(event["id"]),
        user_id=uuid.UUID(people.pavel.id),
    )

    async def deliver(container: AsyncContainer) -> None:
        await (await container.get(EventRouter)).deliver(again)

    await in_app(api, deliver)
    await send_messages(api)

    assert sent(channel, Category.BOOKING_CONFIRMED) == ["Бронь подтверждена: Rafting on the Msta"]
    assert sent(channel, Category.BOOKING_STATUS) == []
    [confirmed] = [m for m in channel.sent if m.category is Category.BOOKING_CONFIRMED]
    assert confirmed.address == "pavel@example.com"


async def test_a_paid_booking_hears_of_its_hold_and_its_cancellation(
    api: Client, cast: Cast, people: People, channel: MemoryMessageSender
) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    booking = await booked(api, people.pavel, event["id"])
    cancelled = await api.post(f"{API}/bookings/{booking['id']}/cancel", headers=people.pavel.auth)
    assert cancelled.status_code == 200, cancelled.text

    await deliver_events(api)
    await send_messages(api)

    assert sent(channel, Category.BOOKING_STATUS) == [
        "Бронь создана: Rafting on the Msta",
        "Бронь отменена: Rafting on the Msta",
    ]
    created = next(m for m in channel.sent if m.category is Category.BOOKING_STATUS)
    assert "12:30 UTC" in created.body  # pay by the end of the 30-minute hold
    assert created.body.endswith(booking["payUrl"])  # and where


async def test_cancelling_an_event_tells_every_participant(
    api: Client, cast: Cast, people: People, channel: MemoryMessageSender
) -> None:
    event = await published_event(api, cast.anna, "river-rats", price="0")
    for person in (people.pavel, people.rita):
        await booked(api, person, event["id"])
    response = await api.post(
        f"{API}/events/{event['id']}/cancel", json={"reason": "flood"}, headers=cast.anna.auth
    )
    assert response.status_code == 200, response.text

    await deliver_events(api)
    await deliver_events(api)  # booking's cancellations are facts of their own
    await send_messages(api)

    assert sent(channel, Category.BOOKING_STATUS) == ["Событие отменено: Rafting on the Msta"] * 2


async def test_cancelling_an_event_tells_the_people_on_its_waitlist_too(
    api: Client, cast: Cast, people: People, channel: MemoryMessageSender
) -> None:
    event = await published_event(api, cast.anna, "river-rats", price="0", capacity=1)
    await booked(api, people.pavel, event["id"])
    joined = await api.post(f"{API}/events/{event['id']}/waitlist", headers=people.rita.auth)
    assert joined.status_code == 201, joined.text
    response = await api.post(
        f"{API}/events/{event['id']}/cancel", json={"reason": "flood"}, headers=cast.anna.auth
    )
    assert response.status_code == 200, response.text

    await deliver_events(api)
    await deliver_events(api)
    await send_messages(api)

    told = {m.address: m.body for m in channel.sent if m.category is Category.BOOKING_STATUS}
    assert set(told) == {"pavel@example.com", "rita@example.com"}
    assert "бронь снята" in told["pavel@example.com"]
    assert "лист ожидания закрыт" in told["rita@example.com"]


async def test_reminders_go_out_before_the_start_through_the_scheduler(
    api: Client, cast: Cast, people: People, channel: MemoryMessageSender, clock: FrozenClock
) -> None:
    event = await published_event(api, cast.anna, "river-rats", price="0")
    await booked(api, people.pavel, event["id"])
    assert {"notifications.send", "notifications.reminders"} <= set(await run_due_jobs(api))

    clock.advance(days=28, hours=1)  # 47 h before the start
    assert "notifications.reminders" in await run_due_jobs(api)
    clock.advance(hours=24)  # 23 h before
    assert "notifications.reminders" in await run_due_jobs(api)
    clock.advance(minutes=10)
    await run_due_jobs(api)
    await send_messages(api)

    assert sent(channel, Category.EVENT_REMINDER) == [
        "Через два дня: Rafting on the Msta",
        "Завтра: Rafting on the Msta",
    ]


async def test_a_deleted_account_gets_nothing_more_and_its_messages_are_gone(
    api: Client, cast: Cast, channel: MemoryMessageSender
) -> None:
    await deliver_events(api)  # the organizers hear of their new role: not what this is about
    await send_messages(api)
    channel.sent.clear()
    queued = await api.post(
        f"{API}/admin/notifications/test",
        json={"userId": cast.vera.id, "text": "ping"},
        headers=cast.root.auth,
    )
    assert queued.status_code == 202, queued.text

    deleted = await api.delete(f"{API}/users/me", headers=cast.vera.auth)
    assert deleted.status_code == 204, deleted.text
    await deliver_events(api)

    assert await send_messages(api) == 0
    assert channel.sent == []


async def test_a_participant_placed_in_a_crew_hears_of_it_once(
    api: Client, cast: Cast, people: People, channel: MemoryMessageSender
) -> None:
    event = await published_event(api, cast.anna, "river-rats", price="0")
    await booked(api, people.pavel, event["id"])
    await deliver_events(api)  # crews files the confirmed booking
    crew = await api.post(
        f"{API}/events/{event['id']}/crews",
        json={"type": "CREW", "name": "Raft 2", "capacity": 6},
        headers=cast.anna.auth,
    )
    assert crew.status_code == 201, crew.text
    placed = await api.post(
        f"{API}/crews/{crew.json()['id']}/assignments",
        json={"userId": people.pavel.id, "seatNumber": 4, "position": "helmsman"},
        headers=cast.anna.auth,
    )
    assert placed.status_code == 201, placed.text

    await deliver_events(api)
    await deliver_events(api)
    await send_messages(api)

    [message] = [m for m in channel.sent if m.category is Category.CREW_ASSIGNMENT]
    assert message.title == "Распределение: Rafting on the Msta"
    assert "Raft 2 #4, helmsman" in message.body


async def test_a_card_payment_is_acknowledged_with_the_booking_confirmation(
    api: Client, cast: Cast, people: People, channel: MemoryMessageSender
) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    booking = await booked(api, people.pavel, event["id"])
    payment = await started(api, people.pavel, booking["id"])
    completed = await complete_in_sandbox(api, payment)
    assert completed.status_code == 200, completed.text

    for _ in range(3):  # the payment's fact, then booking's confirmation
        await deliver_events(api)
    await send_messages(api)

    assert sent(channel, Category.PAYMENT_STATUS) == ["Оплата получена: Rafting on the Msta"]
    assert sent(channel, Category.BOOKING_CONFIRMED) == ["Бронь подтверждена: Rafting on the Msta"]
    [receipt] = [m for m in channel.sent if m.category is Category.PAYMENT_STATUS]
    assert "1500.00 RUB" in receipt.body
