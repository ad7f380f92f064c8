"""In-memory webhooks repositories and unit of work, and the ports webhooks asks of other
domains and of the network, set by hand."""

from __future__ import annotations

import dataclasses
import time
import uuid
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from aquastream.adapters.memory.database import MemoryDatabase, MemoryUnitOfWork
from aquastream.domain.shared.paging import Page, PageRequest
from aquastream.domain.shared.principal import Principal
from aquastream.domain.webhooks.model import Attempt, Delivery, DeliveryRecord, DeliveryStatus, Endpoint
from aquastream.domain.webhooks.targets import check_addresses, parse_target
from aquastream.ports.webhooks import BookedEvent, PostOutcome

ENDPOINTS = "webhooks.endpoints"
DELIVERIES = "webhooks.endpoint_messages"
ATTEMPTS = "webhooks.endpoint_attempts"
LEASES = "webhooks.leases"


class _Table:
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    def _rows(self, name: str) -> dict[Any, Any]:
        return self._db.table(name)  # looked up on every use: a rollback replaces the tables


class MemoryEndpointRepository(_Table):
    async def add(self, endpoint: Endpoint) -> None:
        self._rows(ENDPOINTS)[endpoint.id] = endpoint

    async def save(self, endpoint: Endpoint) -> None:
        self._rows(ENDPOINTS)[endpoint.id] = endpoint

    async def get(self, endpoint_id: uuid.UUID) -> Endpoint | None:
        found: Endpoint | None = self._rows(ENDPOINTS).get(endpoint_id)
        return found

    async def get_many(self, endpoint_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, Endpoint]:
        rows = self._rows(ENDPOINTS)
        return {i: rows[i] for i in endpoint_ids if i in rows}

    async def list_for_organizer(self, organizer_id: uuid.UUID) -> list[Endpoint]:
        found = [e for e in self._rows(ENDPOINTS).values() if e.organizer_id == organizer_id]
        return sorted(found, key=lambda e: (e.created_at, e.id))

    async def delete(self, endpoint_id: uuid.UUID) -> bool:
        if self._rows(ENDPOINTS).pop(endpoint_id, None) is None:
            return False
        deliveries = self._rows(DELIVERIES)
        gone = {d.id for d in deliveries.values() if d.endpoint_id == endpoint_id}
        for delivery_id in gone:
            del deliveries[delivery_id]
        attempts = self._rows(ATTEMPTS)
        for attempt_id in [a.id for a in attempts.values() if a.delivery_id in gone]:
            del attempts[attempt_id]
        return True


class MemoryDeliveryRepository(_Table):
    async def add_new(self, deliveries: Sequence[Delivery]) -> int:
        rows = self._rows(DELIVERIES)
        known = {(d.endpoint_id, d.message_id) for d in rows.values()}
        added = 0
        for delivery in deliveries:
            if (delivery.endpoint_id, delivery.message_id) not in known:
                known.add((delivery.endpoint_id, delivery.message_id))
                rows[delivery.id] = delivery
                added += 1
        return added

    async def get(self, delivery_id: uuid.UUID) -> Delivery | None:
        found: Delivery | None = self._rows(DELIVERIES).get(delivery_id)
        return found

    async def list_for_endpoint(self, endpoint_id: uuid.UUID, paging: PageRequest) -> Page[DeliveryRecord]:
        found = sorted(
            (d for d in self._rows(DELIVERIES).values() if d.endpoint_id == endpoint_id),
            key=lambda d: (d.created_at, d.id),
            reverse=True,
        )
        page = found[paging.offset : paging.offset + paging.size]
        attempts = sorted(self._rows(ATTEMPTS).values(), key=lambda a: (a.attempted_at, a.id), reverse=True)
        records = [DeliveryRecord(d, [a for a in attempts if a.delivery_id == d.id]) for d in page]
        return Page(records, len(found), paging.page, paging.size)

    async def claim_due(self, *, now: datetime, limit: int, lease: timedelta) -> list[Delivery]:
        leases = self._rows(LEASES)
        endpoints = self._rows(ENDPOINTS)
        due = sorted(
            (
                d
                for d in self._rows(DELIVERIES).values()
                if d.status is DeliveryStatus.PENDING
                and d.next_attempt_at <= now
                and leases.get(d.id, now) <= now
                and endpoints[d.endpoint_id].active
            ),
            key=lambda d: (d.next_attempt_at, d.id),
        )[:limit]
        claimed = []
        for delivery in due:
            counted = dataclasses.replace(delivery, attempts=delivery.attempts + 1)
            self._rows(DELIVERIES)[delivery.id] = counted
            leases[delivery.id] = now + lease
            claimed.append(counted)
        return claimed

    async def record(self, attempt: Attempt, *, delivered: bool, retry_at: datetime | None) -> None:
        self._rows(ATTEMPTS)[attempt.id] = attempt
        self._rows(LEASES).pop(attempt.delivery_id, None)
        rows = self._rows(DELIVERIES)
        delivery: Delivery | None = rows.get(attempt.delivery_id)
        if delivery is None:
            return
        error = None if delivered else (attempt.error or f"HTTP {attempt.status_code}")
        if delivered:
            rows[delivery.id] = dataclasses.replace(
                delivery, status=DeliveryStatus.DELIVERED, delivered_at=attempt.attempted_at, last_error=None
            )
        elif retry_at is None:
            rows[delivery.id] = dataclasses.replace(delivery, status=DeliveryStatus.FAILED, last_error=error)
        else:
            rows[delivery.id] = dataclasses.replace(delivery, next_attempt_at=retry_at, last_error=error)

    async def purge(self, *, before: datetime) -> int:
        rows = self._rows(DELIVERIES)
        gone = {
            d.id for d in rows.values() if d.status is not DeliveryStatus.PENDING and d.created_at < before
        }
        for delivery_id in gone:
            del rows[delivery_id]
        attempts = self._rows(ATTEMPTS)
        for attempt_id in [a.id for a in attempts.values() if a.delivery_id in gone]:
            del attempts[attempt_id]
        return len(gone)

    async def resend(self, delivery_id: uuid.UUID, *, now: datetime) -> Delivery | None:
        rows = self._rows(DELIVERIES)
        delivery: Delivery | None = rows.get(delivery_id)
        leased_until = self._rows(LEASES).get(delivery_id)
        if delivery is None or (leased_until is not None and leased_until > now):
            return None
        resent = dataclasses.replace(
            delivery, status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=now, delivered_at=None
        )
        rows[delivery_id] = resent
        return resent


