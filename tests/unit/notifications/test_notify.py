"""Facts become rendered messages, once, through the channel the user is reached on."""

from __future__ import annotations

import uuid
from datetime import timedelta

from aquastream.domain.booking.events import BookingConfirmed
from aquastream.domain.notifications.model import Category, Channel, Language, MessageStatus, Notice
from aquastream.domain.notifications.notify import Notify
from aquastream.domain.notifications.preferences import PreferenceChange
from aquastream.domain.shared.ids import new_id
from aquastream.ioc.notifications import REACTIONS

from .world import NOW, World


def confirmed(user_id: uuid.UUID, event_id: uuid.UUID, booking: str = "b1") -> Notice:
    return Notice(
        user_id, Category.BOOKING_CONFIRMED, f"booking:{booking}:confirmed", "booking_confirmed", event_id
    )


async def test_a_fact_becomes_one_pending_message_in_russian_by_default(world: World) -> None:
    ann = world.person()
    event = world.event()

    [message] = await world.notify(confirmed(ann, event.event_id))

    assert message.status is MessageStatus.PENDING
    assert (message.channel, message.address) == (Channel.EMAIL, "ann@example.com")
    assert message.language is Language.RU
    assert message.title == "Бронь подтверждена: Rafting on the Msta"
    assert "11.01.2030 12:00 UTC" in message.body
    assert message.next_attempt_at == NOW
    assert world.messages() == [message]


async def test_the_same_fact_delivered_twice_is_one_message(world: World) -> None:
    ann = world.person()
    event = world.event()

    first = await world.notify(confirmed(ann, event.event_id))
    again = await world.notify(confirmed(ann, event.event_id))

    assert len(first) == 1
    assert again == []
    assert len(world.messages()) == 1


async def test_another_subject_or_category_is_another_message(world: World) -> None:
    ann = world.person()
    event = world.event()
    cancelled = Notice(
        ann, Category.BOOKING_STATUS, "booking:b1:confirmed", "booking_cancelled", event.event_id
    )

    await world.notify(confirmed(ann, event.event_id), confirmed(ann, event.event_id, "b2"), cancelled)

    assert len(world.messages()) == 3


async def test_english_speakers_get_english(world: World) -> None:
    ann = world.person()
    await world.update_preferences()(ann, PreferenceChange(language=Language.EN))

    [message] = await world.notify(confirmed(ann, world.event().event_id))

    assert message.title == "Booking confirmed: Rafting on the Msta"


async def test_telegram_comes_first_then_email_then_sms(world: World) -> None:
    linked = world.person(chat=4242, phone="+79990000001")
    mailed = world.person(phone="+79990000002")
    texted = world.person(email=None, phone="+79990000003")
    event_id = world.event().event_id

    written = await world.notify(*(confirmed(user, event_id) for user in (linked, mailed, texted)))

    assert [(m.channel, m.address) for m in written] == [
        (Channel.TELEGRAM, "4242"),
        (Channel.EMAIL, "ann@example.com"),
        (Channel.SMS, "+79990000003"),
    ]


async def test_unknown_or_unreachable_users_get_nothing(world: World) -> None:
    nowhere = world.person(email=None)

    written = await world.notify(confirmed(new_id(), new_id()), confirmed(nowhere, new_id()))

    assert written == []
    assert world.messages() == []


async def test_an_optional_category_switched_off_on_telegram_falls_back_to_email(world: World) -> None:
    ann = world.person(chat=4242)
    await world.update_preferences()(
        ann, PreferenceChange(switches={Category.WAITLIST_AVAILABLE: {Channel.TELEGRAM: False}})
    )
    offer = Notice(
        ann,
        Category.WAITLIST_AVAILABLE,
        "waitlist:e1:offered",
        "waitlist_available",
        world.event().event_id,
        {"window_expires_at": NOW + timedelta(minutes=30)},
    )

    [message] = await world.notify(offer)

    assert message.channel is Channel.EMAIL
    assert "12:30 UTC" in message.body


async def test_an_optional_category_switched_off_everywhere_is_not_sent(world: World) -> None:
    ann = world.person()
    await world.update_preferences()(
        ann, PreferenceChange(switches={Category.EVENT_NEWS: {Channel.EMAIL: False}})
    )
    news = Notice(ann, Category.EVENT_NEWS, "news:n1", "event_news", None, {"text": "Hi"})

    assert await world.notify(news) == []


async def test_a_message_about_a_vanished_event_still_reads_well(world: World) -> None:
    ann = world.person()

    [message] = await world.notify(confirmed(ann, new_id()))

    assert message.title == "Бронь подтверждена: событие"


async def test_facts_handed_over_together_become_their_messages_in_one_go_each_once(world: World) -> None:
    ann, bob, nobody = world.person(), world.person(email="bob@example.com"), new_id()
    event_id = world.event().event_id
    [reaction] = [r for r in REACTIONS.reactions if r.event_type is BookingConfirmed]
    assert reaction.call_many is not None
    facts = [
        BookingConfirmed(occurred_at=NOW, booking_id=new_id(), event_id=event_id, user_id=user_id)
        for user_id in (ann, bob, nobody, ann)
    ]
    twice = facts[0]  # at least once: the same fact may come twice in one batch

    def notify() -> Notify:
        return Notify(world.uow(), world.clock, world.recipients, world.events)

    written = await reaction.call_many(notify(), [*facts, twice])

    assert [(m.user_id, m.address) for m in written] == [
        (ann, "ann@example.com"),
        (bob, "bob@example.com"),
        (ann, "ann@example.com"),
    ]
    assert await reaction.call_many(notify(), facts) == []
    assert len(world.messages()) == 3
