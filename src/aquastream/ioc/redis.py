"""Redis, when ``redis_url`` is set: shared rate-limit counters and a readiness check.

Its own module, imported only then (``ioc.base_providers``): redis-py takes 0.15 s and 8 MB
to import, which a process without Redis (the embedded default) should not pay.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from dishka import Provider, Scope, provide
from limits.aio.storage import RedisStorage, Storage
from redis.asyncio import Redis

from aquastream.adapters.http.health import ReadinessCheck, RedisCheck
from aquastream.settings import Settings

REDIS_TIMEOUT_SECONDS = 2.0


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
            # limits annotates its **options as float | str | bool, though it hands them to redis-py.
            connection_pool=client.connection_pool,  # type: ignore[arg-type]
        )
