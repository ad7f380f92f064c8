"""Booking API fixtures: the catalog's app on a frozen clock and its cast, plus participants
who can book (their profiles have a phone)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.api.booking.kit import participant
from tests.api.catalog.conftest import api, cast, clock
from tests.api.catalog.kit import Cast
from tests.api.identity.conftest import Account, Client

# The catalog's fixtures (the app on a FrozenClock, its cast) are shared, not copied.
__all__ = ["api", "cast", "clock", "people"]


@dataclass(frozen=True)
class People:
    """Participants with a phone in their profile; ``cast.vera`` has none and cannot book."""

    pavel: Account
    rita: Account
    sasha: Account


@pytest.fixture
async def people(api: Client, cast: Cast) -> People:
    return People(
        pavel=await participant(api, "pavel@example.com", firstName="Павел", lastName="Смирнов"),
        rita=await participant(api, "rita@example.com"),
        sasha=await participant(api, "sasha@example.com"),
    )
