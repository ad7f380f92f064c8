"""Keeps secrets out of exported spans: the URL attributes of every span are rewritten as it
starts, before any exporter sees it.

- A server span's path is withheld (``UNROUTED``) until routing has found the route
  template, which then takes its place (``show_route``): a raw path may hold a credential
  (the private calendar feed is ``/calendar/{token}.ics``), a template never does. A request
  that matches no route keeps ``UNROUTED``.
- A client span's path keeps its shape, but a Telegram Bot API path's ``bot<token>``
  segment becomes ``bot{token}``.
- Query values of parameters whose name says secret (``token``, ``signature``, ``sig``,
  ``code``, ``password``, ``key``, ``secret``, …) become ``REDACTED``, in server and client
  spans alike; credentials in a URL's authority (``user:password@``) are dropped.

Headers are never recorded (the instrumentations record them only when told to by
``OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_*``, which then also sanitises the fields that
``..._SANITIZE_FIELDS`` names), nor are SQL bound values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

from opentelemetry.context import Context
from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor
from opentelemetry.trace import Span as ApiSpan
from opentelemetry.trace import SpanKind
from opentelemetry.util.types import AttributeValue

UNROUTED = "/{unrouted}"
REDACTED = "REDACTED"

# Old and stable HTTP semantic conventions (OTEL_SEMCONV_STABILITY_OPT_IN picks either or both).
PATH_ATTRIBUTES = ("http.target", "url.path")
URL_ATTRIBUTES = ("http.url", "url.full")
QUERY_ATTRIBUTES = ("url.query",)

_SECRET_PARAMETER = re.compile(
    r"token|secret|sig|password|passwd|pwd|code|key|auth|credential|hash|session|otp", re.IGNORECASE
)
_TELEGRAM_BOT_SEGMENT = re.compile(r"(?<=/bot)[^/]+")


class ScrubbingSpanProcessor(SpanProcessor):
    """Rewrites the URL attributes a span starts with (module docstring). Registered before
    the exporting processors, so that they only ever see the rewritten values."""

    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        scrub(span)

    def on_end(self, span: ReadableSpan) -> None:
        return None


def scrub(span: ApiSpan, _scope: object = None) -> None:
    """Rewrite ``span``'s URL attributes now. Also the ASGI server span's request hook: the
    ASGI middleware sets its attributes again once the span has started."""
    if not isinstance(span, ReadableSpan):
        return
    for key, value in scrubbed(span.attributes or {}, server=span.kind is SpanKind.SERVER).items():
        span.set_attribute(key, value)


def scrubbed(attributes: Mapping[str, AttributeValue], *, server: bool) -> dict[str, str]:
    """The new values of the URL attributes among ``attributes``."""
    found: dict[str, str] = {}
    for key in PATH_ATTRIBUTES:
        if key in attributes:
            found[key] = UNROUTED if server else scrub_path(str(attributes[key]))
    for key in URL_ATTRIBUTES:
        if key in attributes:
            found[key] = scrub_url(str(attributes[key]), server=server)
    for key in QUERY_ATTRIBUTES:
        if key in attributes:
            found[key] = scrub_query(str(attributes[key]))
    return found


def scrub_url(url: str, *, server: bool) -> str:
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    path = UNROUTED if server else scrub_path(parts.path)
    return urlunsplit((parts.scheme, host, path, scrub_query(parts.query), ""))


def scrub_path(path: str) -> str:
    """A client's path: a Telegram bot token is the one secret our clients put in a path."""
    query = ""
    if "?" in path:
        path, query = path.split("?", 1)
    path = _TELEGRAM_BOT_SEGMENT.sub("{token}", path)
    return f"{path}?{scrub_query(query)}" if query else path


def scrub_query(query: str) -> str:
    if not query:
        return query
    pairs = parse_qsl(query, keep_blank_values=True)
    return "&".join(
        f"{quote(name, safe='')}={REDACTED if _SECRET_PARAMETER.search(name) else quote(value, safe='')}"
        for name, value in pairs
    )


def show_route(span: ApiSpan, template: str) -> None:
    """Put the route template where a server span's path was withheld."""
    attributes = span.attributes if isinstance(span, ReadableSpan) else None
    if not attributes:
        return
    for key in (*PATH_ATTRIBUTES, *URL_ATTRIBUTES):
        value = attributes.get(key)
        if isinstance(value, str) and UNROUTED in value:
            span.set_attribute(key, value.replace(UNROUTED, template, 1))
