"""What an organizer registers (an endpoint) and what the service sends it (deliveries, each
with its attempts)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class DeliveryStatus(StrEnum):
    PENDING = "PENDING"  # due at ``next_attempt_at`` (or in flight)
    DELIVERED = "DELIVERED"  # the endpoint answered 2xx
    FAILED = "FAILED"  # every attempt failed; the organizer may re-send it


@dataclass(frozen=True, slots=True)
class Endpoint:
    """An organizer's HTTPS endpoint for the event types it chose; ``event_ids`` narrows it to
    some events of the organizer (empty: all of them). ``previous_secret`` still signs until
    ``previous_secret_expires_at`` (the grace period of a rotation)."""

    id: uuid.UUID
    organizer_id: uuid.UUID
    url: str
    event_types: tuple[str, ...]
    event_ids: tuple[uuid.UUID, ...]
    secret: str
    active: bool
    created_at: datetime
    updated_at: datetime
    description: str | None = None
    rotated_at: datetime | None = None
    previous_secret: str | None = None
    previous_secret_expires_at: datetime | None = None

    def wants(self, event_type: str, event_id: uuid.UUID | None) -> bool:
        """Whether a fact of ``event_type`` about ``event_id`` goes to this endpoint."""
        if not self.active or event_type not in self.event_types:
            return False
        return not self.event_ids or event_id in self.event_ids

    def signing_secrets(self, now: datetime) -> tuple[str, ...]:
        """The current secret, and the previous one while its grace period lasts."""
        expires = self.previous_secret_expires_at
        if self.previous_secret is not None and expires is not None and now < expires:
            return (self.secret, self.previous_secret)
        return (self.secret,)


@dataclass(frozen=True, slots=True)
class Attempt:
    """One POST to the endpoint: the HTTP status it answered, or why there was none."""

    id: uuid.UUID
    delivery_id: uuid.UUID
    attempted_at: datetime
    duration_ms: int
    status_code: int | None = None
    error: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


@dataclass(frozen=True, slots=True)
class Delivery:
    """One fact for one endpoint: unique per (endpoint, fact), so a fact heard twice is sent
    once. ``attempts`` counts the tries since it was created or last re-sent."""

    id: uuid.UUID
    endpoint_id: uuid.UUID
    message_id: uuid.UUID
    event_type: str
    payload: bytes
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime
    created_at: datetime
    delivered_at: datetime | None = None
    last_error: str | None = None


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    """A delivery as the organizer sees it: with its attempts, newest first."""

    delivery: Delivery
    attempts: Sequence[Attempt]


@dataclass(frozen=True, slots=True)
class EndpointChanges:
    """What an organizer may change of an endpoint; None leaves a field as it is."""

    url: str | None = None
    event_types: Sequence[str] | None = None
    event_ids: Sequence[uuid.UUID] | None = None
    active: bool | None = None
    description: str | None = None
    clear_description: bool = False


@dataclass(frozen=True, slots=True)
class RegisteredEndpoint:
    """An endpoint with its secret in clear: shown once, at creation and at rotation."""

    endpoint: Endpoint
    secret: str
