"""Prometheus metrics of the service, exposed at ``/metrics``; domains add their own here.

Labels stay low-cardinality: routes are labelled by template (``/api/v1/events/{id}``),
requests that matched no route share ``UNMATCHED_ROUTE``, errors are labelled by code,
notification deliveries by channel, webhook failures by configured provider and reason code.

Several processes (``aquastream serve --workers N``) use prometheus_client's multiprocess
mode, chosen by ``PROMETHEUS_MULTIPROC_DIR`` when the library is first imported (so it
must be set before the server processes start):

- ``serve`` with more than one worker sets it, before the workers start, to a fresh
  directory of its own run (removed when it stops), unless the operator set one; an
  operator's directory must be emptied before each start (the library's rule), and when
  ``aquastream worker`` processes on the same host share it, their counters (deliveries,
  dead letters) appear on the server's ``/metrics`` too;
- each process writes its counters and histograms to files there, and ``/metrics`` merges
  every process's files (``MultiProcessCollector``): whichever worker answers the scrape,
  a counter reads the total of all of them, including what a worker that has exited counted;
- the process, platform and garbage-collector collectors describe only the process they
  run in, so they are registered in single-process mode only;
- no gauge is kept in process memory: what the gauges here report (the spine's backlog and
  dead letters, pending notifications) is the database's, read at scrape time by the
  process that answers and emitted as fresh families. That is right in either mode and
  never stale (a ``Gauge`` with ``multiprocess_mode="mostrecent"`` would keep a label that
  dropped out of the database's answer at its last value). A gauge of one process's own
  state would need ``multiprocess_mode="livesum"``; ``mark_process_dead`` runs when the
  application shuts down, so such a gauge would leave with its process.

Without the variable the registry is the process's own, with the process collectors.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Response, get
from prometheus_client import CollectorRegistry, Counter, Histogram, Metric, multiprocess, values
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import choose_encoder
from prometheus_client.gc_collector import GCCollector
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.registry import Collector

from aquastream.adapters.http.route_options import OPERATOR_ROUTE
from aquastream.domain.notifications.model import Channel, Message
from aquastream.domain.shared.dispatch import Spine
from aquastream.ports.notifications import MessageSender, NotificationUnitOfWork
from aquastream.ports.outbox import Delivery

UNMATCHED_ROUTE = "<unmatched>"
UNKNOWN_PROVIDER = "<unknown>"

# The library's own choice, made from the environment when it was imported.
MULTIPROCESS = values.ValueClass is not values.MutexValue

REGISTRY = CollectorRegistry()
if MULTIPROCESS:
    _SCRAPED: Collector = CollectorRegistry()
    multiprocess.MultiProcessCollector(_SCRAPED)  # type: ignore[no-untyped-call]
else:
    ProcessCollector(registry=REGISTRY)
    PlatformCollector(registry=REGISTRY)
    GCCollector(registry=REGISTRY)
    _SCRAPED = REGISTRY

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
PAYMENT_WEBHOOK_FAILURES = Counter(
    "aquastream_payment_webhook_failures_total",
    "Payment provider notifications refused or not applied, by provider (<unknown> for one not "
    "configured) and reason: the problem code (webhook.invalid_signature, validation.failed for a "
    "malformed body, …) or the outcome (webhook.unknown_payment, webhook.amount_mismatch).",
    ("provider", "reason"),
    registry=REGISTRY,
)
CATALOG_CACHE = Counter(
    "aquastream_catalog_cache_total",
    "Anonymous catalog reads answered from the short-lived cache (hit), from another request's"
    " computation of the same answer (joined), or computed (miss).",
    ("result",),
    registry=REGISTRY,
)
RATE_LIMIT_UNCHECKED = Counter(
    "aquastream_rate_limit_unchecked_total",
    "Requests let through without a rate-limit check because the counter store (Redis) failed, "
    "by rate-limit category.",
    ("category",),
    registry=REGISTRY,
)
NOTIFICATIONS_SENT = Counter(
    "aquastream_notifications_sent_total",
    "Notification messages a channel accepted, by channel (a channel not configured writes to the log).",
    ("channel",),
    registry=REGISTRY,
)
NOTIFICATIONS_FAILED = Counter(
    "aquastream_notifications_failed_total",
    "Notification delivery attempts that failed, by channel (each retry counts).",
    ("channel",),
    registry=REGISTRY,
)

BOOKINGS_CREATED = Counter(
    "aquastream_bookings_created_total",
    "Bookings made through POST /bookings (not replays of an Idempotency-Key), by status.",
    ("status",),
    registry=REGISTRY,
)
OUTBOX_DEAD_TOTAL = Counter(
    "aquastream_outbox_dead_total",
    "Deliveries this process gave up after their last attempt, per subscriber.",
    ("subscriber",),
    registry=REGISTRY,
)

# Read from the database at each scrape (see the module's docstring): name → help.
OUTBOX_BACKLOG = "aquastream_outbox_backlog"
OUTBOX_DEAD = "aquastream_outbox_dead_letters"
NOTIFICATIONS_PENDING = "aquastream_notifications_pending"
_READ_AT_SCRAPE = {
    OUTBOX_BACKLOG: "Deliveries of domain events not yet made, per subscriber (<domain>.<UseCase>); "
    "facts a domain published and the spine has not relayed yet count under <domain>.relay. "
    "Read at scrape time.",
    OUTBOX_DEAD: "Deliveries given up after their last attempt and not retried, per subscriber "
    "(read at scrape time).",
    NOTIFICATIONS_PENDING: "Notification messages not yet sent nor given up (due, or waiting for "
    "a retry), by channel (read at scrape time).",
}


def count_dead_letter(delivery: Delivery) -> None:
    OUTBOX_DEAD_TOTAL.labels(delivery.subscriber).inc()


class CountedSender:
    """A ``MessageSender`` that counts each attempt's outcome under the message's channel."""

    def __init__(self, sender: MessageSender) -> None:
        self._sender = sender

    async def send(self, message: Message) -> None:
        try:
            await self._sender.send(message)
        except Exception:  # as the sender job: a cancelled send is no outcome
            NOTIFICATIONS_FAILED.labels(message.channel).inc()
            raise
        NOTIFICATIONS_SENT.labels(message.channel).inc()


def observe_request(method: str, route: str, status: int, duration_seconds: float) -> None:
    status_label = str(status)
    HTTP_REQUESTS.labels(method, route, status_label).inc()
    HTTP_REQUEST_DURATION.labels(method, route, status_label).observe(duration_seconds)


def forget_this_process() -> None:
    """At shutdown, in multiprocess mode: drop this process's live gauges from the shared files."""
    if MULTIPROCESS:
        multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]


