"""Request and response bodies of webhook endpoints and deliveries."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, UnsetType

from aquastream.adapters.http.structs import CamelStruct
from aquastream.adapters.webhooks.facts import EVENT_TYPES
from aquastream.domain.webhooks.endpoints import MAX_EVENT_IDS
from aquastream.domain.webhooks.model import (
    Attempt,
    DeliveryRecord,
    DeliveryStatus,
    Endpoint,
    EndpointChanges,
    RegisteredEndpoint,
)
from aquastream.domain.webhooks.targets import MAX_URL_LENGTH

Url = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=MAX_URL_LENGTH,
        description="An https:// URL whose host resolves to public addresses only.",
        examples=["https://crm.example.com/aquastream/webhooks"],
    ),
]
EventTypes = Annotated[
    list[str],
    Meta(
        min_length=1,
        max_length=len(EVENT_TYPES),
        description="One or more of " + ", ".join(EVENT_TYPES) + ".",
    ),
]
EventIds = Annotated[
    list[uuid.UUID],
    Meta(max_length=MAX_EVENT_IDS, description="Only facts about these events of the organizer; empty: all."),
]
Description = Annotated[str, Meta(max_length=200)]


class EndpointIn(CamelStruct, forbid_unknown_fields=True):
    url: Url
    event_types: EventTypes
    event_ids: EventIds = msgspec.field(default_factory=list)
    description: Description | None = None


class EndpointChangesIn(CamelStruct, forbid_unknown_fields=True):
    """Absent fields stay as they are; a null description clears it. ``active: false`` pauses
    the endpoint: nothing is made or sent for it until it is active again."""

    url: Url | UnsetType = UNSET
    event_types: EventTypes | UnsetType = UNSET
    event_ids: EventIds | UnsetType = UNSET
    active: bool | UnsetType = UNSET
    description: Description | UnsetType | None = UNSET

    def to_changes(self) -> EndpointChanges:
        def given(value: Any) -> Any:
            return None if value is UNSET else value

        return EndpointChanges(
            url=given(self.url),
            event_types=given(self.event_types),
            event_ids=given(self.event_ids),
            active=given(self.active),
            description=given(self.description),
            clear_description=self.description is None,
        )


class EndpointOut(CamelStruct):
    id: uuid.UUID
    organizer_id: uuid.UUID
    url: str
    event_types: list[str]
    event_ids: list[uuid.UUID]
    active: bool
    description: str | None
    created_at: datetime
    updated_at: datetime
    secret_rotated_at: datetime | None
    previous_secret_expires_at: datetime | None  # until then the old secret signs too

    @classmethod
    def of(cls, endpoint: Endpoint) -> EndpointOut:
        return cls(
            id=endpoint.id,
            organizer_id=endpoint.organizer_id,
            url=endpoint.url,
            event_types=list(endpoint.event_types),
            event_ids=list(endpoint.event_ids),
            active=endpoint.active,
            description=endpoint.description,
            created_at=endpoint.created_at,
            updated_at=endpoint.updated_at,
            secret_rotated_at=endpoint.rotated_at,
            previous_secret_expires_at=endpoint.previous_secret_expires_at,
        )


class EndpointWithSecretOut(EndpointOut):
    """The endpoint with its signing secret: in this answer only, never again."""

    secret: str = ""

    @classmethod
    def registered(cls, registered: RegisteredEndpoint) -> EndpointWithSecretOut:
        fields = msgspec.structs.asdict(EndpointOut.of(registered.endpoint))
        return cls(**fields, secret=registered.secret)


class AttemptOut(CamelStruct):
    attempted_at: datetime
    duration_ms: int
    status_code: int | None
    error: str | None

    @classmethod
    def of(cls, attempt: Attempt) -> AttemptOut:
        return cls(attempt.attempted_at, attempt.duration_ms, attempt.status_code, attempt.error)


class DeliveryOut(CamelStruct):
    id: uuid.UUID
    endpoint_id: uuid.UUID
    event_type: str
    status: DeliveryStatus
    attempt_count: int
    next_attempt_at: datetime | None  # while PENDING
    created_at: datetime
    delivered_at: datetime | None
    last_error: str | None
    payload: Any  # the JSON body as sent
    attempts: list[AttemptOut]

    @classmethod
    def of(cls, record: DeliveryRecord) -> DeliveryOut:
        delivery = record.delivery
        return cls(
            id=delivery.id,
            endpoint_id=delivery.endpoint_id,
            event_type=delivery.event_type,
            status=delivery.status,
            attempt_count=delivery.attempts,
            next_attempt_at=delivery.next_attempt_at if delivery.status is DeliveryStatus.PENDING else None,
            created_at=delivery.created_at,
            delivered_at=delivery.delivered_at,
            last_error=delivery.last_error,
            payload=msgspec.json.decode(delivery.payload),
            attempts=[AttemptOut.of(attempt) for attempt in record.attempts],
        )
