"""Identifiers: time-ordered UUIDv7 (RFC 9562), made from the standard library alone.

Ids made by one process never go backwards, even within one millisecond: a new id that
would sort at or below the previous one is the previous one plus one (RFC 9562 §6.2,
method 3, "monotonic random"). Sorting by id is then sorting by creation, which tests and
tie-breaks (two audit entries of one instant) rely on.
"""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last = 0


def new_id() -> uuid.UUID:
    """A new UUIDv7: 48-bit Unix milliseconds, version, 74 random bits, variant."""
    global _last
    unix_ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (unix_ms & 0xFFFF_FFFF_FFFF) << 80
    value |= 0x7 << 76
    value |= ((rand >> 62) & 0xFFF) << 64
    value |= 0b10 << 62
    value |= rand & 0x3FFF_FFFF_FFFF_FFFF
    with _lock:
        # The low 62 random bits absorb the increment; a carry out of them would take 2**62 ids.
        value = max(value, _last + 1)
        _last = value
    return uuid.UUID(int=value)
