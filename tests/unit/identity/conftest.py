"""Fixtures of the identity unit tests."""

from __future__ import annotations

import pytest

from tests.unit.identity.identity_kit import IdentityKit


@pytest.fixture
def kit() -> IdentityKit:
    return IdentityKit()
