"""Tickets API fixtures: the booking tests' app, cast and participants, and a free trip of
``river-rats`` that ``pavel`` and ``rita`` have booked (free, so CONFIRMED at once; tickets
has heard it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.api.booking.conftest import People, api, cast, clock, people
from tests.api.booking.kit import booked
from tests.api.catalog.kit import Cast, published_event
from tests.api.identity.conftest import Client
from tests.api.worker import drain_outbox

__all__ = ["api", "cast", "clock", "people", "trip"]


@dataclass(frozen=True)
class Trip:
    event_id: str
    bookings: dict[str, dict[str, Any]]  # by participant email


@pytest.fixture
async def trip(api: Client, cast: Cast, people: People) -> Trip:
    event = await published_event(api, cast.anna, "river-rats", price="0", capacity=10)
    bookings = {a.email: await booked(api, a, event["id"]) for a in (people.pavel, people.rita)}
    await drain_outbox(api)  # tickets hears of the confirmed bookings
    return Trip(event["id"], bookings)
