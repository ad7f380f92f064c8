"""Liveness always; readiness only when the database (and Redis, when configured) answers, the
database is migrated to this release and the instance can judge access tokens."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

from dishka import Provider, Scope, provide

from aquastream.adapters.http.health import Readiness, ReadinessCheck
from aquastream.domain.identity.revocation import Revocation
from aquastream.domain.shared.errors import DependencyUnavailable
from aquastream.ports.identity import RevocationFeed

from .conftest import Serve


async def test_live_is_up_without_a_token(serve: Serve) -> None:
    async with serve() as client:
        response = await client.get("/health/live")

    assert response.status_code == 200
    assert response.json() == {"status": "UP"}


async def test_ready_is_up_when_the_database_answers(serve: Serve) -> None:
    async with serve() as client:
        response = await client.get("/health/ready")

    assert response.status_code == 200
    assert response.json() == {
        "status": "UP",
        "checks": {"database": {"status": "UP"}, "schema": {"status": "UP"}, "revocations": {"status": "UP"}},
    }


async def test_ready_is_down_when_the_database_is_unreachable(serve: Serve, tmp_path: Path) -> None:
    unreachable = f"sqlite+aiosqlite:///{tmp_path / 'no-such-folder' / 'api.db'}"

    async with serve(database_url=unreachable) as client:
        response = await client.get("/health/ready")

    assert response.status_code == 503
    assert response.json() == {
        "status": "DOWN",
        "checks": {
            "database": {"status": "DOWN"},
            "schema": {"status": "DOWN"},
            "revocations": {"status": "DOWN"},
        },
    }


async def test_ready_does_not_show_why_a_check_failed(serve: Serve) -> None:
    async with serve(database_url="postgresql+asyncpg://postgres:s3cret@127.0.0.1:1/nothing") as client:
        response = await client.get("/health/ready")

    assert response.status_code == 503
    assert "s3cret" not in response.text
    assert "127.0.0.1" not in response.text


async def test_ready_checks_redis_when_it_is_configured(serve: Serve, redis_url: str) -> None:
    async with serve(redis_url=redis_url) as client:
        response = await client.get("/health/ready")

    assert response.status_code == 200
    assert response.json()["checks"] == {
        "database": {"status": "UP"},
        "schema": {"status": "UP"},
        "revocations": {"status": "UP"},
        "redis": {"status": "UP"},
    }


async def test_ready_is_down_when_redis_is_unreachable(serve: Serve) -> None:
    async with serve(redis_url="redis://127.0.0.1:1/0", rate_limit_enabled=False) as client:
        response = await client.get("/health/ready")

    assert response.status_code == 503
    assert response.json()["checks"]["redis"] == {"status": "DOWN"}
    assert response.json()["checks"]["database"] == {"status": "UP"}


class SlowCheck:
    name = "slow"

    async def check(self) -> None:
        await asyncio.sleep(10)


class SlowDependency(Provider):
    scope = Scope.APP

    @provide(provides=ReadinessCheck)
    def slow(self) -> SlowCheck:
        return SlowCheck()

    @provide
    def readiness(self, checks: list[ReadinessCheck]) -> Readiness:
        return Readiness(checks, timeout_seconds=0.2)


async def test_a_check_that_does_not_answer_in_time_is_down(serve: Serve) -> None:
    async with serve(SlowDependency()) as client:
        response = await client.get("/health/ready")

    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": {"status": "UP"},
        "schema": {"status": "UP"},
        "revocations": {"status": "UP"},
        "slow": {"status": "DOWN"},
    }


async def test_readiness_report_gives_latency_and_error_for_the_admin_view() -> None:
    report = await Readiness([SlowCheck()], timeout_seconds=0.05).run()

    assert report.status == "DOWN"
    [result] = report.checks
    assert result.name == "slow"
    assert result.error == "no answer within 0.05 s"
    assert result.latency_ms >= 50


class FailingFeed:
    """Identity's revocation feed while its database does not answer."""

    async def revoked_since(self, since: datetime) -> list[Revocation]:
        raise DependencyUnavailable()


class UnreadableRevocations(Provider):
    scope = Scope.APP

    @provide
    def feed(self) -> RevocationFeed:
        return FailingFeed()


async def test_ready_is_down_while_the_instance_cannot_judge_access_tokens(serve: Serve) -> None:
    async with serve(UnreadableRevocations()) as client:
        response = await client.get("/health/ready")

    assert response.status_code == 503
    assert response.json()["checks"]["revocations"] == {"status": "DOWN"}
    assert response.json()["checks"]["database"] == {"status": "UP"}
