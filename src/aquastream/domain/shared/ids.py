"""Identifiers: time-ordered UUIDv7 (RFC 9562), made from the standard library alone."""

from __future__ import annotations

import os
import time
import uuid


def new_id() -> uuid.UUID:
    """A new UUIDv7: 48-bit Unix milliseconds, version, 74 random bits, variant."""
    unix_ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (unix_ms & 0xFFFF_FFFF_FFFF) << 80
    value |= 0x7 << 76
    value |= ((rand >> 62) & 0xFFF) << 64
    value |= 0b10 << 62
    value |= rand & 0x3FFF_FFFF_FFFF_FFFF
    return uuid.UUID(int=value)
