"""How a fact becomes the body of a delivery, and the shape of the table of facts organizers
can receive (the table itself is the composition's, ``adapters.webhooks.facts``: a domain takes
no other domain's facts in its own code).

Each line of the table names the fact, its event type on the wire and how to find the event
it concerns (its ``event_id``, or the booking's event for facts that carry only a
``booking_id``). The body of a delivery is the fact's own fields in camelCase (``bookingId``,
``eventId``, ``amount`` as a decimal string, times in ISO 8601 UTC), inside an envelope naming
the delivery, the event type and when the fact happened.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgspec

from aquastream.domain.shared.events import DomainEvent


@dataclass(frozen=True, slots=True)
class WebhookFact:
    """``fact`` is sent as ``event_type``; ``by_booking``: the fact names no event, only its
    booking, whose event the booking domain tells."""

    fact: type[DomainEvent]
    event_type: str
    by_booking: bool = False


def event_id_of(fact: DomainEvent) -> uuid.UUID | None:
    found = getattr(fact, "event_id", None)
    return found if isinstance(found, uuid.UUID) else None


def booking_id_of(fact: DomainEvent) -> uuid.UUID | None:
    found = getattr(fact, "booking_id", None)
    return found if isinstance(found, uuid.UUID) else None


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(word.capitalize() for word in rest)


def _camel_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {_camel(key): _camel_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_camel_keys(item) for item in value]
    return value


def fact_data(fact: DomainEvent) -> dict[str, Any]:
    """The fact's own fields, camelCase, as JSON values (the spine's ids left out)."""
    fields = msgspec.to_builtins(fact)
    fields.pop("message_id", None)
    fields.pop("occurred_at", None)
    data: dict[str, Any] = _camel_keys(fields)
    return data


def delivery_body(delivery_id: uuid.UUID, event_type: str, occurred_at: datetime, data: Any) -> bytes:
    """The JSON body the endpoint receives: ``{id, type, occurredAt, data}``."""
    envelope = {"id": str(delivery_id), "type": event_type, "occurredAt": occurred_at, "data": data}
    return msgspec.json.encode(envelope)
