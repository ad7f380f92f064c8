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

OpenTelemetry's SDK, its instrumentations and Litestar's plugin (with httpx, ~10 MB of a
server's memory) are imported only when tracing is on (``tracing_sdk``): here, only what an
untraced process needs.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from litestar import Request
from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.trace_context import DeliverySpans
from aquastream.domain.shared.scheduling import PeriodicJob
from aquastream.settings import Settings

if TYPE_CHECKING:
    import httpx
    from litestar.plugins.opentelemetry import OpenTelemetryPlugin
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import SpanProcessor, TracerProvider

# OpenTelemetry's names of its variables (``opentelemetry.sdk.environment_variables``).
OTEL_SDK_DISABLED = "OTEL_SDK_DISABLED"
OTEL_EXPORTER_OTLP_ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT"
OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
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
        from aquastream.adapters.http import tracing_sdk

        return cls(tracing_sdk.scrubbed_provider(resource, processors))

    @property
    def enabled(self) -> bool:
        return self.tracer_provider is not None

    def plugin(self) -> OpenTelemetryPlugin | None:
        """Litestar's server spans, or None when off."""
        if self.tracer_provider is None:
            return None
        from aquastream.adapters.http import tracing_sdk

        return tracing_sdk.server_spans(self.tracer_provider)

    def engine_instrumentation(self) -> Callable[[AsyncEngine], None] | None:
        """What ``create_engine`` calls on each engine it makes; None when off."""
        return self.instrument_engine if self.tracer_provider is not None else None

    def instrument_engine(self, engine: AsyncEngine) -> None:
        """A span per statement on ``engine`` (``db.statement`` keeps the placeholders; the
        bound values are never recorded, and no sqlcommenter comment is added)."""
        if self.tracer_provider is None:
            return
        from aquastream.adapters.http import tracing_sdk

        tracing_sdk.trace_statements(self.tracer_provider, engine)

    def instrument_client(self, client: httpx.AsyncClient) -> None:
        """A client span per request of ``client``, with the trace context sent along."""
        if self.tracer_provider is None:
            return
        from aquastream.adapters.http import tracing_sdk

        tracing_sdk.trace_requests(self.tracer_provider, client)

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
        from opentelemetry.context import Context
        from opentelemetry.trace import SpanKind

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
    from aquastream.adapters.http import tracing_sdk

    return Tracing.exporting_to(resource_for(settings), tracing_sdk.otlp_export(endpoint))


def resource_for(settings: Settings) -> Resource:
    """The SDK's resource (``OTEL_RESOURCE_ATTRIBUTES``, ``OTEL_SERVICE_NAME``) with this
    application's version, named ``aquastream`` unless the environment names it."""
    from aquastream.adapters.http import tracing_sdk

    return tracing_sdk.resource_for(settings.version)


async def name_span_after_route(request: Request[Any, Any, Any]) -> None:
    """``before_request`` hook (only when tracing is on): the route template is known from here on."""
    template = request.scope.get("path_template")
    if not template:
        return
    from aquastream.adapters.http import tracing_sdk

    tracing_sdk.name_after_route(f"{request.method} {template}", template)
