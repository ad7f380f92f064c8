"""OpenTelemetry's machinery behind ``tracing.Tracing``, imported only when tracing is on:
the scrubbed provider and its sampler, the OTLP exporter, Litestar's server spans and the
SQLAlchemy and httpx instrumentations (see ``tracing``'s docstring)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx
from litestar.plugins.opentelemetry import OpenTelemetryConfig, OpenTelemetryPlugin
from litestar.types import Scope
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
from opentelemetry.instrumentation.sqlalchemy.version import __version__ as sqlalchemy_instrumentation_version
from opentelemetry.metrics import NoOpMeterProvider
from opentelemetry.sdk.resources import SERVICE_NAME, SERVICE_VERSION, Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter
from opentelemetry.sdk.trace.sampling import Decision, Sampler, SamplingResult
from opentelemetry.semconv.attributes.http_attributes import HTTP_ROUTE
from opentelemetry.trace import Link, SpanKind, TraceState
from opentelemetry.util.types import Attributes
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.http.span_scrubbing import ScrubbingSpanProcessor, scrub, show_route

DEFAULT_SERVICE_NAME = "aquastream"


def scrubbed_provider(resource: Resource, processors: Sequence[SpanProcessor]) -> TracerProvider:
    """A provider (its sampler from ``OTEL_TRACES_SAMPLER``) whose spans are scrubbed, then
    handed to ``processors``."""
    # A provider made only to read OTEL_TRACES_SAMPLER the way the SDK does.
    configured = TracerProvider(shutdown_on_exit=False).sampler
    provider = TracerProvider(resource=resource, sampler=NoLoneClientSpans(configured))
    provider.add_span_processor(ScrubbingSpanProcessor())
    for processor in processors:
        provider.add_span_processor(processor)
    return provider


def otlp_export(endpoint: str | None) -> SpanProcessor:
    """Batches of spans exported over OTLP/HTTP to ``endpoint`` (else where ``OTEL_*`` say)."""
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    exporter: SpanExporter = OTLPSpanExporter() if endpoint is None else OTLPSpanExporter(endpoint=endpoint)
    return BatchSpanProcessor(exporter)


def resource_for(version: str) -> Resource:
    resource = Resource.create({SERVICE_VERSION: version})
    if str(resource.attributes.get(SERVICE_NAME, "")).startswith("unknown_service"):
        resource = resource.merge(Resource({SERVICE_NAME: DEFAULT_SERVICE_NAME}))
    return resource


def server_spans(provider: TracerProvider) -> OpenTelemetryPlugin:
    config = OpenTelemetryConfig(
        tracer_provider=provider,
        scope_span_details_extractor=_span_details_before_routing,
        server_request_hook_handler=scrub,
        exclude_spans=["receive", "send"],
    )
    return OpenTelemetryPlugin(config)


def trace_statements(provider: TracerProvider, engine: AsyncEngine) -> None:
    tracer = provider.get_tracer(
        "opentelemetry.instrumentation.sqlalchemy", sqlalchemy_instrumentation_version
    )
    # The connection-usage metric goes nowhere: metrics are Prometheus's (adapters.http.metrics).
    usage = NoOpMeterProvider().get_meter(__name__).create_up_down_counter("db.client.connections.usage")
    EngineTracer(tracer, engine.sync_engine, usage, enable_commenter=False)  # type: ignore[no-untyped-call]


def trace_requests(provider: TracerProvider, client: httpx.AsyncClient) -> None:
    HTTPXClientInstrumentor.instrument_client(
        client, tracer_provider=provider, meter_provider=NoOpMeterProvider()
    )


def name_after_route(name: str, template: str) -> None:
    span = trace.get_current_span()
    span.update_name(name)
    span.set_attribute(HTTP_ROUTE, template)
    show_route(span, template)


def _span_details_before_routing(scope: Scope) -> tuple[str, dict[str, Any]]:
    return str(scope.get("method", "HTTP")), {}


class NoLoneClientSpans(Sampler):
    """``sampler``, except that a client span with no parent (a SQL statement of the worker's
    spine polling, every second) is dropped: statements and outgoing calls are traced as
    parts of a request, a delivery or a job, never as traces of their own."""

    def __init__(self, sampler: Sampler) -> None:
        self._sampler = sampler

    def should_sample(
        self,
        parent_context: Context | None,
        trace_id: int,
        name: str,
        kind: SpanKind | None = None,
        attributes: Attributes = None,
        links: Sequence[Link] | None = None,
        trace_state: TraceState | None = None,
    ) -> SamplingResult:
        parent = trace.get_current_span(parent_context).get_span_context()
        if kind is SpanKind.CLIENT and not parent.is_valid:
            return SamplingResult(Decision.DROP)
        return self._sampler.should_sample(
            parent_context, trace_id, name, kind, attributes, links, trace_state
        )

    def get_description(self) -> str:
        return f"NoLoneClientSpans{{{self._sampler.get_description()}}}"
