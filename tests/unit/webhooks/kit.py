"""The webhooks domain on memory adapters: an organizer ``river-rats`` owned by ``anna``, an
event of it, a transport that records what it sends, and a clock the tests move."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from aquastream.adapters.memory.clock import FrozenClock
from aquastream.adapters.memory.database import MemoryDatabase
from aquastream.adapters.memory.webhooks import (
    MemoryEventOwners,
    MemoryWebhookOrganizers,
    MemoryWebhooksUnitOfWork,
    RecordingTransport,
)
from aquastream.adapters.webhooks.facts import EVENT_TYPES, FACTS
from aquastream.domain.booking.events import BookingCancelled, BookingCreated, BookingStatus, LogReason
from aquastream.domain.shared.events import DomainEvent
from aquastream.domain.shared.principal import Principal, Role
from aquastream.domain.webhooks.access import WebhookGate
from aquastream.domain.webhooks.deliveries import ListDeliveries, RecordDeliveries, ResendDelivery
from aquastream.domain.webhooks.endpoints import RegisterEndpoint, RotateSecret, UpdateEndpoint
from aquastream.domain.webhooks.facts import WebhookFact
from aquastream.domain.webhooks.policy import WebhookPolicy
from aquastream.domain.webhooks.sending import SendDueDeliveries

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)


class CountingSecrets:
    def __init__(self) -> None:
        self.made = 0

    def new(self) -> str:
        self.made += 1
        return f"whsec_test{self.made}"


@dataclass
class Webhooks:
    db: MemoryDatabase = field(default_factory=MemoryDatabase)
    clock: FrozenClock = field(default_factory=lambda: FrozenClock(NOW))
    organizers: MemoryWebhookOrganizers = field(default_factory=MemoryWebhookOrganizers)
    owners: MemoryEventOwners = field(default_factory=MemoryEventOwners)
    transport: RecordingTransport = field(default_factory=RecordingTransport)
    secrets: CountingSecrets = field(default_factory=CountingSecrets)
    policy: WebhookPolicy = field(default_factory=lambda: WebhookPolicy(event_types=EVENT_TYPES))

    def __post_init__(self) -> None:
        self.anna = Principal(uuid.uuid4(), Role.ORGANIZER)
        self.boris = Principal(uuid.uuid4(), Role.ORGANIZER)
        self.organizer_id = self.organizers.add("river-rats", self.anna.user_id)
        self.organizers.add("forest-club", self.boris.user_id)
        self.event_id = uuid.uuid4()
        self.owners.events[self.event_id] = self.organizer_id

    def uow(self) -> MemoryWebhooksUnitOfWork:
        return MemoryWebhooksUnitOfWork(self.db)

    @property
    def register(self) -> RegisterEndpoint:
        return RegisterEndpoint(
            self.uow(), self.clock, WebhookGate(self.organizers), self.transport, self.secrets, self.policy
        )

    @property
    def rotate(self) -> RotateSecret:
        return RotateSecret(
            self.uow(), self.clock, WebhookGate(self.organizers), self.transport, self.secrets, self.policy
        )

    @property
    def update(self) -> UpdateEndpoint:
        return UpdateEndpoint(
            self.uow(), self.clock, WebhookGate(self.organizers), self.transport, self.secrets, self.policy
        )

    @property
    def send(self) -> SendDueDeliveries:
        return SendDueDeliveries(self.uow(), self.clock, self.transport, self.policy)

    @property
    def deliveries(self) -> ListDeliveries:
        return ListDeliveries(self.uow(), WebhookGate(self.organizers))

    @property
    def resend(self) -> ResendDelivery:
        return ResendDelivery(self.uow(), self.clock, WebhookGate(self.organizers))

    async def hear(self, fact: DomainEvent) -> int:
        """The subscriber's reaction to ``fact``, as the spine delivers it."""
        spec: WebhookFact = next(spec for spec in FACTS if isinstance(fact, spec.fact))
        return await RecordDeliveries(self.uow(), self.clock, self.owners)(fact, spec)

    async def hear_together(self, *facts: DomainEvent, uow: MemoryWebhooksUnitOfWork | None = None) -> int:
        """The subscriber's reaction to several facts of one type at once, as the spine hands
        over a backlog."""
        spec: WebhookFact = next(spec for spec in FACTS if isinstance(facts[0], spec.fact))
        return await RecordDeliveries(uow or self.uow(), self.clock, self.owners).record_many(facts, spec)

    def booking_created(self, event_id: uuid.UUID | None = None) -> BookingCreated:
        return BookingCreated(
            occurred_at=self.clock.now(),
            booking_id=uuid.uuid4(),
            event_id=event_id or self.event_id,
            user_id=uuid.uuid4(),
            status=BookingStatus.PENDING,
            payment_status="PENDING",
            amount=Decimal("1500.00"),
            currency="RUB",
            expires_at=None,
        )

    def booking_cancelled(self) -> BookingCancelled:
        return BookingCancelled(
            occurred_at=self.clock.now(),
            booking_id=uuid.uuid4(),
            event_id=self.event_id,
            user_id=uuid.uuid4(),
            reason=LogReason.CANCELLED_BY_USER,
            actor_id=None,
        )
