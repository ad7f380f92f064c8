"""The ``opt`` keys through which a route handler tells the edge how to treat it.

- ``public``: anonymous callers may call it (every other route needs a valid access token).
- ``rate_limit``: the rate-limit category (a key of ``rate_limit.category_limits``);
  ``None`` means not limited; absent means "by path" (see ``rate_limit.PATH_CATEGORIES``).
- ``raises``: the domain errors the route raises itself (its handler's body, the HTTP
  helpers it calls), beyond those of the use cases it runs, which declare their own (their
  class attribute ``raises``). A guard declares its errors with ``@raising(...)``. The
  OpenAPI document lists every one of them under the route (``openapi.py``).
- ``free_query``: the route takes query parameters it does not declare (callers that write
  their own URLs, see ``query_check``); every other route refuses undeclared ones.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from aquastream.domain.shared.errors import DomainError, Raises

PUBLIC = "public"
RATE_LIMIT = "rate_limit"
RAISES = "raises"
FREE_QUERY = "free_query"

# Health probes and the metrics scrape: anyone may call them, and they are never limited.
OPERATOR_ROUTE: dict[str, Any] = {PUBLIC: True, RATE_LIMIT: None}

GuardT = TypeVar("GuardT", bound=Callable[..., Any])


def raising(*errors: type[DomainError]) -> Callable[[GuardT], GuardT]:
    """Declare the errors a guard may raise, for the OpenAPI document of its routes."""

    def declare(guard: GuardT) -> GuardT:
        setattr(guard, RAISES, errors)
        return guard

    return declare


def raised_by_guard(guard: Callable[..., Any]) -> Raises:
    """What ``@raising`` declared for ``guard`` (nothing when it declared nothing)."""
    declared: Raises = getattr(guard, RAISES, ())
    return declared
