"""Dishka providers: what the application is made of, one provider per area.

APP scope holds what lives as long as the process (engine, clients, token codec);
REQUEST scope what lives for one HTTP request (the caller, units of work, use cases).
Providers passed later override earlier ones (tests pass theirs after these).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

from dishka import Provider, Scope, collect, provide, provide_all
from dishka.integrations.litestar import LitestarProvider
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from litestar import Request
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.crypto.argon2_hasher import Argon2PasswordHasher
from aquastream.adapters.crypto.jwt_tokens import JwtAccessTokens
from aquastream.adapters.http.auth import principal_of
from aquastream.adapters.http.client_ip import TrustedProxies
from aquastream.adapters.http.health import DatabaseCheck, Readiness, ReadinessCheck, RedisCheck
from aquastream.adapters.http.rate_limit import RateLimits, category_limits
from aquastream.adapters.notify.recovery import LogRecoveryCodeSender, SmtpRecoveryCodeSender
from aquastream.adapters.sql.engine import create_engine
from aquastream.adapters.sql.identity import SqlIdentityUnitOfWork
from aquastream.adapters.sql.outbox import SqlJobLeases, SqlOutboxStore
from aquastream.adapters.system import SystemClock, SystemSecrets
from aquastream.domain.identity.admin import BlockUser, ChangeUserRole, ListUsers, ReadAuditLog, UnblockUser
from aquastream.domain.identity.auth import LogIn, LogOut, LogOutEverywhere, RefreshTokens
from aquastream.domain.identity.bootstrap import CreateAdmin
from aquastream.domain.identity.model import RequestContext
from aquastream.domain.identity.policy import IdentityPolicy
from aquastream.domain.identity.privacy import DeleteMyAccount, ExportMyData
from aquastream.domain.identity.profile import GetMyProfile, UpdateMyProfile
from aquastream.domain.identity.recovery import RequestPasswordRecovery, ResetPassword, VerifyRecoveryCode
from aquastream.domain.identity.registration import RegisterUser
from aquastream.domain.identity.telegram import CreateTelegramLink, LinkTelegramChat
from aquastream.domain.shared.dispatch import EventRouter, OutboxDispatcher
from aquastream.domain.shared.principal import Principal
from aquastream.domain.shared.scheduling import PeriodicJob, Scheduler
from aquastream.ports.clock import Clock
from aquastream.ports.identity import (
    AccessTokenIssuer,
    IdentityUnitOfWork,
    PasswordHasher,
    RecoveryCodeSender,
    SecretGenerator,
)
from aquastream.ports.outbox import JobLeases, OutboxStore
from aquastream.settings import Settings
from aquastream.worker import BackgroundWorker

REDIS_TIMEOUT_SECONDS = 2.0


class InfraProvider(Provider):
    """Settings, time and the database."""

    scope = Scope.APP

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self._settings = settings

    @provide
    def settings(self) -> Settings:
        return self._settings

    clock = provide(SystemClock, provides=Clock)

    @provide
    async def engine(self, settings: Settings) -> AsyncIterator[AsyncEngine]:
        engine = create_engine(settings.database_url, pool_size=settings.database_pool_size)
        yield engine
        await engine.dispose()

    @provide(provides=ReadinessCheck)
    def database_check(self, engine: AsyncEngine) -> DatabaseCheck:
        return DatabaseCheck(engine)


class EdgeProvider(Provider):
    """What the HTTP edge needs: tokens, client addresses, rate limits, readiness, the caller."""

    scope = Scope.APP

    @provide
    def access_tokens(self, settings: Settings, clock: Clock) -> JwtAccessTokens:
        return JwtAccessTokens(settings.secret, settings.access_token_ttl_seconds, clock=clock)

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

    @provide(scope=Scope.REQUEST)
    def principal(self, request: Request) -> Principal:  # type: ignore[type-arg]
        """The authenticated caller; resolving it for an anonymous caller raises a 401."""
        return principal_of(request)

    @provide(scope=Scope.REQUEST)
    def request_context(self, request: Request, proxies: TrustedProxies) -> RequestContext:  # type: ignore[type-arg]
        return RequestContext(ip=proxies.client_ip(request.scope))


class RedisProvider(Provider):
    """Redis, when ``redis_url`` is set: shared rate-limit counters and a readiness check."""

    scope = Scope.APP

    @provide
    async def redis(self, settings: Settings) -> AsyncIterator[Redis]:
        assert settings.redis_url is not None
        client = Redis.from_url(
            settings.redis_url,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
        )
        yield client
        await client.aclose()

    @provide(provides=ReadinessCheck)
    def redis_check(self, client: Redis) -> RedisCheck:
        return RedisCheck(client)

    @provide
    def rate_limit_storage(self, settings: Settings, client: Redis) -> Storage:
        assert settings.redis_url is not None
        # limits speaks redis-py 8 through its asyncio bridge; it shares our connection pool.
        return RedisStorage(
            "async+" + settings.redis_url,
            implementation="redispy",
            wrap_exceptions=True,
            connection_pool=client.connection_pool,  # type: ignore[arg-type]
        )


class IdentityProvider(Provider):
    """The identity domain: its unit of work, crypto and senders, and one use case per action."""

    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def policy(self, settings: Settings) -> IdentityPolicy:
        return IdentityPolicy(
            refresh_token_ttl=timedelta(seconds=settings.refresh_token_ttl_seconds),
            recovery_code_ttl=timedelta(seconds=settings.recovery_code_ttl_seconds),
            reset_token_ttl=timedelta(seconds=settings.reset_token_ttl_seconds),
            telegram_link_ttl=timedelta(seconds=settings.telegram_link_ttl_seconds),
            telegram_bot_username=settings.telegram_bot_username,
        )

    @provide(scope=Scope.APP)
    def hasher(self, settings: Settings) -> PasswordHasher:
        return Argon2PasswordHasher(
            settings.password_time_cost, settings.password_memory_cost, settings.password_parallelism
        )

    @provide(scope=Scope.APP)
    def issuer(self, tokens: JwtAccessTokens) -> AccessTokenIssuer:
        return tokens

    secrets = provide(SystemSecrets, provides=SecretGenerator, scope=Scope.APP)

    @provide(scope=Scope.APP)
    def recovery_sender(self, settings: Settings) -> RecoveryCodeSender:
        if settings.smtp_host:
            return SmtpRecoveryCodeSender(
                settings.smtp_host,
                settings.smtp_port,
                settings.smtp_username,
                settings.smtp_password,
                settings.smtp_from,
                settings.smtp_starttls,
                code_ttl_minutes=max(1, settings.recovery_code_ttl_seconds // 60),
            )
        # Without SMTP a developer still needs the code to finish recovery locally.
        return LogRecoveryCodeSender(reveal_codes=settings.env != "production")

    @provide
    def uow(self, engine: AsyncEngine) -> IdentityUnitOfWork:
        return SqlIdentityUnitOfWork(engine)

    use_cases = provide_all(
        RegisterUser,
        LogIn,
        RefreshTokens,
        LogOut,
        LogOutEverywhere,
        RequestPasswordRecovery,
        VerifyRecoveryCode,
        ResetPassword,
        GetMyProfile,
        UpdateMyProfile,
        CreateTelegramLink,
        LinkTelegramChat,
        ExportMyData,
        DeleteMyAccount,
        ListUsers,
        ChangeUserRole,
        BlockUser,
        UnblockUser,
        ReadAuditLog,
        CreateAdmin,
    )


class WorkerProvider(Provider):
    """The background worker: outbox dispatch to subscribers and the periodic jobs."""

    scope = Scope.APP

    @provide
    def outbox(self, engine: AsyncEngine) -> OutboxStore:
        return SqlOutboxStore(engine)

    @provide
    def leases(self, engine: AsyncEngine) -> JobLeases:
        return SqlJobLeases(engine)

    @provide
    def router(self) -> EventRouter:
        return EventRouter()

    @provide
    def jobs(self) -> list[PeriodicJob]:
        return []

    @provide
    def dispatcher(self, store: OutboxStore, router: EventRouter, clock: Clock) -> OutboxDispatcher:
        return OutboxDispatcher(store, router.deliver, clock)

    @provide
    def scheduler(self, leases: JobLeases, clock: Clock, jobs: list[PeriodicJob]) -> Scheduler:
        return Scheduler(leases, clock, jobs)

    @provide
    def worker(
        self, settings: Settings, dispatcher: OutboxDispatcher, scheduler: Scheduler
    ) -> BackgroundWorker:
        return BackgroundWorker(dispatcher, scheduler, poll_seconds=settings.outbox_poll_seconds)


def base_providers(settings: Settings) -> list[Provider]:
    """Every provider the application needs, in override order."""
    providers: list[Provider] = [
        InfraProvider(settings),
        EdgeProvider(),
        LitestarProvider(),
        IdentityProvider(),
        WorkerProvider(),
    ]
    if settings.redis_url:
        providers.append(RedisProvider())
    return providers
