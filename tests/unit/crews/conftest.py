"""Fixtures of the crews unit tests."""

from __future__ import annotations

import pytest

from tests.unit.crews.crews_world import CrewsWorld


@pytest.fixture
def world() -> CrewsWorld:
    return CrewsWorld()
