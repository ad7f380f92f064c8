"""Tunable rules of the crews domain (from the settings)."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_MAX_PREFERENCES = 5


@dataclass(frozen=True, slots=True)
class CrewPolicy:
    max_preferences: int = DEFAULT_MAX_PREFERENCES  # per list: people to be with, people to avoid
