"""OpenTelemetry traces, exported over OTLP/HTTP when ``otlp_endpoint`` is set (else nothing runs).

Spans are named ``METHOD /route/{template}`` (never the raw path, which would make one
span name per event id): the server span starts as just the method and is renamed once
routing has found the template.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.plugins.opentelemetry import OpenTelemetryConfig, OpenTelemetryPlugin
from litestar.types import Scope
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import SERVICE_NAME, SERVICE_VERSION, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.semconv.attributes.http_attributes import HTTP_ROUTE

from aquastream.settings import Settings


@dataclass(frozen=True, slots=True)
class Tracing:
    plugin: OpenTelemetryPlugin
    tracer_provider: TracerProvider

    def shutdown(self) -> None:
        """Flush the spans still queued and stop exporting."""
        self.tracer_provider.shutdown()


def tracing_for(settings: Settings) -> Tracing | None:
    if not settings.otlp_endpoint:
        return None
    resource = Resource.create({SERVICE_NAME: "aquastream", SERVICE_VERSION: settings.version})
    provider = TracerProvider(resource=resource)
    exporter = OTLPSpanExporter(endpoint=settings.otlp_endpoint.rstrip("/") + "/v1/traces")
    provider.add_span_processor(BatchSpanProcessor(exporter))
    config = OpenTelemetryConfig(
        tracer_provider=provider,
        scope_span_details_extractor=_span_details_before_routing,
        exclude_spans=["receive", "send"],
    )
    return Tracing(plugin=OpenTelemetryPlugin(config), tracer_provider=provider)


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
