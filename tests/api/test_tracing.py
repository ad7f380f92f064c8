"""Traces go to the OTLP endpoint when one is set (by OpenTelemetry's own variables or
``AQUASTREAM_OTLP_ENDPOINT``), with spans named after route templates, and SQL spans."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from litestar import Litestar
from litestar.plugins.opentelemetry import OpenTelemetryPlugin
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from aquastream.adapters.http.query_check import QueryParameterCheck

from .conftest import Serve


class FakeCollector(ThreadingHTTPServer):
    """An OTLP/HTTP receiver that keeps the spans it is sent."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Receiver)
        self.spans: list[Any] = []
        self.resources: list[dict[str, str]] = []

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Receiver(BaseHTTPRequestHandler):
    server: FakeCollector

    def do_POST(self) -> None:
        request = ExportTraceServiceRequest()
        request.ParseFromString(self.rfile.read(int(self.headers["Content-Length"])))
        if self.path == "/v1/traces":
            for resource_spans in request.resource_spans:
                self.server.resources.append(attributes(resource_spans.resource))
                for scope_spans in resource_spans.scope_spans:
                    self.server.spans.extend(scope_spans.spans)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def collector() -> Iterator[FakeCollector]:
    server = FakeCollector()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def attributes(span: Any) -> dict[str, str]:
    return {attribute.key: attribute.value.string_value for attribute in span.attributes}


async def test_spans_are_exported_named_after_the_route_template(
    serve: Serve, collector: FakeCollector
) -> None:
    async with serve(otlp_endpoint=collector.endpoint) as client:
        await client.get("/api/v1/probe/errors/not-found")
    # Leaving the client shuts the application down, which flushes the spans.

    names = [span.name for span in collector.spans]
    assert "GET /api/v1/probe/errors/{kind}" in names
    assert not any("not-found" in name for name in names)
    [server_span] = [span for span in collector.spans if span.name == "GET /api/v1/probe/errors/{kind}"]
    assert attributes(server_span)["http.route"] == "/api/v1/probe/errors/{kind}"


async def test_unmatched_requests_are_named_by_method_only(serve: Serve, collector: FakeCollector) -> None:
    async with serve(otlp_endpoint=collector.endpoint) as client:
        await client.get("/scan/for/secrets")

    assert [span.name for span in collector.spans] == ["GET"]


def test_without_an_endpoint_there_is_no_tracing(make_app: Any) -> None:
    app: Litestar = make_app()

    with pytest.raises(KeyError):
        app.plugins.get(OpenTelemetryPlugin)
    assert isinstance(app.before_request, QueryParameterCheck)  # nothing names spans


async def test_the_standard_endpoint_variable_alone_exports_spans(
    serve: Serve, collector: FakeCollector, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint)
    async with serve() as client:
        await client.get("/api/v1/probe/errors/not-found")

    assert "GET /api/v1/probe/errors/{kind}" in [span.name for span in collector.spans]
    assert collector.resources[0]["service.name"] == "aquastream"


async def test_the_traces_endpoint_variable_is_used_as_it_is(
    serve: Serve, collector: FakeCollector, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", f"{collector.endpoint}/v1/traces")
    async with serve() as client:
        await client.get("/api/v1/probe/errors/not-found")

    assert "GET /api/v1/probe/errors/{kind}" in [span.name for span in collector.spans]


async def test_the_service_name_variable_names_the_service(
    serve: Serve, collector: FakeCollector, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OTEL_SERVICE_NAME", "aquastream-eu-api")
    async with serve(otlp_endpoint=collector.endpoint) as client:
        await client.get("/api/v1/probe/errors/not-found")

    assert collector.spans
    assert {resource["service.name"] for resource in collector.resources} == {"aquastream-eu-api"}


async def test_the_application_endpoint_wins_over_the_generic_variable(
    serve: Serve, collector: FakeCollector, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9")  # nothing listens there
    async with serve(otlp_endpoint=collector.endpoint) as client:
        await client.get("/api/v1/probe/errors/not-found")

    assert "GET /api/v1/probe/errors/{kind}" in [span.name for span in collector.spans]


@pytest.mark.parametrize(
    ("variable", "value"),
    [("OTEL_SDK_DISABLED", "true"), ("OTEL_TRACES_EXPORTER", "none"), ("OTEL_TRACES_SAMPLER", "always_off")],
)
async def test_the_variables_that_turn_tracing_off_export_nothing(
    serve: Serve, collector: FakeCollector, monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint)
    monkeypatch.setenv(variable, value)
    async with serve(otlp_endpoint=collector.endpoint) as client:
        answer = await client.get("/api/v1/events")
        assert answer.status_code == 200

    assert collector.spans == []


def test_a_disabled_sdk_installs_no_tracing_at_all(make_app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_SDK_DISABLED", "true")
    app: Litestar = make_app(otlp_endpoint="http://127.0.0.1:4318")

    with pytest.raises(KeyError):
        app.plugins.get(OpenTelemetryPlugin)


async def test_sql_statements_are_spans_of_their_request_without_their_values(
    serve: Serve, collector: FakeCollector
) -> None:
    async with serve(otlp_endpoint=collector.endpoint) as client:
        answer = await client.get("/api/v1/events", params={"organizer": "kayak-secret-needle"})
        assert answer.status_code == 200

    [request] = [span for span in collector.spans if span.name == "GET /api/v1/events"]
    statements = [span for span in collector.spans if "db.statement" in attributes(span)]
    assert statements
    assert all(span.trace_id == request.trace_id for span in statements)
    assert any(span.parent_span_id == request.span_id for span in statements)
    # The organizer's slug is a bound value of the statements that look it up.
    assert not any("kayak-secret-needle" in str(span) for span in statements)