class MemoryWebhooksUnitOfWork(MemoryUnitOfWork):
    domain = "webhooks"

    def __init__(self, db: MemoryDatabase) -> None:
        super().__init__(db)
        self.endpoints = MemoryEndpointRepository(db)
        self.deliveries = MemoryDeliveryRepository(db)


class MemoryWebhookOrganizers:
    """Organizers by slug and their owners, set by hand; admins manage every organizer."""

    def __init__(self) -> None:
        self.ids: dict[str, uuid.UUID] = {}
        self.owners: dict[uuid.UUID, set[uuid.UUID]] = {}

    def add(self, slug: str, owner_id: uuid.UUID) -> uuid.UUID:
        organizer_id = uuid.uuid5(uuid.NAMESPACE_URL, slug)
        self.ids[slug] = organizer_id
        self.owners.setdefault(organizer_id, set()).add(owner_id)
        return organizer_id

    async def id_of(self, slug: str) -> uuid.UUID | None:
        return self.ids.get(slug)

    async def can_manage(self, principal: Principal, organizer_id: uuid.UUID) -> bool:
        return principal.is_admin or principal.user_id in self.owners.get(organizer_id, set())


class MemoryEventOwners:
    """``events[event_id] = organizer_id`` and ``bookings[booking_id] = event_id``, by hand."""

    def __init__(self) -> None:
        self.events: dict[uuid.UUID, uuid.UUID] = {}
        self.bookings: dict[uuid.UUID, uuid.UUID] = {}

    async def organizer_of_event(self, event_id: uuid.UUID) -> uuid.UUID | None:
        return self.events.get(event_id)

    async def event_of_booking(self, booking_id: uuid.UUID) -> BookedEvent | None:
        event_id = self.bookings.get(booking_id)
        organizer_id = self.events.get(event_id) if event_id else None
        return BookedEvent(event_id, organizer_id) if event_id and organizer_id else None


class RecordingTransport:
    """Answers every POST with ``status`` (or ``error``) and keeps what was sent; resolves
    hosts from ``dns`` (a name missing there resolves to a public address)."""

    def __init__(self, *, allow_private: bool = False) -> None:
        self.allow_private = allow_private
        self.dns: dict[str, list[str]] = {}
        self.status: int | None = 200
        self.error: str | None = None
        self.sent: list[tuple[str, bytes, dict[str, str]]] = []

    async def vet(self, url: str) -> None:
        target = parse_target(url)
        check_addresses(
            target.host, self.dns.get(target.host, ["93.184.216.34"]), allow_private=self.allow_private
        )

    async def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> PostOutcome:
        started = time.monotonic()
        self.sent.append((url, body, dict(headers)))
        elapsed = int((time.monotonic() - started) * 1000)
        if self.error is not None:
            return PostOutcome(elapsed, error=self.error)
        return PostOutcome(elapsed, status_code=self.status)
