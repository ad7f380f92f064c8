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
# Random bytes are read from the OS (os.urandom, as uuid4 does) a page at a time: one system
# call for 409 ids instead of one each. A forked process starts with none, so parent and child
# never share the bits of an id.
_PAGE = 4096
_ID_BYTES = 10
_random = b""
_taken = 0


def _forget_random() -> None:
    global _random, _taken
    _random, _taken = b"", 0


os.register_at_fork(after_in_child=_forget_random)


# Of 80 random bits, the 74 an id keeps: 12 after the version, 62 after the variant.
_RANDOM_BITS = 0xFFF << 64 | (1 << 62) - 1
_VERSION_AND_VARIANT = 0x7 << 76 | 0b10 << 62
_unknown = uuid.SafeUUID.unknown


def new_id() -> uuid.UUID:
    """A new UUIDv7: 48-bit Unix milliseconds, version, 74 random bits, variant."""
    global _last, _random, _taken
    with _lock:
        if _taken + _ID_BYTES > len(_random):
            _random, _taken = os.urandom(_PAGE), 0
        rand = int.from_bytes(_random[_taken : _taken + _ID_BYTES])
        _taken += _ID_BYTES
        value = (
            (time.time_ns() // 1_000_000 & 0xFFFF_FFFF_FFFF) << 80
            | rand & _RANDOM_BITS
            | _VERSION_AND_VARIANT
        )
        # The low 62 random bits absorb the increment; a carry out of them would take 2**62 ids.
        if value <= _last:
            value = _last + 1
        _last = value
    # As ``uuid.UUID(int=value)`` makes it, without checking a value made right here.
    made = object.__new__(uuid.UUID)
    object.__setattr__(made, "int", value)
    object.__setattr__(made, "is_safe", _unknown)
    return made
