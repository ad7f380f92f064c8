from __future__ import annotations

import pytest

from .media_world import MediaWorld


@pytest.fixture
def world() -> MediaWorld:
    return MediaWorld()
