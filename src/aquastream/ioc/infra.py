"""Providers of the process-wide infrastructure and of the HTTP edge."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import timedelta

from dishka import Provider, Scope, collect, provide
from limits.aio.storage import MemoryStorage, Storage
from litestar import Request
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.crypto.jwt_tokens import JwtAccessTokens
from aquastream.adapters.currencies import CldrCurrencies
from aquastream.adapters.http.auth import principal_of
from aquastream.adapters.http.catalog_cache import PublicReadCache
from aquastream.adapters.http.client_ip import TrustedProxies
from aquastream.adapters.http.health import DatabaseCheck, Readiness, ReadinessCheck
from aquastream.adapters.http.rate_limit import RateLimits, category_limits
from aquastream.adapters.http.token_check import AccessTokenCheck
from aquastream.adapters.http.tracing import Tracing
from aquastream.adapters.sql.engine import DomainEngines, create_engine
from aquastream.adapters.sql.outbox import on_spine_written
from aquastream.adapters.sql.schema_check import SchemaCheck
from aquastream.adapters.sql.spine_listener import SpineListeners
from aquastream.adapters.system import SystemClock
from aquastream.domain.identity.model import RequestContext
from aquastream.domain.shared.principal import Principal
from aquastream.ports.clock import Clock
from aquastream.ports.currencies import CurrencyCatalogue
from aquastream.ports.identity import RevocationFeed
from aquastream.settings import DOMAINS, Settings


class TracingProvider(Provider):
    """This process's tracing (``adapters.http.tracing``), off or on; shut down (its last
    spans flushed) when the container closes, after everything it traced."""

    scope = Scope.APP

    def __init__(self, tracing: Tracing) -> None:
        super().__init__()
        self._tracing = tracing

    @provide
    def tracing(self) -> Iterator[Tracing]:
        yield self._tracing
        self._tracing.shutdown()


class InfraProvider(Provider):
    """Settings, time, currencies and the database."""

    scope = Scope.APP

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self._settings = settings

    @provide
    def settings(self) -> Settings:
        return self._settings

    clock = provide(SystemClock, provides=Clock)
    currencies = provide(CldrCurrencies, provides=CurrencyCatalogue)

    @provide
    async def engine(self, settings: Settings, tracing: Tracing) -> AsyncIterator[AsyncEngine]:
        engine = create_engine(
            settings.database_url,
            pool_size=settings.database_pool_size,
            lock_timeout_ms=settings.database_lock_timeout_ms,
            instrument=tracing.engine_instrumentation(),
        )
        yield engine
        await engine.dispose()

    @provide
    async def domain_engines(
        self, settings: Settings, engine: AsyncEngine, tracing: Tracing
    ) -> AsyncIterator[DomainEngines]:
        engines = DomainEngines(
            engine,
            {domain: settings.database_url_of(domain) for domain in sorted(DOMAINS)},
            settings.database_url,
            pool_size=settings.database_pool_size,
            lock_timeout_ms=settings.database_lock_timeout_ms,
            instrument=tracing.engine_instrumentation(),
        )
        yield engines
        await engines.dispose()

    @provide
    async def spine_listeners(self, engines: DomainEngines) -> AsyncIterator[SpineListeners]:
        listeners = SpineListeners(engines.distinct)
        yield listeners
        await listeners.stop()

    @provide(provides=ReadinessCheck)
    def database_check(self, engines: DomainEngines) -> DatabaseCheck:
        return DatabaseCheck(*engines.distinct)

    @provide(provides=ReadinessCheck)
    def schema_check(self, engine: AsyncEngine) -> SchemaCheck:
        return SchemaCheck(engine)


class EdgeProvider(Provider):
    """What the HTTP edge needs: tokens and their check, client addresses, rate limits,
    readiness, the caller."""

    scope = Scope.APP

    @provide
    def access_tokens(self, settings: Settings, clock: Clock) -> JwtAccessTokens:
        return JwtAccessTokens(settings.secret, settings.access_token_ttl_seconds, clock=clock)

    @provide
    def access_token_check(self, settings: Settings, feed: RevocationFeed, clock: Clock) -> AccessTokenCheck:
        return AccessTokenCheck(
            feed,
            clock,
            token_ttl=timedelta(seconds=settings.access_token_ttl_seconds),
            poll_seconds=settings.access_revocation_poll_seconds,
        )

    @provide(provides=ReadinessCheck)
    def revocations_check(self, check: AccessTokenCheck) -> AccessTokenCheck:
        return check

    @provide
    def public_read_cache(
        self, settings: Settings, engines: DomainEngines, heard: SpineListeners
    ) -> Iterator[PublicReadCache]:
        """Emptied by this process's commits of facts and, on PostgreSQL, by every other
        process's (the spine's NOTIFY): see ``adapters.http.catalog_cache``."""
        cache = PublicReadCache(settings.catalog_cache_seconds)
        stops = [on_spine_written(engine, cache.clear) for engine in engines.distinct]
        stops.append(heard.add(cache.clear))
        yield cache
        for stop in stops:
            stop()

    @provide
    def trusted_proxies(self, settings: Settings) -> TrustedProxies:
        return TrustedProxies.parse(settings.trusted_proxies)

    @provide
    def rate_limit_storage(self) -> Storage:
        """Counters of this process only; ``RedisProvider`` replaces it when Redis is configured."""
        return MemoryStorage()

    @provide
    def rate_limits(self, settings: Settings, storage: Storage) -> RateLimits:
        return RateLimits(storage, category_limits(settings))

    readiness_checks = collect(ReadinessCheck)

    @provide
    def readiness(self, checks: list[ReadinessCheck]) -> Readiness:
        return Readiness(checks)

    # The bare ``Request`` (a generic class): dishka's Litestar integration provides the request
    # under that key, and a parametrised one would be another dependency.
    @provide(scope=Scope.REQUEST)
    def principal(self, request: Request) -> Principal:  # type: ignore[type-arg]
        """The authenticated caller; resolving it for an anonymous caller raises a 401."""
        return principal_of(request)

    @provide(scope=Scope.REQUEST)
    def request_context(self, request: Request, proxies: TrustedProxies) -> RequestContext:  # type: ignore[type-arg]
        """The client's address and user agent (the domain bounds its stored length)."""
        return RequestContext(
            ip=proxies.client_ip(request.scope), user_agent=request.headers.get("user-agent")
        )
