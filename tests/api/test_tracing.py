"""Traces go to the OTLP endpoint when one is set, with spans named after route templates."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from litestar import Litestar
from litestar.plugins.opentelemetry import OpenTelemetryPlugin
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from .conftest import Serve


class FakeCollector(ThreadingHTTPServer):
    """An OTLP/HTTP receiver that keeps the spans it is sent."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Receiver)
        self.spans: list[Any] = []

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
    assert app.before_request is None
