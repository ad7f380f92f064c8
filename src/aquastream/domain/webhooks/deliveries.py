"""Facts become deliveries (one per matching endpoint), which the organizer lists and re-sends."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import ClassVar

from aquastream.domain.shared.errors import Raises, ValidationFailed
from aquastream.domain.shared.events import DomainEvent
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.paging import Page, PageRequest
from aquastream.domain.shared.principal import Principal
from aquastream.domain.webhooks.access import WebhookGate, endpoint_of
from aquastream.domain.webhooks.errors import (
    DeliveryInFlight,
    DeliveryNotFound,
    EndpointNotFound,
    OrganizerNotFound,
    WebhookForbidden,
)
from aquastream.domain.webhooks.facts import (
    WebhookFact,
    booking_id_of,
    delivery_body,
    event_id_of,
    fact_data,
)
from aquastream.domain.webhooks.model import Delivery, DeliveryRecord, DeliveryStatus
from aquastream.ports.clock import Clock
from aquastream.ports.webhooks import EventOwners, WebhooksUnitOfWork

logger = logging.getLogger("aquastream.webhooks")


class RecordDeliveries:
    """A fact of the table (``adapters.webhooks.facts``) becomes one PENDING delivery, due now,
    for each active endpoint of the event's organizer that chose its event type (and, when the
    endpoint names events, names this one).

    Rules: the organizer is asked of booking before any transaction opens; the endpoints are
    read first, and only a fact that some endpoint wants opens a transaction, in which all the
    deliveries of the facts at hand are written together; a fact heard again (delivery is at
    least once) adds none (one delivery per endpoint and fact). Several facts of one type may
    come at once (``record_many``: the endpoints of each organizer read once). Sending is the
    sender's job: this subscriber never waits for an organizer's server, so a slow one delays
    nobody.
    """

    def __init__(self, uow: WebhooksUnitOfWork, clock: Clock, owners: EventOwners) -> None:
        self._uow = uow
        self._clock = clock
        self._owners = owners

    async def __call__(self, fact: DomainEvent, spec: WebhookFact) -> int:
        """How many deliveries were made."""
        return await self.record_many([fact], spec)

    async def record_many(self, facts: Sequence[DomainEvent], spec: WebhookFact) -> int:
        """``__call__`` of several facts of ``spec``'s type, all or nothing; how many deliveries
        were made."""
        located: list[tuple[DomainEvent, uuid.UUID | None, uuid.UUID]] = []
        for fact in facts:
            event_id, organizer_id = await self._locate(fact, by_booking=spec.by_booking)
            if organizer_id is None:
                logger.warning("fact about an unknown event", extra={"event": fact.event_name()})
            else:
                located.append((fact, event_id, organizer_id))
        if not located:
            return 0
        async with self._uow.reading():
            endpoints = {
                organizer_id: await self._uow.endpoints.list_for_organizer(organizer_id)
                for organizer_id in {organizer_id for _, _, organizer_id in located}
            }
        now = self._clock.now()
        deliveries = [
            self._delivery(fact, spec, endpoint.id, now)
            for fact, event_id, organizer_id in located
            for endpoint in endpoints[organizer_id]
            if endpoint.wants(spec.event_type, event_id)
        ]
        if not deliveries:
            return 0
        async with self._uow:
            made = await self._uow.deliveries.add_new(deliveries)
            await self._uow.commit()
        return made

    @staticmethod
    def _delivery(fact: DomainEvent, spec: WebhookFact, endpoint_id: uuid.UUID, now: datetime) -> Delivery:
        delivery_id = new_id()
        return Delivery(
            id=delivery_id,
            endpoint_id=endpoint_id,
            message_id=fact.message_id,
            event_type=spec.event_type,
            payload=delivery_body(delivery_id, spec.event_type, fact.occurred_at, fact_data(fact)),
            status=DeliveryStatus.PENDING,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )

    async def _locate(
        self, fact: DomainEvent, *, by_booking: bool
    ) -> tuple[uuid.UUID | None, uuid.UUID | None]:
        """The fact's event and its organizer."""
        if by_booking:
            booking_id = booking_id_of(fact)
            booked = await self._owners.event_of_booking(booking_id) if booking_id else None
            return (booked.event_id, booked.organizer_id) if booked else (None, None)
        event_id = event_id_of(fact)
        if event_id is None:
            return None, None
        return event_id, await self._owners.organizer_of_event(event_id)


class ListDeliveries:
    """An endpoint's deliveries, newest first, each with its attempts (newest first): when,
    the HTTP status the endpoint answered or the error, and how long it took. No ``sort``: the
    order is the meaning (what happened last comes first)."""

    raises: ClassVar[Raises] = (OrganizerNotFound, WebhookForbidden, EndpointNotFound, ValidationFailed)

    def __init__(self, uow: WebhooksUnitOfWork, gate: WebhookGate) -> None:
        self._uow = uow
        self._gate = gate

    async def __call__(
        self, principal: Principal, slug: str, endpoint_id: uuid.UUID, paging: PageRequest
    ) -> Page[DeliveryRecord]:
        organizer_id = await self._gate.managed_organizer(principal, slug)
        async with self._uow.reading():
            await endpoint_of(self._uow, organizer_id, endpoint_id)
            return await self._uow.deliveries.list_for_endpoint(endpoint_id, paging)


class ResendDelivery:
    """Send a delivery again, whatever became of it (delivered, failed or still retrying): it
    is due at once with the same body (signed afresh when sent) and a fresh budget of attempts;
    its history stays. 409 ``webhook.delivery_in_flight`` while an attempt is under way."""

    raises: ClassVar[Raises] = (
        OrganizerNotFound,
        WebhookForbidden,
        EndpointNotFound,
        DeliveryNotFound,
        DeliveryInFlight,
    )

    def __init__(self, uow: WebhooksUnitOfWork, clock: Clock, gate: WebhookGate) -> None:
        self._uow = uow
        self._clock = clock
        self._gate = gate

    async def __call__(
        self, principal: Principal, slug: str, endpoint_id: uuid.UUID, delivery_id: uuid.UUID
    ) -> Delivery:
        organizer_id = await self._gate.managed_organizer(principal, slug)
        async with self._uow:
            await endpoint_of(self._uow, organizer_id, endpoint_id)
            delivery = await self._uow.deliveries.get(delivery_id)
            if delivery is None or delivery.endpoint_id != endpoint_id:
                raise DeliveryNotFound()
            resent = await self._uow.deliveries.resend(delivery_id, now=self._clock.now())
            if resent is None:
                raise DeliveryInFlight()
            await self._uow.commit()
        return resent
