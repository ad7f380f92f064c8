"""Domain events: immutable facts that the outbox stores and the dispatcher delivers.

Every concrete event registers itself under its class name, which is the stable
wire name stored in the outbox; renaming an event class is a schema change.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, ClassVar

import msgspec

from aquastream.domain.shared.ids import new_id


class DomainEvent(msgspec.Struct, frozen=True, kw_only=True):
    """Base of every domain event."""

    registry: ClassVar[dict[str, type[DomainEvent]]] = {}

    occurred_at: datetime
    message_id: uuid.UUID = msgspec.field(default_factory=new_id)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        DomainEvent.registry[cls.__name__] = cls

    @classmethod
    def event_name(cls) -> str:
        return cls.__name__


def encode_event(event: DomainEvent) -> bytes:
    return msgspec.json.encode(event)


def decode_event(name: str, payload: bytes | str) -> DomainEvent:
    try:
        event_type = DomainEvent.registry[name]
    except KeyError:
        raise LookupError(f"unknown domain event {name!r}") from None
    return msgspec.json.decode(payload, type=event_type)
