"""Fixtures of the booking unit tests."""

from __future__ import annotations

import pytest

from tests.unit.booking.booking_world import BookingWorld


@pytest.fixture
def world() -> BookingWorld:
    return BookingWorld()
