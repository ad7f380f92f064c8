"""Prometheus metrics of the process, exposed at ``/metrics``; domains add their own here.

Labels stay low-cardinality: routes are labelled by template (``/api/v1/events/{id}``),
requests that matched no route share ``UNMATCHED_ROUTE``, errors are labelled by code.
The registry is per process; run one scrape target per process.
"""

from __future__ import annotations

from typing import Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Response, get
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import choose_encoder
from prometheus_client.gc_collector import GCCollector
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector

from aquastream.adapters.http.route_options import OPERATOR_ROUTE
from aquastream.domain.shared.dispatch import Spine
from aquastream.ports.outbox import Delivery

UNMATCHED_ROUTE = "<unmatched>"

REGISTRY = CollectorRegistry()
ProcessCollector(registry=REGISTRY)
PlatformCollector(registry=REGISTRY)
GCCollector(registry=REGISTRY)

HTTP_REQUESTS = Counter(
    "aquastream_http_requests_total",
    "HTTP requests answered, by method, route template and status.",
    ("method", "route", "status"),
    registry=REGISTRY,
)
HTTP_REQUEST_DURATION = Histogram(
    "aquastream_http_request_duration_seconds",
    "Time from receiving a request to finishing its response.",
    ("method", "route", "status"),
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)
HTTP_ERRORS = Counter(
    "aquastream_http_errors_total",
    "Problem responses sent, by status and problem code.",
    ("status", "code"),
    registry=REGISTRY,
)
WEBHOOKS_FAILED = Counter(
    "aquastream_webhooks_failed_total",
    "Payment provider notifications refused or not applied, by provider and reason code.",
    ("provider", "code"),
    registry=REGISTRY,
)

BOOKINGS_CREATED = Counter(
    "aquastream_bookings_created_total",
    "Bookings made through POST /bookings (not replays of an Idempotency-Key), by status.",
    ("status",),
    registry=REGISTRY,
)
OUTBOX_BACKLOG = Gauge(
    "aquastream_outbox_backlog",
    "Deliveries of domain events not yet made, per subscriber (<domain>.<UseCase>); facts a domain "
    "published and the spine has not relayed yet count under <domain>.relay. Read at scrape time.",
    ("subscriber",),
    registry=REGISTRY,
)
OUTBOX_DEAD = Gauge(
    "aquastream_outbox_dead_letters",
    "Deliveries given up after their last attempt and not retried, per subscriber (read at scrape time).",
    ("subscriber",),
    registry=REGISTRY,
)
OUTBOX_DEAD_TOTAL = Counter(
    "aquastream_outbox_dead_total",
    "Deliveries this process gave up after their last attempt, per subscriber.",
    ("subscriber",),
    registry=REGISTRY,
)


def count_dead_letter(delivery: Delivery) -> None:
    OUTBOX_DEAD_TOTAL.labels(delivery.subscriber).inc()


def observe_request(method: str, route: str, status: int, duration_seconds: float) -> None:
    status_label = str(status)
    HTTP_REQUESTS.labels(method, route, status_label).inc()
    HTTP_REQUEST_DURATION.labels(method, route, status_label).observe(duration_seconds)


@get("/metrics", include_in_schema=False, opt=OPERATOR_ROUTE)
@inject
async def metrics_endpoint(request: Request[Any, Any, Any], spine: FromDishka[Spine]) -> Response[bytes]:
    """Every metric above, in the exposition format the scraper asks for (Prometheus text by default).

    The spine's backlog and dead letters are the database's, shared by every instance: they
    are counted here, once per scrape, rather than by each worker's poll."""
    _set_per_subscriber(OUTBOX_BACKLOG, await spine.backlog())
    _set_per_subscriber(OUTBOX_DEAD, await spine.dead_count())
    encode, media_type = choose_encoder(request.headers.get("accept", ""))
    # Litestar appends the charset to text/* media types itself.
    media_type = media_type.replace("; charset=utf-8", "") if media_type.startswith("text/") else media_type
    return Response(encode(REGISTRY), media_type=media_type, status_code=200)


def _set_per_subscriber(gauge: Gauge, values: dict[str, int]) -> None:
    # A subscriber whose work is all done drops out of the database's answer: it reads 0.
    gauge.clear()
    for subscriber, value in values.items():
        gauge.labels(subscriber).set(value)
