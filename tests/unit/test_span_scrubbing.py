"""URL attributes lose their secrets before any exporter sees them; tracing off instruments
nothing; a batch of deliveries is linked to every fact's trace."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from aquastream.adapters.http.span_scrubbing import UNROUTED, scrub_query, scrub_url, scrubbed
from aquastream.adapters.http.tracing import Tracing
from aquastream.adapters.sql.engine import create_engine
from aquastream.adapters.trace_context import DeliverySpans, current_traceparent
from aquastream.ports.outbox import Delivery


def test_query_values_of_secret_named_parameters_are_redacted() -> None:
    assert scrub_query("expires=17&signature=abc&X-Amz-Signature=def&token=t&page=2&code=123456") == (
        "expires=17&signature=REDACTED&X-Amz-Signature=REDACTED&token=REDACTED&page=2&code=REDACTED"
    )


def test_a_client_url_keeps_its_shape_without_the_bot_token_or_credentials() -> None:
    assert (
        scrub_url("https://user:pass@api.telegram.org/bot123:AAE-x/sendMessage?secret_token=s", server=False)
        == "https://api.telegram.org/bot{token}/sendMessage?secret_token=REDACTED"
    )


def test_a_server_path_is_withheld_until_its_route_is_known() -> None:
    found = scrubbed(
        {"http.target": "/api/v1/calendar/tok.ics", "http.url": "http://h/api/v1/calendar/tok.ics?token=t"},
        server=True,
    )

    assert found == {"http.target": UNROUTED, "http.url": f"http://h{UNROUTED}?token=REDACTED"}


def _engine_listeners() -> list[tuple[Any, str, Any]]:
    """Where the SQLAlchemy instrumentation has attached its listeners (weak references)."""
    return list(EngineTracer._remove_event_listener_params)


def test_tracing_off_attaches_nothing_to_engines_and_clients() -> None:
    tracing = Tracing.off()
    engine = create_engine("sqlite+aiosqlite://", instrument=tracing.engine_instrumentation())
    client = httpx.AsyncClient()
    tracing.instrument_client(client)

    assert tracing.engine_instrumentation() is None
    assert tracing.delivery_spans() is None
    assert not any(
        target() is engine.sync_engine for target, _, _ in EngineTracer._remove_event_listener_params
    )
    assert not getattr(client, "_is_instrumented_by_opentelemetry", False)


def test_tracing_on_traces_each_engine_it_is_given() -> None:
    tracing = Tracing.exporting_to(Resource.create())
    engine = create_engine("sqlite+aiosqlite://", instrument=tracing.engine_instrumentation())

    assert any(target() is engine.sync_engine for target, _, _ in _engine_listeners())


def _delivery(trace_context: str | None) -> Delivery:
    return Delivery(
        uuid.uuid4(),
        uuid.uuid4(),
        "crews.Seat",
        "BookingConfirmed",
        b"{}",
        1,
        datetime.now(UTC),
        trace_context,
    )


def test_a_batch_of_deliveries_runs_in_one_span_linked_to_each_facts_trace() -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("test")
    contexts = []
    for name in ("POST /a", "POST /b"):
        with tracer.start_as_current_span(name):
            contexts.append(current_traceparent())

    with DeliverySpans(provider)([_delivery(contexts[0]), _delivery(contexts[1]), _delivery(None)]):
        pass

    [batch] = [span for span in exporter.get_finished_spans() if span.name == "process BookingConfirmed"]
    requests = [span for span in exporter.get_finished_spans() if span.name.startswith("POST")]
    assert batch.kind is SpanKind.CONSUMER
    assert batch.parent is None
    assert {link.context.span_id for link in batch.links} == {
        span.context.span_id for span in requests if span.context is not None
    }


def test_outside_a_span_there_is_no_trace_context() -> None:
    assert current_traceparent() is None
