"""The request id: taken from ``X-Request-Id`` when it looks safe, else made up; kept in a contextvar."""

from __future__ import annotations

import itertools
import re
import secrets
from contextvars import ContextVar, Token

REQUEST_ID_HEADER = "X-Request-Id"

# Ids end up in logs and headers: keep them short and free of anything a log parser or
# a header could trip on.
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")

_current: ContextVar[str | None] = ContextVar("aquastream_request_id", default=None)

# A made-up id is 32 hex digits, as a UUID's: 80 random bits drawn once per process, then a
# counter. Ids of two processes differ by their prefix; one process never repeats one. (A
# fresh random UUID per request cost about 5 % of a cached read.)
_PREFIX = secrets.token_hex(10)
_COUNTER = itertools.count()
_COUNTER_SPACE = 16**12


def accept_or_generate(candidate: str | None) -> str:
    """The client's id when it is at most 128 characters of ``[A-Za-z0-9._:-]``, else a new one."""
    if candidate is not None and _SAFE_REQUEST_ID.fullmatch(candidate):
        return candidate
    return f"{_PREFIX}{next(_COUNTER) % _COUNTER_SPACE:012x}"


def current_request_id() -> str | None:
    """The id of the request being served, or None outside a request."""
    return _current.get()


def bind_request_id(request_id: str) -> Token[str | None]:
    """Make ``request_id`` current; pass the returned token to ``unbind_request_id``."""
    return _current.set(request_id)


def unbind_request_id(token: Token[str | None]) -> None:
    _current.reset(token)
