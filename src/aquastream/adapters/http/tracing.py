"""OpenTelemetry traces of this process: requests, SQL, outgoing HTTP and event deliveries,
exported over OTLP/HTTP when an endpoint is configured (else nothing is instrumented: no
listener on the engines, no wrapper on the HTTP clients or the subscribers, no middleware;
what remains is one context-variable read per commit that writes facts).

Configuration is OpenTelemetry's own, read from the environment by the SDK, with
``AQUASTREAM_OTLP_ENDPOINT`` kept as this application's name for the collector:

- Tracing is on when ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``, ``AQUASTREAM_OTLP_ENDPOINT``
  or ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set, and ``OTEL_SDK_DISABLED`` is not ``true`` and
  ``OTEL_TRACES_EXPORTER`` is not ``none`` (either of these turns everything off).
- The traces endpoint, most specific first: ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`` (used as
  it is), then ``AQUASTREAM_OTLP_ENDPOINT``, then ``OTEL_EXPORTER_OTLP_ENDPOINT`` (both a
  base URL to which ``/v1/traces`` is added). Headers, timeout, compression and certificates
  come from the other ``OTEL_EXPORTER_OTLP_*`` variables, as the exporter reads them.
- ``OTEL_SERVICE_NAME`` (or ``service.name`` in ``OTEL_RESOURCE_ATTRIBUTES``) names the
  service, ``aquastream`` when neither is set; ``service.version`` is ``AQUASTREAM_VERSION``.
- ``OTEL_TRACES_SAMPLER`` and ``OTEL_TRACES_SAMPLER_ARG`` choose the sampler (the SDK's
  default is ``parentbased_always_on``); ``OTEL_BSP_*`` tune the batch export.

Each run of a periodic job is a trace of its own (``job <name>``); a statement or an outgoing
call outside any request, delivery or job (the worker's polling of the spine, every second) is
not traced (``NoLoneClientSpans``).

Spans are named ``METHOD /route/{template}`` (never the raw path, which would make one span
name per event id): the server span starts as just the method and is renamed once routing
has found the template. No secret reaches an exported span: see ``span_scrubbing``.
SQL spans come from opentelemetry-instrumentation-sqlalchemy (the statement with its
placeholders, never the bound values), outgoing HTTP spans from
opentelemetry-instrumentation-httpx, both attached to the engines and clients this process
makes (``instrument_engine``, ``instrument_client``) with this provider, not patched in
globally: the instrumentors are process-wide singletons that patch ``create_engine`` on
first use, and tests run many applications, each with its own provider, in one process.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

import httpx
from litestar import Request
from litestar.plugins.opentelemetry import OpenTelemetryConfig, OpenTelemetryPlugin
from litestar.types import Scope
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
from opentelemetry.instrumentation.sqlalchemy.version import __version__ as sqlalchemy_instrumentation_version
from opentelemetry.metrics import NoOpMeterProvider
from opentelemetry.sdk.environment_variables import (
    OTEL_EXPORTER_OTLP_ENDPOINT,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
    OTEL_SDK_DISABLED,
)
from opentelemetry.sdk.resources import SERVICE_NAME, SERVICE_VERSION, Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter
from opentelemetry.sdk.trace.sampling import Decision, Sampler, SamplingResult
from opentelemetry.semconv.attributes.http_attributes import HTTP_ROUTE
from opentelemetry.trace import Link, SpanKind, TraceState
from opentelemetry.util.types import Attributes
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.http.span_scrubbing import ScrubbingSpanProcessor, scrub, show_route
from aquastream.adapters.trace_context import DeliverySpans
from aquastream.domain.shared.scheduling import PeriodicJob
from aquastream.settings import Settings

DEFAULT_SERVICE_NAME = "aquastream"
OTEL_TRACES_EXPORTER = "OTEL_TRACES_EXPORTER"  # OpenTelemetry's name; the SDK exports no constant


class Tracing:
    """This process's tracing: off (``Tracing.off()``: nothing instrumented) or a provider
    whose spans are scrubbed of secrets and then handed to its exporting processors."""

    def __init__(self, provider: TracerProvider | None) -> None:
        self.tracer_provider = provider
        self._shut_down = False

    @classmethod
    def off(cls) -> Tracing:
        return cls(None)

    @classmethod
    def exporting_to(cls, resource: Resource, *processors: SpanProcessor) -> Tracing:
        """A provider (its sampler from ``OTEL_TRACES_SAMPLER``) whose spans are scrubbed,
        then handed to ``processors`` (tests pass a simple processor of an in-memory exporter)."""
        # A provider made only to read OTEL_TRACES_SAMPLER the way the SDK does.
        configured = TracerProvider(shutdown_on_exit=False).sampler
        provider = TracerProvider(resource=resource, sampler=NoLoneClientSpans(configured))
        provider.add_span_processor(ScrubbingSpanProcessor())
        for processor in processors:
            provider.add_span_processor(processor)
        return cls(provider)

    @property
    def enabled(self) -> bool:
        return self.tracer_provider is not None

    def plugin(self) -> OpenTelemetryPlugin | None:
        """Litestar's server spans, or None when off."""
        if self.tracer_provider is None:
            return None
        config = OpenTelemetryConfig(
            tracer_provider=self.tracer_provider,
            scope_span_details_extractor=_span_details_before_routing,
            server_request_hook_handler=scrub,
            exclude_spans=["receive", "send"],
        )
        return OpenTelemetryPlugin(config)

    def engine_instrumentation(self) -> Callable[[AsyncEngine], None] | None:
        """What ``create_engine`` calls on each engine it makes; None when off."""
        return self.instrument_engine if self.tracer_provider is not None else None

    def instrument_engine(self, engine: AsyncEngine) -> None:
        """A span per statement on ``engine`` (``db.statement`` keeps the placeholders; the
        bound values are never recorded, and no sqlcommenter comment is added)."""
        if self.tracer_provider is None:
            return
        tracer = self.tracer_provider.get_tracer(
            "opentelemetry.instrumentation.sqlalchemy", sqlalchemy_instrumentation_version
        )
        # The connection-usage metric goes nowhere: metrics are Prometheus's (adapters.http.metrics).
        usage = NoOpMeterProvider().get_meter(__name__).create_up_down_counter("db.client.connections.usage")
        EngineTracer(tracer, engine.sync_engine, usage, enable_commenter=False)  # type: ignore[no-untyped-call]

    def instrument_client(self, client: httpx.AsyncClient) -> None:
        """A client span per request of ``client``, with the trace context sent along."""
        if self.tracer_provider is None:
            return
        HTTPXClientInstrumentor.instrument_client(
            client, tracer_provider=self.tracer_provider, meter_provider=NoOpMeterProvider()
        )

    def delivery_spans(self) -> DeliverySpans | None:
        """The spans that event deliveries run in, children of the request that raised the
        fact (``adapters.trace_context``); None when off."""
        if self.tracer_provider is None:
            return None
        return DeliverySpans(self.tracer_provider)

    def traced(self, job: PeriodicJob) -> PeriodicJob:
        """``job``, each run of it a trace of its own (``job <name>``) when tracing is on: what
        a job does (its statements, its outgoing calls, the facts it raises) is seen there."""
        provider = self.tracer_provider
        if provider is None:
            return job
        tracer = provider.get_tracer("aquastream.scheduler")

        async def run() -> object:
            with tracer.start_as_current_span(f"job {job.name}", context=Context(), kind=SpanKind.INTERNAL):
                return await job.run()

        return PeriodicJob(job.name, job.interval, run)

    def shutdown(self) -> None:
        """Flush the spans still queued and stop exporting (once; later calls do nothing)."""
        if self.tracer_provider is not None and not self._shut_down:
            self._shut_down = True
            self.tracer_provider.shutdown()


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


