"""Unknown query parameters are refused (400 ``request.unknown_parameter``), never silently ignored.

A misspelt filter (``minPrice`` for ``priceMin``) that is ignored answers the whole list as if
it had been applied; the client cannot tell. So every route answers 400 to a query parameter it
does not declare, naming the unknown ones and the allowed ones (in ``detail`` and in the
members ``unknown`` and ``allowed``).

The allowed names of each route handler are read once at start-up from what Litestar parses
for it (its query parameters, those of its dependencies and layers); the check per request is
a set difference, and nothing at all without a query string.

Exceptions (``opt={FREE_QUERY: True}`` on the handler or a layer): callers the service does
not write the URLs of, which may add parameters of their own and must not be refused for them:

- payment providers' and Telegram's webhooks (the URL set in a provider's dashboard may carry
  parameters; the signature or secret header authenticates, not the query);
- the pay link handed out in messages (mail and messenger link trackers append ``utm_*``);
- the interactive docs (Litestar's own pages, not API operations).

A handler that takes the whole query (Litestar's reserved ``query`` parameter) is free too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl

from litestar import Litestar, Request
from litestar.routes import HTTPRoute
from litestar.types import Scope

from aquastream.adapters.http.route_options import FREE_QUERY
from aquastream.domain.shared.errors import ValidationFailed


class UnknownQueryParameter(ValidationFailed):
    code = "request.unknown_parameter"
    default_message = "The request has a query parameter this route does not take."


def unknown_parameters_error(unknown: Iterable[str], allowed: Iterable[str]) -> UnknownQueryParameter:
    unknown, allowed = sorted(unknown), sorted(allowed)
    names = ", ".join(allowed) if allowed else "none"
    plural = "s" if len(unknown) > 1 else ""
    return UnknownQueryParameter(
        f"Unknown query parameter{plural} {', '.join(unknown)}; this route takes: {names}.",
        extra={"unknown": unknown, "allowed": allowed},
    )


class QueryParameterCheck:
    """Refuses a query parameter the matched route does not declare (see the module's doc).

    It runs as the app's ``before_request`` step: after authentication and the guards (a
    caller without the right to a route learns nothing of its parameters) and after the span
    is named after the route, before any parameter or body is parsed."""

    def __init__(self) -> None:
        # By the handler's identity: handlers live as long as the app and are not hashable by value.
        self._allowed: dict[int, frozenset[str]] = {}

    def learn(self, app: Litestar) -> None:
        """Record every route handler's query parameters (the app calls it at start-up)."""
        for route in app.routes:
            if not isinstance(route, HTTPRoute):
                continue
            for handler, parameters in route.route_handler_map.values():
                if handler.opt.get(FREE_QUERY) or "query" in parameters.expected_reserved_kwargs:
                    continue
                names = frozenset(p.field_alias for p in parameters.expected_query_params)
                self._allowed[id(handler)] = names

    async def __call__(self, request: Request[Any, Any, Any]) -> None:
        """The ``before_request`` hook."""
        self.check(request.scope)

    def check(self, scope: Scope) -> None:
        query = scope.get("query_string", b"")
        if not query:
            return
        allowed = self._allowed.get(id(scope["route_handler"]))
        if allowed is not None:
            names = {name for name, _ in parse_qsl(query.decode("latin-1"), keep_blank_values=True)}
            if unknown := names - allowed:
                raise unknown_parameters_error(unknown, allowed)
