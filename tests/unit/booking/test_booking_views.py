"""What a booking's holder and its organizer may do next, and where the holder pays."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from aquastream.domain.booking.model import (
    BookingAction,
    BookingStatus,
    OpenPayment,
    OrganizerName,
    ParticipantContact,
)
from aquastream.domain.shared.ids import new_id
from tests.unit.booking.booking_world import PAY_LINKS, BookingWorld

PAY, CANCEL, CONFIRM, NO_SHOW = (
    BookingAction.PAY,
    BookingAction.CANCEL,
    BookingAction.CONFIRM,
    BookingAction.NO_SHOW,
)


def _card(status: str, page: str | None = "https://pay.example/p/1") -> OpenPayment:
    return OpenPayment(new_id(), "WIDGET", status, page)


async def test_a_new_paid_booking_may_be_paid_or_cancelled_through_its_pay_link(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=2, price=Decimal(1500))
    user = world.new_user()
    booking = await world.book(user, event_id)

    new = world.describe.new(booking)
    (shown,) = await world.describe(user, [booking])

    # The answer to booking reads nothing more: the event is shown by every later read.
    assert new == replace(shown, event=None)
    assert shown.actions == (PAY, CANCEL)
    assert (shown.payment_id, shown.pay_url) == (None, PAY_LINKS.link_for(booking.id))
    assert PAY_LINKS.verify(booking.id, shown.pay_url.split("token=")[1])
    assert not PAY_LINKS.verify(new_id(), shown.pay_url.split("token=")[1])


async def test_an_open_card_payment_is_where_to_pay(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=2, price=Decimal(1500))
    user = world.new_user()
    booking = await world.book(user, event_id)
    payment = _card("PENDING")
    world.open_payments.payments[booking.id] = payment

    (shown,) = await world.describe(user, [booking])

    assert shown.actions == (PAY, CANCEL)
    assert (shown.payment_id, shown.pay_url) == (payment.payment_id, payment.page_url)


async def test_nothing_to_pay_while_a_payment_is_processed_or_reviewed(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=2, price=Decimal(1500))
    user = world.new_user()
    booking = await world.book(user, event_id)
    for status in ("PROCESSING", "SUBMITTED"):
        world.open_payments.payments[booking.id] = _card(status, page=None)
        (shown,) = await world.describe(user, [booking])
        assert (shown.actions, shown.pay_url) == ((CANCEL,), None)
    world.open_payments.payments[booking.id] = OpenPayment(new_id(), "QR_MANUAL", "REJECTED", None)
    (shown,) = await world.describe(user, [booking])
    assert shown.actions == (PAY, CANCEL)
    assert shown.pay_url == PAY_LINKS.link_for(booking.id)


async def test_an_expired_hold_can_no_longer_be_paid(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=2, price=Decimal(1500))
    user = world.new_user()
    booking = await world.book(user, event_id)
    world.clock.advance(minutes=31)

    (shown,) = await world.describe(user, [booking])

    assert (shown.actions, shown.pay_url) == ((CANCEL,), None)


async def test_the_organizer_confirms_or_cancels_and_after_the_start_records_no_shows(
    world: BookingWorld,
) -> None:
    event_id = await world.publish(capacity=3, price=Decimal(1500), starts_in=timedelta(days=1))
    user = world.new_user()
    pending = await world.book(user, event_id)
    confirmed = await world.confirm(world.organizer, (await world.book(world.new_user(), event_id)).id)

    before = await world.describe(world.organizer, [pending, confirmed])
    assert [(v.actions, v.pay_url) for v in before] == [((CANCEL, CONFIRM), None), ((CANCEL,), None)]
    world.clock.advance(days=1, minutes=1)
    after = await world.describe(world.organizer, [confirmed])
    assert after[0].actions == (CANCEL, NO_SHOW)
    (owners_view,) = await world.describe(user, [pending])
    assert owners_view.actions == ()  # started: the owner can neither pay nor cancel any more


async def test_strangers_and_ended_bookings_have_nothing_to_do(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=2)
    user = world.new_user()
    booking = await world.book(user, event_id)
    cancelled = await world.cancel(user, booking.id)

    assert [v.actions for v in await world.describe(world.new_user(), [booking])] == [()]
    assert [v.actions for v in await world.describe(user, [cancelled])] == [()]
    assert booking.status is BookingStatus.CONFIRMED


async def test_each_booking_names_its_event_and_organizer_and_the_organizer_sees_the_participant(
    world: BookingWorld,
) -> None:
    event_id = await world.publish(capacity=3, starts_in=timedelta(days=5))
    user = world.new_user()
    world.participants.known[user.user_id] = ParticipantContact(
        user.user_id, "pavel@example.com", "Павел", "Смирнов", "+79990000001", "@pavel"
    )
    booking = await world.book(user, event_id)

    (mine,) = await world.describe(user, [booking])
    (managed,) = await world.describe(world.organizer, [booking])

    assert mine.event is not None
    assert (mine.event.event_id, mine.event.title) == (event_id, "Rafting on the Katun")
    assert mine.event.starts_at == world.clock.now() + timedelta(days=5)
    assert mine.event.organizer == OrganizerName(world.organizer_id, "river-rats", "River Rats")
    assert mine.participant is None
    assert managed.event == mine.event
    assert managed.participant == world.participants.known[user.user_id]


async def test_a_participant_identity_no_longer_knows_shows_with_empty_contacts(world: BookingWorld) -> None:
    event_id = await world.publish()
    user = world.new_user()
    booking = await world.book(user, event_id)
    world.organizer_names.known.clear()

    (shown,) = await world.describe(world.admin, [booking])

    assert shown.participant == ParticipantContact(user.user_id)
    assert shown.event is not None
    assert shown.event.organizer is None
    assert shown.event.organizer_id == world.organizer_id


async def test_a_page_asks_the_other_domains_once(world: BookingWorld) -> None:
    asked: list[int] = []
    names, contacts = world.organizer_names.names, world.participants.contacts

    async def count_names(ids):  # type: ignore[no-untyped-def]
        asked.append(len(ids))
        return await names(ids)

    async def count_contacts(ids):  # type: ignore[no-untyped-def]
        asked.append(len(ids))
        return await contacts(ids)

    world.organizer_names.names = count_names  # type: ignore[method-assign]
    world.participants.contacts = count_contacts  # type: ignore[method-assign]
    bookings = [await world.book(world.new_user(), await world.publish()) for _ in range(3)]

    views = await world.describe(world.organizer, bookings)

    assert len(views) == 3
    assert asked == [1, 3]  # one organizer for the page, three participants in one question
