"""Trace context carried by the event spine: a fact keeps the W3C ``traceparent`` of the
trace that raised it (a request, or a delivery), and its subscribers' handling runs in a
span of that same trace.

A unit of work stamps each fact it writes with ``current_traceparent()`` (None when nothing
is traced: one context-variable read, no allocation worth the name); outboxes, streams and
inboxes carry it along as an opaque string. ``DeliverySpans`` is the dispatcher's
``HandlingScope``: one delivery runs in a consumer span that is a child of its fact's
context; a batch runs in one span linked to each of its facts' contexts (a span has one
parent). A fact with no context starts a trace of its own.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace import Link, SpanKind
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from aquastream.ports.outbox import Delivery

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

TRACEPARENT = "traceparent"
_PROPAGATOR = TraceContextTextMapPropagator()


def current_traceparent() -> str | None:
    """The ``traceparent`` of the span in progress; None outside a recorded trace."""
    span_context = trace.get_current_span().get_span_context()
    if not span_context.is_valid:
        return None
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return carrier.get(TRACEPARENT)


def context_of(traceparent: str | None) -> Context | None:
    """The context ``traceparent`` names; None when it is missing or malformed."""
    if not traceparent:
        return None
    context = _PROPAGATOR.extract({TRACEPARENT: traceparent}, context=Context())
    return context if trace.get_current_span(context).get_span_context().is_valid else None


class DeliverySpans:
    """The ``HandlingScope`` of a traced process (module docstring)."""

    def __init__(self, provider: TracerProvider) -> None:
        self._tracer = provider.get_tracer("aquastream.spine")

    @contextmanager
    def __call__(self, deliveries: Sequence[Delivery]) -> Iterator[None]:
        first = deliveries[0]
        attributes: dict[str, str | int] = {
            "messaging.system": "aquastream",
            "messaging.operation.type": "process",
            "messaging.destination.name": first.event_name,
            "messaging.consumer.group.name": first.subscriber,
            "messaging.batch.message_count": len(deliveries),
        }
        links: list[Link] = []
        parent = Context()  # never the worker's own pass: the fact's trace, or a new one
        if len(deliveries) == 1:
            attributes["messaging.message.id"] = str(first.message_id)
            attributes["aquastream.delivery.attempt"] = first.attempts
            parent = context_of(first.trace_context) or parent
        else:
            for delivery in deliveries:
                context = context_of(delivery.trace_context)
                if context is not None:
                    links.append(Link(trace.get_current_span(context).get_span_context()))
        with self._tracer.start_as_current_span(
            f"process {first.event_name}",
            context=parent,
            kind=SpanKind.CONSUMER,
            attributes=attributes,
            links=links,
        ):
            yield
