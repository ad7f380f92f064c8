"""Health: liveness, and readiness made of checks (database, Redis, …) that DI collects.

A dependency adds its check by providing one more ``ReadinessCheck`` in a dishka provider
(``@provide(provides=ReadinessCheck)``); ``Readiness`` runs them all at once, each with a
timeout. ``/health/ready`` shows only UP/DOWN per check; the admin health route reuses
``Readiness.run()`` to show latencies and errors too.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from dishka.integrations.litestar import FromDishka, inject
from litestar import Response, get
from litestar.openapi import ResponseSpec
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.http.route_options import OPERATOR_ROUTE
from aquastream.adapters.http.structs import CamelStruct

if TYPE_CHECKING:
    from redis.asyncio import Redis  # imported only where Redis is configured (ioc.redis)

Status = Literal["UP", "DOWN"]
DEFAULT_CHECK_TIMEOUT_SECONDS = 2.0

logger = logging.getLogger("aquastream.health")


class ReadinessCheck(Protocol):
    """One dependency the service cannot work without."""

    @property
    def name(self) -> str: ...

    async def check(self) -> None:
        """Return when the dependency answers; raise when it does not."""
        ...


class DatabaseCheck:
    name = "database"

    def __init__(self, *engines: AsyncEngine) -> None:
        """Every engine the service talks through (one per distinct database URL)."""
        self._engines = engines

    async def check(self) -> None:
        for engine in self._engines:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))


class RedisCheck:
    name = "redis"

    def __init__(self, client: Redis) -> None:
        self._client = client

    async def check(self) -> None:
        await self._client.ping()


@dataclass(frozen=True, slots=True)
class CheckResult:
    name: str
    status: Status
    latency_ms: float
    error: str | None = None


@dataclass(frozen=True, slots=True)
class ReadinessReport:
    status: Status
    checks: tuple[CheckResult, ...]


class Readiness:
    """Runs every check concurrently; the service is UP only when all of them are."""

    def __init__(
        self, checks: Sequence[ReadinessCheck], *, timeout_seconds: float = DEFAULT_CHECK_TIMEOUT_SECONDS
    ) -> None:
        self._checks = tuple(checks)
        self._timeout_seconds = timeout_seconds

    async def run(self) -> ReadinessReport:
        results = await asyncio.gather(*(self._run_one(check) for check in self._checks))
        status: Status = "UP" if all(result.status == "UP" for result in results) else "DOWN"
        return ReadinessReport(status=status, checks=tuple(results))

    async def _run_one(self, check: ReadinessCheck) -> CheckResult:
        started = time.perf_counter()
        error: str | None = None
        try:
            await asyncio.wait_for(check.check(), self._timeout_seconds)
        except TimeoutError:
            error = f"no answer within {self._timeout_seconds:g} s"
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
        latency_ms = round((time.perf_counter() - started) * 1000, 2)
        if error is not None:
            logger.warning("Readiness check %s failed: %s", check.name, error)
            return CheckResult(check.name, "DOWN", latency_ms, error)
        return CheckResult(check.name, "UP", latency_ms)


class CheckStatus(CamelStruct):
    status: Status


class HealthStatus(CamelStruct, omit_defaults=True):
    status: Status
    checks: dict[str, CheckStatus] | None = None


@get("/health/live", tags=["health"], sync_to_thread=False, opt=OPERATOR_ROUTE)
def live() -> HealthStatus:
    """The process is up and serving HTTP."""
    return HealthStatus(status="UP")


@get(
    "/health/ready",
    tags=["health"],
    opt=OPERATOR_ROUTE,
    responses={503: ResponseSpec(HealthStatus, description="A dependency is down.")},
)
@inject
async def ready(readiness: FromDishka[Readiness]) -> Response[HealthStatus]:
    """Every dependency answers (200 UP), or at least one does not (503 DOWN)."""
    report = await readiness.run()
    body = HealthStatus(
        status=report.status,
        checks={result.name: CheckStatus(status=result.status) for result in report.checks},
    )
    return Response(body, status_code=200 if report.status == "UP" else 503)
