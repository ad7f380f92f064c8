"""Fixtures of the payments unit tests."""

from __future__ import annotations

import pytest

from tests.unit.payments.payments_world import PaymentsWorld


@pytest.fixture
def world() -> PaymentsWorld:
    return PaymentsWorld()
