"""Dishka providers: what the application is made of, one provider per area.

APP scope holds what lives as long as the process (engine, clients, token codec);
REQUEST scope what lives for one HTTP request (the caller, units of work, use cases).
Providers passed later override earlier ones (tests pass theirs after these).
"""

from __future__ import annotations

from dishka import Provider
from dishka.integrations.litestar import LitestarProvider

from aquastream.ioc.booking import BookingProvider, BookingQueriesProvider
from aquastream.ioc.catalog import CatalogProvider, CatalogQueriesProvider
from aquastream.ioc.crews import CrewsProvider
from aquastream.ioc.identity import IdentityProvider, IdentityQueriesProvider
from aquastream.ioc.infra import EdgeProvider, InfraProvider
from aquastream.ioc.media import MediaProvider, MediaQueriesProvider, S3MediaProvider
from aquastream.ioc.notifications import (
    DeliveryMetricsProvider,
    NotificationProvider,
    RecoveryMessagesProvider,
)
from aquastream.ioc.payments import PaymentsProvider
from aquastream.ioc.tickets import TicketsProvider, TicketsQueriesProvider
from aquastream.ioc.webhooks import WebhooksProvider
from aquastream.ioc.worker import WorkerProvider
from aquastream.settings import Settings

__all__ = ["base_providers"]


def base_providers(settings: Settings) -> list[Provider]:
    """Every provider the application needs, in override order."""
    providers: list[Provider] = [
        InfraProvider(settings),
        EdgeProvider(),
        LitestarProvider(),
        IdentityProvider(),
        IdentityQueriesProvider(),
        CatalogProvider(),
        CatalogQueriesProvider(),
        BookingProvider(),
        BookingQueriesProvider(),
        NotificationProvider(),
        DeliveryMetricsProvider(),
        RecoveryMessagesProvider(),
        CrewsProvider(),
        MediaProvider(),
        MediaQueriesProvider(),
        PaymentsProvider(),
        WebhooksProvider(),
        TicketsProvider(),
        TicketsQueriesProvider(),
        WorkerProvider(),
    ]
    if settings.redis_url:
        from aquastream.ioc.redis import RedisProvider  # redis only where configured

        providers.append(RedisProvider())
    if settings.media_storage == "s3":
        providers.append(S3MediaProvider())
    return providers
