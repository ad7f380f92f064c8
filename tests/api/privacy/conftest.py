"""Privacy API fixtures: the media tests' app (local media in a temporary folder, a frozen
clock), the catalog's cast and the booking tests' participants, shared, not copied."""

from __future__ import annotations

from tests.api.media.conftest import api, cast, clock, media_dir, people

__all__ = ["api", "cast", "clock", "media_dir", "people"]