def tracing_for(settings: Settings, environ: dict[str, str] | None = None) -> Tracing:
    """This process's tracing, from ``settings`` and the ``OTEL_*`` variables (module docstring)."""
    env = os.environ if environ is None else environ
    if env.get(OTEL_SDK_DISABLED, "").strip().lower() == "true":
        return Tracing.off()
    if env.get(OTEL_TRACES_EXPORTER, "").strip().lower() == "none":
        return Tracing.off()
    endpoint: str | None = None
    if not env.get(OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) and settings.otlp_endpoint:
        endpoint = settings.otlp_endpoint.rstrip("/") + "/v1/traces"
    elif not (env.get(OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) or env.get(OTEL_EXPORTER_OTLP_ENDPOINT)):
        return Tracing.off()
    # Imported only when exporting: the exporter and protobuf weigh on every process otherwise.
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    exporter: SpanExporter = OTLPSpanExporter() if endpoint is None else OTLPSpanExporter(endpoint=endpoint)
    return Tracing.exporting_to(resource_for(settings), BatchSpanProcessor(exporter))


def resource_for(settings: Settings) -> Resource:
    """The SDK's resource (``OTEL_RESOURCE_ATTRIBUTES``, ``OTEL_SERVICE_NAME``) with this
    application's version, named ``aquastream`` unless the environment names it."""
    resource = Resource.create({SERVICE_VERSION: settings.version})
    if str(resource.attributes.get(SERVICE_NAME, "")).startswith("unknown_service"):
        resource = resource.merge(Resource({SERVICE_NAME: DEFAULT_SERVICE_NAME}))
    return resource


def _span_details_before_routing(scope: Scope) -> tuple[str, dict[str, Any]]:
    return str(scope.get("method", "HTTP")), {}


async def name_span_after_route(request: Request[Any, Any, Any]) -> None:
    """``before_request`` hook: the route template is known from here on."""
    template = request.scope.get("path_template")
    if not template:
        return
    span = trace.get_current_span()
    span.update_name(f"{request.method} {template}")
    span.set_attribute(HTTP_ROUTE, template)
    show_route(span, template)
