"""The request class of the app: a JSON body that cannot be read is the client's error (400).

Litestar turns msgspec's ``DecodeError`` into a 400 itself, but lets two other failures of
the decoder through as 500s: bytes that are not UTF-8 (``UnicodeDecodeError``) and nesting
deeper than the decoder follows (``RecursionError``). Here they become the same
``SerializationException`` (400 ``validation.failed``, field ``body``). A NUL character in
any string of the body is refused as well: PostgreSQL cannot store one, and no field has a
use for it.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import SerializationException

_MAX_DEPTH = 64


class JsonRequest(Request[Any, Any, Any]):
    async def json(self) -> Any:
        try:
            decoded = await super().json()
        except UnicodeDecodeError:
            raise SerializationException("The body is not valid UTF-8.") from None
        except RecursionError:
            raise SerializationException("The body's JSON nests too deeply.") from None
        _refuse_nul(decoded, 0)
        return decoded


def _refuse_nul(value: Any, depth: int) -> None:
    """Walks the decoded body (every string, keys included) for NUL characters."""
    if depth > _MAX_DEPTH:
        raise SerializationException(f"The body's JSON nests deeper than {_MAX_DEPTH} levels.")
    if isinstance(value, str):
        if "\x00" in value:
            raise SerializationException("The body holds a NUL character (\\u0000).")
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_nul(key, depth + 1)
            _refuse_nul(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _refuse_nul(item, depth + 1)
