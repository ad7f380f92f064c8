"""Prometheus exposition: requests and latency by route template, errors by code."""

from __future__ import annotations

import re

from litestar import Litestar
from litestar.testing import AsyncTestClient

from .conftest import Bearer

Client = AsyncTestClient[Litestar]


def sample(exposition: str, name: str, **labels: str) -> float:
    """The value of the sample ``name`` whose labels include ``labels`` (0 when absent)."""
    for line in exposition.splitlines():
        if not line.startswith(name + "{"):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line[len(name) : line.rindex("}") + 1]))
        if all(found.get(key) == value for key, value in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


async def scrape(client: Client) -> str:
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


async def test_requests_are_counted_by_route_template_not_raw_path(client: Client) -> None:
    labels = {"method": "GET", "route": "/api/v1/probe/errors/{kind}", "status": "404"}
    before = sample(await scrape(client), "aquastream_http_requests_total", **labels)

    await client.get("/api/v1/probe/errors/not-found")

    exposition = await scrape(client)
    assert sample(exposition, "aquastream_http_requests_total", **labels) == before + 1
    assert "/api/v1/probe/errors/not-found" not in exposition


async def test_latency_histogram_observes_each_request(client: Client, bearer: Bearer) -> None:
    labels = {"method": "GET", "route": "/api/v1/probe/me", "status": "200"}
    before = sample(await scrape(client), "aquastream_http_request_duration_seconds_count", **labels)

    await client.get("/api/v1/probe/me", headers=bearer())

    exposition = await scrape(client)
    assert sample(exposition, "aquastream_http_request_duration_seconds_count", **labels) == before + 1
    assert sample(exposition, "aquastream_http_request_duration_seconds_bucket", le="+Inf", **labels) >= 1


async def test_requests_that_match_no_route_share_one_label(client: Client) -> None:
    labels = {"method": "GET", "route": "<unmatched>", "status": "404"}
    before = sample(await scrape(client), "aquastream_http_requests_total", **labels)

    await client.get("/scan/me/1")
    await client.get("/scan/me/2")

    exposition = await scrape(client)
    assert sample(exposition, "aquastream_http_requests_total", **labels) == before + 2
    assert "/scan/me" not in exposition


async def test_errors_are_counted_by_status_and_code(client: Client) -> None:
    labels = {"status": "422", "code": "event.full"}
    before = sample(await scrape(client), "aquastream_http_errors_total", **labels)

    await client.get("/api/v1/probe/errors/rule")

    assert sample(await scrape(client), "aquastream_http_errors_total", **labels) == before + 1


async def test_process_metrics_are_exposed(client: Client) -> None:
    assert "process_cpu_seconds_total" in await scrape(client)


async def test_openmetrics_is_served_to_scrapers_that_ask_for_it(client: Client) -> None:
    response = await client.get("/metrics", headers={"Accept": "application/openmetrics-text; version=1.0.0"})

    assert response.headers["content-type"].startswith("application/openmetrics-text")
    assert response.text.rstrip().endswith("# EOF")
