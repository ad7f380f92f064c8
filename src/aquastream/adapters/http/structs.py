"""The base of every request and response body: camelCase on the wire, snake_case in Python."""

from __future__ import annotations

import msgspec


class CamelStruct(msgspec.Struct, rename="camel"):
    """Subclass for HTTP bodies; fields are declared in snake_case and travel as camelCase."""