@get("/metrics", include_in_schema=False, opt=OPERATOR_ROUTE)
@inject
async def metrics_endpoint(
    request: Request[Any, Any, Any],
    spine: FromDishka[Spine],
    notifications: FromDishka[NotificationUnitOfWork],
) -> Response[bytes]:
    """Every metric above, in the exposition format the scraper asks for (Prometheus text by default).

    The spine's backlog and dead letters and the pending notifications are the database's,
    shared by every instance: they are counted here, once per scrape, rather than by each
    worker's poll (three grouped counts, each over a partial index or the pending rows)."""
    async with notifications.reading():
        pending = await notifications.messages.pending_by_channel()
    readings = [
        _gauge(OUTBOX_BACKLOG, "subscriber", await spine.backlog()),
        _gauge(OUTBOX_DEAD, "subscriber", await spine.dead_count()),
        # Every channel is listed, so that a quiet channel reads 0 rather than nothing.
        _gauge(NOTIFICATIONS_PENDING, "channel", {str(c): pending.get(c, 0) for c in Channel}),
    ]
    encode, media_type = choose_encoder(request.headers.get("accept", ""))
    # Litestar appends the charset to text/* media types itself.
    media_type = media_type.replace("; charset=utf-8", "") if media_type.startswith("text/") else media_type
    return Response(encode(_Scrape(readings)), media_type=media_type, status_code=200)


class _Scrape(Collector):
    """The process's (or every process's) metrics, then this scrape's database readings."""

    def __init__(self, readings: Iterable[Metric]) -> None:
        self._readings = readings

    def collect(self) -> Iterable[Metric]:
        yield from _SCRAPED.collect()
        yield from self._readings


def _gauge(name: str, label: str, counts: Mapping[str, int]) -> GaugeMetricFamily:
    # A subscriber whose work is all done drops out of the database's answer: it is not listed.
    family = GaugeMetricFamily(name, _READ_AT_SCRAPE[name], labels=(label,))
    for key, value in sorted(counts.items()):
        family.add_metric((key,), value)
    return family
