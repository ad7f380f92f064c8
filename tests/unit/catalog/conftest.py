"""Fixtures of the catalog unit tests."""

from __future__ import annotations

import pytest

from tests.unit.catalog.catalog_kit import CatalogKit


@pytest.fixture
def kit() -> CatalogKit:
    return CatalogKit()
