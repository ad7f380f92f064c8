"""Rate limits per caller and category, in memory by default and shared through Redis."""

from __future__ import annotations

import uuid

import pytest

from aquastream.domain.shared.principal import Role

from .conftest import Bearer, Serve
from .test_metrics import sample, scrape
from .test_problems import assert_problem


async def test_limit_headers_count_down_then_the_caller_is_refused(serve: Serve) -> None:
    async with serve(rate_limit_default="3/minute") as client:
        answers = [await client.get("/api/v1/probe/public") for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a.headers["x-ratelimit-limit"] for a in answers[:3]] == ["3", "3", "3"]
    assert [a.headers["x-ratelimit-remaining"] for a in answers[:3]] == ["2", "1", "0"]
    refused = answers[3]
    assert_problem(refused, 429, "rate_limit.exceeded")
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.headers["x-ratelimit-limit"] == "3"
    assert refused.headers["x-ratelimit-remaining"] == "0"


async def test_auth_routes_have_their_own_limit_and_counters(serve: Serve) -> None:
    async with serve(rate_limit_auth="2/minute", rate_limit_default="100/minute") as client:
        logins = [(await client.post("/api/v1/auth/probe")).status_code for _ in range(3)]
        browsing = await client.get("/api/v1/probe/public")

    assert logins == [201, 201, 429]
    assert browsing.status_code == 200
    assert browsing.headers["x-ratelimit-remaining"] == "99"


async def test_recovery_routes_have_their_own_limit(serve: Serve) -> None:
    async with serve(rate_limit_recovery="1/5minutes", rate_limit_auth="10/minute") as client:
        first = await client.post("/api/v1/auth/recovery/probe")
        second = await client.post("/api/v1/auth/recovery/probe")
        login = await client.post("/api/v1/auth/probe")

    assert first.status_code == 201
    assert_problem(second, 429, "rate_limit.exceeded")
    assert 60 < int(second.headers["retry-after"]) <= 300
    assert login.status_code == 201


async def test_authenticated_callers_are_counted_per_user(serve: Serve, bearer: Bearer) -> None:
    ann, bob = bearer(Role.USER), bearer(Role.USER)

    async with serve(rate_limit_default="2/minute") as client:
        ann_answers = [(await client.get("/api/v1/probe/me", headers=ann)).status_code for _ in range(3)]
        bob_answer = await client.get("/api/v1/probe/me", headers=bob)
        anonymous_answer = await client.get("/api/v1/probe/public")

    assert ann_answers == [200, 200, 429]
    assert bob_answer.status_code == 200
    assert anonymous_answer.status_code == 200


async def test_anonymous_callers_from_one_address_share_a_budget(serve: Serve) -> None:
    async with serve(rate_limit_default="2/minute") as client:
        statuses = [(await client.get("/api/v1/probe/public")).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


@pytest.mark.parametrize("path", ["/health/live", "/health/ready", "/metrics", "/api/v1/probe/unlimited"])
async def test_operator_routes_and_unlimited_routes_are_never_limited(serve: Serve, path: str) -> None:
    async with serve(rate_limit_default="1/minute") as client:
        answers = [await client.get(path) for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 200]
    assert all("x-ratelimit-limit" not in a.headers for a in answers)


async def test_rate_limits_can_be_switched_off(serve: Serve) -> None:
    async with serve(rate_limit_enabled=False, rate_limit_default="1/minute") as client:
        answers = [await client.get("/api/v1/probe/public") for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 200]
    assert "x-ratelimit-limit" not in answers[0].headers


async def test_redis_counters_refuse_past_the_limit(serve: Serve, bearer: Bearer, redis_url: str) -> None:
    caller = bearer(user_id=uuid.uuid4())

    async with serve(redis_url=redis_url, rate_limit_default="2/minute") as client:
        answers = [await client.get("/api/v1/probe/me", headers=caller) for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[1].headers["x-ratelimit-remaining"] == "0"
    assert_problem(answers[2], 429, "rate_limit.exceeded")
    assert 1 <= int(answers[2].headers["retry-after"]) <= 60


async def test_redis_counters_are_shared_between_instances(
    serve: Serve, bearer: Bearer, redis_url: str
) -> None:
    caller = bearer(user_id=uuid.uuid4())

    async with (
        serve(redis_url=redis_url, rate_limit_default="2/minute") as first_instance,
        serve(redis_url=redis_url, rate_limit_default="2/minute") as second_instance,
    ):
        on_first = [
            (await first_instance.get("/api/v1/probe/me", headers=caller)).status_code for _ in range(2)
        ]
        on_second = await second_instance.get("/api/v1/probe/me", headers=caller)

    assert on_first == [200, 200]
    assert_problem(on_second, 429, "rate_limit.exceeded")


async def test_requests_go_through_when_the_redis_counters_fail(
    serve: Serve, caplog: pytest.LogCaptureFixture
) -> None:
    unchecked = "aquastream_rate_limit_unchecked_total"
    async with serve(redis_url="redis://127.0.0.1:1/0", rate_limit_default="1/minute") as client:
        before = sample(await scrape(client), unchecked, category="default")
        answers = [await client.get("/api/v1/probe/public") for _ in range(2)]
        after = sample(await scrape(client), unchecked, category="default")

    assert [a.status_code for a in answers] == [200, 200]
    assert any(r.name == "aquastream.http.rate_limit" for r in caplog.records)
    assert after == before + 2
