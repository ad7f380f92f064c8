"""A booking request with an Idempotency-Key: the key and the answer commit with the booking."""

from __future__ import annotations

from datetime import timedelta

import pytest

from aquastream.domain.booking.errors import EventFull
from aquastream.domain.booking.model import Booking
from aquastream.domain.shared.principal import Principal
from aquastream.domain.shared.requests import KeyedRequest, PurgeRequestKeys, RequestAlreadyHandled
from aquastream.ports.idempotency import StoredResponse
from tests.unit.booking.booking_world import BookingWorld


def _keyed(user: Principal, fingerprint: str = "book event 1") -> KeyedRequest[Booking]:
    return KeyedRequest(user.user_id, "key-1", fingerprint, lambda b: StoredResponse(201, str(b.id).encode()))


async def test_a_repeat_of_a_keyed_booking_gets_its_recorded_answer(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=3)
    user = world.new_user()
    booking = await world.book(user, event_id, _keyed(user))

    with pytest.raises(RequestAlreadyHandled) as repeat:
        await world.book(user, event_id, _keyed(user))

    assert repeat.value.same_request
    assert repeat.value.record.resource_id == booking.id
    assert repeat.value.record.response == StoredResponse(201, str(booking.id).encode())
    assert len(world.bookings(event_id)) == 1


async def test_the_key_for_another_request_is_reported_as_such(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=3)
    user = world.new_user()
    await world.book(user, event_id, _keyed(user))

    with pytest.raises(RequestAlreadyHandled) as reused:
        await world.book(user, await world.publish(capacity=1), _keyed(user, "book event 2"))

    assert not reused.value.same_request


async def test_a_refused_keyed_booking_keeps_no_key(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=1)
    await world.book(world.new_user(), event_id)
    user = world.new_user()

    with pytest.raises(EventFull):
        await world.book(user, event_id, _keyed(user))
    await world.resize(event_id, 2)

    assert (await world.book(user, event_id, _keyed(user))).event_id == event_id


async def test_keys_are_purged_after_their_retention(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=3)
    user = world.new_user()
    await world.book(user, event_id, _keyed(user))
    purge = PurgeRequestKeys(world.new_uow(), world.clock)

    assert await purge() == 0
    world.clock.advance(timedelta(hours=24, seconds=1))
    assert await purge() == 1
