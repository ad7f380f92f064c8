"""Payments API fixtures: the booking API's app, cast and participants (shared, not copied)."""

from __future__ import annotations

from tests.api.booking.conftest import People, api, cast, clock, people

__all__ = ["People", "api", "cast", "clock", "people"]
