"""Composition root: settings → dishka container → the Litestar application.

Layers of a request, outermost first: ``EdgeMiddleware`` (request id, security headers,
access log, metrics) → dishka's request container (opened on the first dependency a
request asks for: ``request_container``) → tracing (when configured) → CORS →
Litestar's error handling and routing → ``AuthenticationMiddleware`` (and default deny: an
anonymous caller reaches public routes only) → ``RateLimitMiddleware`` →
``PublicReadCacheMiddleware`` (anonymous catalog reads, at most 1 s old) → the route's own
guards → ``before_request`` (the span named after the route, then ``QueryParameterCheck``:
unknown query parameters) → the handler.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dishka import AsyncContainer, Provider, make_async_container
from litestar import Litestar, Request, Router
from litestar.config.cors import CORSConfig
from litestar.middleware import ASGIMiddleware
from litestar.types import ControllerRouterHandler

from aquastream.adapters.http.auth import AuthenticationMiddleware
from aquastream.adapters.http.bodies import JsonRequest
from aquastream.adapters.http.booking import CONTROLLERS as BOOKING_CONTROLLERS
from aquastream.adapters.http.caching import CachingHeaders
from aquastream.adapters.http.catalog import CONTROLLERS as CATALOG_CONTROLLERS
from aquastream.adapters.http.catalog_cache import PublicReadCache, PublicReadCacheMiddleware
from aquastream.adapters.http.client_ip import TrustedProxies
from aquastream.adapters.http.crews import CONTROLLERS as CREWS_CONTROLLERS
from aquastream.adapters.http.edge import EdgeMiddleware
from aquastream.adapters.http.health import Readiness, live, ready
from aquastream.adapters.http.identity import CONTROLLERS as IDENTITY_CONTROLLERS
from aquastream.adapters.http.logs import configure_logging
from aquastream.adapters.http.media import CONTROLLERS as MEDIA_CONTROLLERS
from aquastream.adapters.http.metrics import forget_this_process, metrics_endpoint
from aquastream.adapters.http.notifications import CONTROLLERS as NOTIFICATION_CONTROLLERS
from aquastream.adapters.http.openapi import (
    API_PREFIX,
    openapi_config,
    openapi_document,
)
from aquastream.adapters.http.outbox_admin import OutboxAdminController
from aquastream.adapters.http.payments import CONTROLLERS as PAYMENT_CONTROLLERS
from aquastream.adapters.http.problems import handle_exception
from aquastream.adapters.http.query_check import QueryParameterCheck
from aquastream.adapters.http.rate_limit import RateLimitMiddleware, RateLimits
from aquastream.adapters.http.request_container import setup_lazy_dishka
from aquastream.adapters.http.request_id import REQUEST_ID_HEADER
from aquastream.adapters.http.tickets import CONTROLLERS as TICKET_CONTROLLERS
from aquastream.adapters.http.token_check import AccessTokenCheck
from aquastream.adapters.http.tracing import Tracing, name_span_after_route, tracing_for
from aquastream.adapters.http.webhooks import CONTROLLERS as WEBHOOK_CONTROLLERS
from aquastream.ioc import base_providers
from aquastream.ioc.infra import TracingProvider
from aquastream.settings import Settings
from aquastream.worker import BackgroundWorker


def api_v1_route_handlers() -> list[ControllerRouterHandler]:
    """Everything served under ``/api/v1``: each domain adds its controllers here."""
    return [
        openapi_document,
        *IDENTITY_CONTROLLERS,
        *CATALOG_CONTROLLERS,
        *BOOKING_CONTROLLERS,
        *NOTIFICATION_CONTROLLERS,
        *CREWS_CONTROLLERS,
        *MEDIA_CONTROLLERS,
        *PAYMENT_CONTROLLERS,
        *WEBHOOK_CONTROLLERS,
        *TICKET_CONTROLLERS,
        OutboxAdminController,
    ]


def make_container(
    settings: Settings, *providers: Provider, tracing: Tracing | None = None
) -> AsyncContainer:
    """The dishka container of the base providers, overridden by ``providers`` (later wins).

    ``tracing`` defaults to the one ``settings`` and the ``OTEL_*`` variables configure; the
    container shuts it down when it closes."""
    return make_async_container(
        TracingProvider(tracing or tracing_for(settings)), *base_providers(settings), *providers
    )


def create_app(
    settings: Settings,
    *providers: Provider,
    extra_routes: Sequence[ControllerRouterHandler] = (),
    tracing: Tracing | None = None,
) -> Litestar:
    """The application for ``settings``.

    ``providers`` override the base ones (tests swap adapters this way); ``extra_routes``
    are mounted under ``/api/v1`` next to the real controllers (tests add probes);
    ``tracing`` replaces the one ``settings`` configure (tests export to memory).
    """
    configure_logging(settings)
    tracing = tracing or tracing_for(settings)
    container = make_container(settings, *providers, tracing=tracing)
    plugin = tracing.plugin()
    query_check = QueryParameterCheck()
    middleware: list[ASGIMiddleware] = [AuthenticationMiddleware(container)]
    if settings.rate_limit_enabled:
        middleware.append(RateLimitMiddleware(container))
    if settings.catalog_cache_seconds > 0:
        middleware.append(PublicReadCacheMiddleware(container))

    async def name_span_and_check_query(request: Request[Any, Any, Any]) -> None:
        await name_span_after_route(request)
        query_check.check(request.scope)

    async def start(app: Litestar) -> None:
        # Fail at start, not on the first request, when a limit, a proxy or a provider is wrong.
        await container.get(TrustedProxies)
        if settings.rate_limit_enabled:
            await container.get(RateLimits)
        await container.get(Readiness)
        if settings.catalog_cache_seconds > 0:
            await container.get(PublicReadCache)  # its listeners start with the app
        await (await container.get(AccessTokenCheck)).start()
        query_check.learn(app)
        if settings.run_worker:
            worker = await container.get(BackgroundWorker)
            worker.start()
            app.state.worker = worker

    async def close_resources(app: Litestar) -> None:
        worker = app.state.get("worker")
        if worker is not None:
            await worker.stop()
        await (await container.get(AccessTokenCheck)).stop()
        await container.close()
        tracing.shutdown()
        forget_this_process()

    app = Litestar(
        route_handlers=[
            live,
            ready,
            metrics_endpoint,
            Router(API_PREFIX, route_handlers=[*api_v1_route_handlers(), *extra_routes]),
        ],
        middleware=middleware,
        exception_handlers={Exception: handle_exception},
        request_class=JsonRequest,
        cors_config=_cors_config(settings),
        openapi_config=openapi_config(settings),
        request_max_body_size=settings.max_body_bytes,
        plugins=[plugin] if plugin is not None else [],
        before_request=query_check if plugin is None else name_span_and_check_query,
        on_startup=[start],
        on_shutdown=[close_resources],
        logging_config=None,
        debug=False,
    )
    setup_lazy_dishka(container, app)
    app.asgi_handler = EdgeMiddleware(CachingHeaders(app.asgi_handler), settings)
    return app


def _cors_config(settings: Settings) -> CORSConfig | None:
    if not settings.cors_origins:
        return None
    # Bearer tokens, not cookies: no credentials mode needed.
    return CORSConfig(
        allow_origins=list(settings.cors_origins),
        allow_methods=["*"],
        allow_headers=["Authorization", "Content-Type", "Idempotency-Key", REQUEST_ID_HEADER],
        expose_headers=[
            REQUEST_ID_HEADER,
            "X-RateLimit-Limit",
            "X-RateLimit-Remaining",
            "Retry-After",
            "Idempotent-Replayed",
        ],
        allow_credentials=False,
        max_age=600,
    )
