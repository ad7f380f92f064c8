"""Fixtures of the tickets unit tests."""

from __future__ import annotations

import pytest

from tests.unit.tickets.tickets_world import TicketsWorld


@pytest.fixture
def world() -> TicketsWorld:
    return TicketsWorld()
