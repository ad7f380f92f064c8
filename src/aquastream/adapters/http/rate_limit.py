"""Rate limits per caller (user when authenticated, else client IP) and per category of route.

A route's category is its ``opt["rate_limit"]`` when set (``None`` = not limited), else
the first matching prefix of ``PATH_CATEGORIES``, else ``default``. Each category keeps
its own counters, so logging in does not use up the budget for browsing. Counters live
in Redis when ``redis_url`` is set (shared by every instance), else in process memory.
Should the counter store fail, requests are let through, the failure is logged and the
request counted in ``aquastream_rate_limit_unchecked_total``: a broken Redis must not take
the API down with it, and must not go unnoticed either.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass

from dishka import AsyncContainer
from limits import RateLimitItem, parse
from limits.aio.storage import Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.exceptions import TooManyRequestsException
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from aquastream.adapters.http.client_ip import TrustedProxies
from aquastream.adapters.http.metrics import RATE_LIMIT_UNCHECKED
from aquastream.adapters.http.route_options import RATE_LIMIT
from aquastream.domain.shared.principal import Principal
from aquastream.settings import Settings, SettingsError

DEFAULT_CATEGORY = "default"

# Longest prefixes first: the first match wins.
PATH_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("/api/v1/auth/recovery/", "recovery"),
    ("/api/v1/auth/", "auth"),
)

logger = logging.getLogger("aquastream.http.rate_limit")


def category_limits(settings: Settings) -> dict[str, str]:
    """The limit of each category, in ``limits`` notation (``10/minute``, ``5/5minutes``).

    A new category is one line here (and a setting), then ``opt={"rate_limit": name}``
    on its routes or a line in ``PATH_CATEGORIES``.
    """
    return {
        "auth": settings.rate_limit_auth,
        "recovery": settings.rate_limit_recovery,
        "booking": settings.rate_limit_booking,
        "payments": settings.rate_limit_payments,
        "check_in": settings.rate_limit_check_in,
        DEFAULT_CATEGORY: settings.rate_limit_default,
    }


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    retry_after_seconds: int


class RateLimits:
    """Counts hits per (category, caller) in a moving window."""

    def __init__(self, storage: Storage, limits_by_category: Mapping[str, str]) -> None:
        self._strategy = MovingWindowRateLimiter(storage)
        self._items: dict[str, RateLimitItem] = {}
        for category, text in limits_by_category.items():
            try:
                self._items[category] = parse(text)
            except ValueError:
                raise SettingsError(f"Rate limit {category!r}: {text!r} is not like '10/minute'.") from None
        if DEFAULT_CATEGORY not in self._items:
            raise SettingsError("The default rate limit is missing.")

    def category_of(self, scope: Scope) -> str | None:
        """The category of the route being served; None when it is not limited."""
        route_handler = scope.get("route_handler")
        if route_handler is not None and RATE_LIMIT in route_handler.opt:
            category: str | None = route_handler.opt[RATE_LIMIT]
            return category
        path = scope["path"]
        for prefix, category in PATH_CATEGORIES:
            if path.startswith(prefix):
                return category
        return DEFAULT_CATEGORY

    async def hit(self, category: str, caller: str) -> Verdict:
        item = self._items.get(category) or self._items[DEFAULT_CATEGORY]
        allowed = await self._strategy.hit(item, category, caller)
        stats = await self._strategy.get_window_stats(item, category, caller)
        retry_after = max(1, math.ceil(stats.reset_time - time.time()))
        return Verdict(allowed, item.amount, max(0, stats.remaining), retry_after)


class RateLimitMiddleware(ASGIMiddleware):
    """Refuses with 429 (``Retry-After``) past the limit; adds ``X-RateLimit-*`` to answers.

    Runs after ``AuthenticationMiddleware``, so it knows whether the caller is a user.
    """

    scopes = (ScopeType.HTTP,)

    def __init__(self, container: AsyncContainer) -> None:
        self._container = container

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        rate_limits = await self._container.get(RateLimits)
        category = rate_limits.category_of(scope)
        if category is None:
            await next_app(scope, receive, send)
            return
        caller = await self._caller(scope)
        try:
            verdict = await rate_limits.hit(category, caller)
        except StorageError:
            logger.warning("Rate-limit storage failed; letting the request through", exc_info=True)
            RATE_LIMIT_UNCHECKED.labels(category).inc()
            await next_app(scope, receive, send)
            return
        if not verdict.allowed:
            raise TooManyRequestsException(
                detail=f"Too many requests; retry in {verdict.retry_after_seconds} s.",
                headers={
                    "Retry-After": str(verdict.retry_after_seconds),
                    "X-RateLimit-Limit": str(verdict.limit),
                    "X-RateLimit-Remaining": "0",
                },
            )

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableScopeHeaders.from_message(message)
                headers["X-RateLimit-Limit"] = str(verdict.limit)
                headers["X-RateLimit-Remaining"] = str(verdict.remaining)
            await send(message)

        await next_app(scope, receive, send_with_headers)

    async def _caller(self, scope: Scope) -> str:
        user = scope.get("user")
        if isinstance(user, Principal):
            return f"user:{user.user_id}"
        proxies = await self._container.get(TrustedProxies)
        return f"ip:{proxies.client_ip(scope)}"
