"""No secret reaches a span or a log line: a whole journey through the real app, traced into
memory and logged at DEBUG (INFO for libraries), and every span and line searched for every
secret the journey used. Also: the facts a request raises are handled in spans of its trace."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from aquastream.adapters.http.logs import JsonFormatter
from aquastream.adapters.http.tracing import Tracing
from aquastream.adapters.memory.clock import FrozenClock
from aquastream.adapters.payments.sandbox import SIGNATURE_HEADER
from tests.api.booking.conftest import People, people
from tests.api.booking.kit import booked
from tests.api.catalog.conftest import FrozenClockProvider, cast, clock
from tests.api.catalog.kit import API, Cast, published_event
from tests.api.conftest import Serve
from tests.api.identity.conftest import PASSWORD, Client
from tests.api.notifications.conftest import WEBHOOK_SECRET
from tests.api.notifications.test_telegram_webhook import link_code, say
from tests.api.payments.kit import started
from tests.api.payments.test_webhooks import _sandbox_signature
from tests.api.worker import drain_outbox, run_due_jobs
from tests.contract.notifications.fake_servers import BOT_TOKEN, FakeServer, serving

__all__ = ["cast", "clock", "people"]

NEW_PASSWORD = "Rapids-Are-Loud-2031!"
LINK_SIGNATURE = "d3adb33f-link-signature-0123456789abcdef"


@pytest.fixture
def telegram() -> Iterator[FakeServer]:
    with serving("telegram") as server:
        yield server


@pytest.fixture
def exporter() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
async def api(
    serve: Serve, clock: FrozenClock, telegram: FakeServer, exporter: InMemorySpanExporter
) -> AsyncIterator[Client]:
    tracing = Tracing.exporting_to(Resource.create(), SimpleSpanProcessor(exporter))
    async with serve(
        FrozenClockProvider(clock),
        tracing=tracing,
        rate_limit_enabled=False,
        telegram_webhook_secret=WEBHOOK_SECRET,
        telegram_bot_token=BOT_TOKEN,
        telegram_api_url=telegram.url,
    ) as client:
        yield client


def _attributes(span: ReadableSpan) -> dict[str, Any]:
    return dict(span.attributes or {})


async def test_a_whole_journey_leaves_no_secret_in_spans_or_logs(
    api: Client,
    cast: Cast,
    people: People,
    telegram: FakeServer,
    exporter: InMemorySpanExporter,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="aquastream")
    pavel = people.pavel
    secrets = {
        "password": PASSWORD,
        "bot token": BOT_TOKEN,
        "telegram webhook secret": WEBHOOK_SECRET,
        "link signature": LINK_SIGNATURE,
        "access token": pavel.access_token,
        "refresh token": pavel.refresh_token,
    }

    # Log in again, with the password.
    assert (
        await api.post(f"{API}/auth/login", json={"email": pavel.email, "password": PASSWORD})
    ).status_code == 200

    # The private calendar feed, read with its token.
    feed = (await api.get(f"{API}/users/me/calendar-feed", headers=pavel.auth)).json()["url"]
    secrets["feed token"] = feed.rsplit("/", 1)[1].removesuffix(".ics")
    assert (await api.get(feed.removeprefix("http://testserver.local"))).status_code == 200

    # A booking, paid through the sandbox's signed notification, its facts delivered.
    event = await published_event(api, cast.anna, "river-rats")
    booking = await booked(api, pavel, event["id"])
    payment = await started(api, pavel, booking["id"])
    body = json.dumps(
        {
            "id": "evt_1",
            "paymentId": payment["confirmation"]["url"].split("/")[-2],
            "status": "SUCCEEDED",
            "amount": "1500.00",
        }
    ).encode()
    secrets["webhook signature"] = await _sandbox_signature(api, body)
    paid = await api.post(
        f"{API}/webhooks/payments/sandbox",
        content=body,
        headers={SIGNATURE_HEADER: secrets["webhook signature"]},
    )
    assert paid.json()["outcome"] == "APPLIED", paid.text
    await drain_outbox(api)

    # Telegram: the chat linked with a one-time code, then a recovery code sent through the
    # Bot API (a loopback server, its URL holding the bot token), traded for a reset token.
    secrets["telegram link code"] = await link_code(api, cast.vera)
    await say(api, f"/start {secrets['telegram link code']}")
    assert (await api.post(f"{API}/auth/recovery/init", json={"email": cast.vera.email})).status_code == 202
    [sent] = [request.body for request in telegram.received]
    secrets["recovery code"] = re.findall(r"\b\d{6}\b", sent["text"])[0]
    verified = await api.post(
        f"{API}/auth/recovery/verify", json={"email": cast.vera.email, "code": secrets["recovery code"]}
    )
    secrets["reset token"] = verified.json()["resetToken"]
    reset = await api.post(
        f"{API}/auth/recovery/reset",
        json={"resetToken": secrets["reset token"], "newPassword": NEW_PASSWORD},
    )
    assert reset.status_code == 204, reset.text
    secrets["new password"] = NEW_PASSWORD

    # A signed media link (refused: the signature is made up; its value still must not show).
    await api.get(f"{API}/media/objects/covers/a.webp", params={"expires": "1", "signature": LINK_SIGNATURE})

    spans = exporter.get_finished_spans()
    records = [*caplog.get_records("setup"), *caplog.get_records("call")]
    lines = [JsonFormatter().format(record) for record in records]
    # The scan below must have something to scan: requests, SQL, the Bot API call, deliveries.
    names = [span.name for span in spans]
    assert "GET /api/v1/calendar/{feed}" in names
    assert any("db.statement" in _attributes(span) for span in spans)
    telegram_calls = [
        str(value)
        for span in spans
        for key, value in _attributes(span).items()
        if key in ("http.url", "url.full") and "/sendMessage" in str(value)
    ]
    assert telegram_calls
    assert all("/bot{token}/sendMessage" in url for url in telegram_calls)
    assert any(name.startswith("process ") for name in names)
    assert any("POST /api/v1/auth/login" in line for line in lines)
    for span in spans:
        text = span.to_json()
        for what, secret in secrets.items():
            assert secret not in text, f"the {what} is in span {span.name!r}"
    for line in lines:
        for what, secret in secrets.items():
            assert secret not in line, f"the {what} is in the log line {line!r}"


async def test_a_feed_url_shows_its_route_template_and_secret_query_values_are_redacted(
    api: Client, exporter: InMemorySpanExporter
) -> None:
    await api.get(f"{API}/calendar/feed-token-1234.ics", params={"token": "t0ps3cret", "page": "2"})

    [server] = [
        span for span in exporter.get_finished_spans() if span.name.startswith("GET /api/v1/calendar")
    ]
    url_attributes = {
        key: value
        for key, value in _attributes(server).items()
        if key in ("http.target", "http.url", "url.path", "url.query", "http.route")
    }
    assert url_attributes["http.route"] == "/api/v1/calendar/{feed}"
    assert url_attributes["http.target"] == "/api/v1/calendar/{feed}"
    assert url_attributes["http.url"].endswith("/api/v1/calendar/{feed}?token=REDACTED&page=2")
    assert "feed-token-1234" not in server.to_json()


async def test_the_facts_of_a_request_are_handled_in_spans_of_its_trace(
    api: Client, cast: Cast, people: People, exporter: InMemorySpanExporter
) -> None:
    event = await published_event(api, cast.anna, "river-rats")
    booking = await booked(api, people.pavel, event["id"])
    payment = await started(api, people.pavel, booking["id"])
    body = json.dumps(
        {
            "id": "evt_1",
            "paymentId": payment["confirmation"]["url"].split("/")[-2],
            "status": "SUCCEEDED",
            "amount": "1500.00",
        }
    ).encode()
    signature = await _sandbox_signature(api, body)
    exporter.clear()

    await api.post(f"{API}/webhooks/payments/sandbox", content=body, headers={SIGNATURE_HEADER: signature})
    await drain_outbox(api)

    spans = exporter.get_finished_spans()
    [webhook] = [span for span in spans if span.name == "POST /api/v1/webhooks/payments/{provider}"]
    [confirming] = [
        span
        for span in spans
        if span.name == "process PaymentSucceeded"
        and _attributes(span)["messaging.consumer.group.name"] == "booking.ConfirmPaidBooking"
    ]
    assert webhook.context is not None
    assert confirming.context is not None
    assert confirming.parent is not None
    assert confirming.context.trace_id == webhook.context.trace_id
    assert confirming.parent.span_id == webhook.context.span_id
    # What the subscriber did is inside its span: its statements, and the facts it raised in turn.
    inside = [
        span
        for span in spans
        if span.parent is not None and span.parent.span_id == confirming.context.span_id
    ]
    assert any("db.statement" in _attributes(span) for span in inside)
    assert any(
        span.name == "process BookingConfirmed"
        and span.context is not None
        and span.context.trace_id == webhook.context.trace_id
        for span in spans
    )


async def test_a_job_run_is_a_trace_holding_its_outgoing_calls(
    api: Client, cast: Cast, exporter: InMemorySpanExporter
) -> None:
    await say(api, f"/start {await link_code(api, cast.vera)}")
    queued = await api.post(
        f"{API}/admin/notifications/test",
        json={"userId": cast.vera.id, "text": "ping"},
        headers=cast.root.auth,
    )
    assert queued.status_code == 202, queued.text
    exporter.clear()

    await run_due_jobs(api)

    spans = exporter.get_finished_spans()
    [job] = [span for span in spans if span.name == "job notifications.send"]
    [call] = [span for span in spans if "/sendMessage" in str(_attributes(span).get("http.url", ""))]
    assert job.context is not None
    assert call.parent is not None
    assert call.parent.span_id == job.context.span_id
    assert BOT_TOKEN not in call.to_json()
