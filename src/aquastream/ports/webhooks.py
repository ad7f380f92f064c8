"""Ports of the webhooks domain: its unit of work and repositories, what it asks the catalog
and booking, and the transport that reaches the organizers' servers.

Claiming due deliveries is one statement that leases them (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL): senders running at once claim disjoint sets, so no delivery is sent twice at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from aquastream.domain.shared.paging import Page, PageRequest
from aquastream.domain.shared.principal import Principal
from aquastream.domain.webhooks.model import Attempt, Delivery, DeliveryRecord, Endpoint
from aquastream.ports.uow import UnitOfWork


class EndpointRepository(Protocol):
    async def add(self, endpoint: Endpoint) -> None: ...

    async def save(self, endpoint: Endpoint) -> None:
        """Replace the stored endpoint of the same id."""
        ...

    async def get(self, endpoint_id: uuid.UUID) -> Endpoint | None: ...

    async def get_many(self, endpoint_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, Endpoint]: ...

    async def list_for_organizer(self, organizer_id: uuid.UUID) -> list[Endpoint]:
        """Oldest first."""
        ...

    async def delete(self, endpoint_id: uuid.UUID) -> bool:
        """Delete the endpoint with its deliveries and their attempts."""
        ...


class DeliveryRepository(Protocol):
    async def add_new(self, deliveries: Sequence[Delivery]) -> int:
        """Insert those not there yet (one per endpoint and fact: a fact heard again adds
        nothing); how many went in."""
        ...

    async def get(self, delivery_id: uuid.UUID) -> Delivery | None: ...

    async def list_for_endpoint(self, endpoint_id: uuid.UUID, paging: PageRequest) -> Page[DeliveryRecord]:
        """Newest first, each with its attempts (newest first)."""
        ...

    async def claim_due(self, *, now: datetime, limit: int, lease: timedelta) -> list[Delivery]:
        """PENDING deliveries of active endpoints due by ``now`` and not leased, oldest due
        first: leased until ``now + lease`` and their ``attempts`` counted, in one statement;
        concurrent claims never return the same delivery."""
        ...

    async def record(
        self,
        attempt: Attempt,
        *,
        delivered: bool,
        retry_at: datetime | None,
    ) -> None:
        """File the attempt and release the lease: DELIVERED when ``delivered``, else PENDING
        again at ``retry_at``, or FAILED when there is none."""
        ...

    async def purge(self, *, before: datetime) -> int:
        """Delete the deliveries made before ``before`` that are over (DELIVERED or FAILED),
        with their attempts; how many went."""
        ...

    async def resend(self, delivery_id: uuid.UUID, *, now: datetime) -> Delivery | None:
        """PENDING again, due ``now``, its attempts counted afresh (the history stays); None
        when the delivery is leased (in flight) just now."""
        ...


class WebhooksUnitOfWork(UnitOfWork, Protocol):
    @property
    def endpoints(self) -> EndpointRepository: ...

    @property
    def deliveries(self) -> DeliveryRepository: ...


class WebhookOrganizers(Protocol):
    """What webhooks asks the catalog: a query port the catalog serves on its own connections."""

    async def id_of(self, slug: str) -> uuid.UUID | None:
        """The id of the organizer with this slug."""
        ...

    async def can_manage(self, principal: Principal, organizer_id: uuid.UUID) -> bool:
        """True for the organizer's owners and for every admin."""
        ...


@dataclass(frozen=True, slots=True)
class BookedEvent:
    event_id: uuid.UUID
    organizer_id: uuid.UUID


class EventOwners(Protocol):
    """What webhooks asks the booking domain: who organizes the event a fact is about. A query
    port booking serves on its own connections, asked outside webhooks' transaction."""

    async def organizer_of_event(self, event_id: uuid.UUID) -> uuid.UUID | None:
        """The organizer of a published event; None for an unknown event."""
        ...

    async def event_of_booking(self, booking_id: uuid.UUID) -> BookedEvent | None: ...


@dataclass(frozen=True, slots=True)
class PostOutcome:
    """What the endpoint answered: a status code, or an error (refused, unreachable, timed out)."""

    duration_ms: int
    status_code: int | None = None
    error: str | None = None


class WebhookTransport(Protocol):
    """Reaches the organizers' servers, only at addresses ``domain.webhooks.targets`` allows."""

    async def vet(self, url: str) -> None:
        """Resolve the URL's host now and refuse (``TargetRefused``) what may not be a target."""
        ...

    async def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> PostOutcome:
        """POST ``body``; never raises for what the endpoint or the network did (a refused
        target is an outcome with an error too)."""
        ...


class WebhookSecrets(Protocol):
    def new(self) -> str:
        """A new random signing secret (``whsec_…``)."""
        ...
