"""Booking's completion asks tickets who was checked in: when the event used check-in, a
confirmed booking none of whose seats was checked in becomes NO_SHOW, the others COMPLETED."""

from __future__ import annotations

from datetime import timedelta

import pytest

from aquastream.domain.booking.model import BookingStatus, LogReason
from tests.unit.booking.booking_world import BookingWorld


@pytest.fixture
def world() -> BookingWorld:
    return BookingWorld()


async def test_at_an_event_that_used_check_in_the_unchecked_bookings_become_no_shows(
    world: BookingWorld,
) -> None:
    event_id = await world.publish(capacity=3, starts_in=timedelta(hours=1))
    came = await world.book(world.new_user(), event_id)
    stayed_home = await world.book(world.new_user(), event_id)
    world.check_ins.by_event[event_id] = {came.id}
    world.clock.advance(hours=8)
    await world.close(event_id, "COMPLETED")

    assert await world.complete_event(event_id) == 1

    assert world.booking(came.id).status is BookingStatus.COMPLETED
    assert world.booking(stayed_home.id).status is BookingStatus.NO_SHOW
    assert world.log(stayed_home.id)[-1].reason is LogReason.NO_SHOW
    assert "BookingMarkedNoShow" in world.outbox_events()
    assert await world.complete_event(event_id) == 0


async def test_an_event_that_never_used_check_in_completes_everyone(world: BookingWorld) -> None:
    event_id = await world.publish(capacity=2, starts_in=timedelta(hours=1))
    booking = await world.book(world.new_user(), event_id)
    world.clock.advance(hours=8)
    await world.close(event_id, "COMPLETED")

    assert await world.complete_event(event_id) == 1

    assert world.booking(booking.id).status is BookingStatus.COMPLETED
