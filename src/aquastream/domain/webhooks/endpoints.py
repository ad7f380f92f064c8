"""An organizer registers, lists, changes and removes its endpoints, and rotates their secrets."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from typing import ClassVar

from aquastream.domain.shared.errors import FieldError, Raises, ValidationFailed, one_of
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.principal import Principal
from aquastream.domain.webhooks.access import WebhookGate, endpoint_of
from aquastream.domain.webhooks.errors import (
    EndpointNotFound,
    OrganizerNotFound,
    TargetRefused,
    TooManyEndpoints,
    WebhookForbidden,
)
from aquastream.domain.webhooks.model import Endpoint, EndpointChanges, RegisteredEndpoint
from aquastream.domain.webhooks.policy import WebhookPolicy
from aquastream.domain.webhooks.targets import parse_target
from aquastream.ports.clock import Clock
from aquastream.ports.webhooks import WebhookSecrets, WebhooksUnitOfWork, WebhookTransport

MAX_EVENT_IDS = 100


def _event_types(chosen: Sequence[str], known: Sequence[str]) -> tuple[str, ...]:
    """The chosen types, each once, in the table's order; unknown or none is a 400."""
    unknown = [name for name in chosen if name not in known]
    if unknown:
        raise ValidationFailed(errors=[FieldError("eventTypes", one_of(known, ", ".join(unknown)))])
    if not chosen:
        raise ValidationFailed(errors=[FieldError("eventTypes", "choose at least one event type")])
    return tuple(name for name in known if name in chosen)


def _event_ids(chosen: Sequence[uuid.UUID]) -> tuple[uuid.UUID, ...]:
    distinct = tuple(dict.fromkeys(chosen))
    if len(distinct) > MAX_EVENT_IDS:
        raise ValidationFailed(errors=[FieldError("eventIds", f"at most {MAX_EVENT_IDS} events")])
    return distinct


class _EndpointUseCase:
    def __init__(
        self,
        uow: WebhooksUnitOfWork,
        clock: Clock,
        gate: WebhookGate,
        transport: WebhookTransport,
        secrets: WebhookSecrets,
        policy: WebhookPolicy,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._gate = gate
        self._transport = transport
        self._secrets = secrets
        self._policy = policy

    async def _vetted_url(self, url: str) -> str:
        parse_target(url)
        await self._transport.vet(url)
        return url


class RegisterEndpoint(_EndpointUseCase):
    """Register an HTTPS endpoint for some event types (and, optionally, some events only).

    Rules: the caller manages the organizer (404 ``organizer.not_found``, 403
    ``webhook.forbidden``); the URL is ``https://`` and its host resolves to public addresses
    only (422 ``webhook.target_refused``, unless private targets are allowed in
    development); event types are among the table's (400); at most ``max_endpoints`` per
    organizer (422 ``webhook.too_many_endpoints``). The signing secret is made here and shown
    in this answer only.
    """

    raises: ClassVar[Raises] = (
        OrganizerNotFound,
        WebhookForbidden,
        TargetRefused,
        TooManyEndpoints,
        ValidationFailed,
    )

    async def __call__(
        self,
        principal: Principal,
        slug: str,
        url: str,
        event_types: Sequence[str],
        event_ids: Sequence[uuid.UUID] = (),
        description: str | None = None,
    ) -> RegisteredEndpoint:
        types, ids = _event_types(event_types, self._policy.event_types), _event_ids(event_ids)
        organizer_id = await self._gate.managed_organizer(principal, slug)
        await self._vetted_url(url)
        now = self._clock.now()
        secret = self._secrets.new()
        endpoint = Endpoint(
            id=new_id(),
            organizer_id=organizer_id,
            url=url,
            event_types=types,
            event_ids=ids,
            secret=secret,
            active=True,
            created_at=now,
            updated_at=now,
            description=description,
        )
        async with self._uow:
            existing = await self._uow.endpoints.list_for_organizer(organizer_id)
            if len(existing) >= self._policy.max_endpoints:
                raise TooManyEndpoints(self._policy.max_endpoints)
            await self._uow.endpoints.add(endpoint)
            await self._uow.commit()
        return RegisteredEndpoint(endpoint, secret)


class ListEndpoints(_EndpointUseCase):
    """The organizer's endpoints, oldest first (its owners and admins; secrets are not shown)."""

    raises: ClassVar[Raises] = (OrganizerNotFound, WebhookForbidden)

    async def __call__(self, principal: Principal, slug: str) -> list[Endpoint]:
        organizer_id = await self._gate.managed_organizer(principal, slug)
        async with self._uow.reading():
            return await self._uow.endpoints.list_for_organizer(organizer_id)


class GetEndpoint(_EndpointUseCase):
    """One endpoint of the organizer (its owners and admins); 404 ``webhook.not_found``."""

    raises: ClassVar[Raises] = (OrganizerNotFound, WebhookForbidden, EndpointNotFound)

    async def __call__(self, principal: Principal, slug: str, endpoint_id: uuid.UUID) -> Endpoint:
        organizer_id = await self._gate.managed_organizer(principal, slug)
        async with self._uow.reading():
            return await endpoint_of(self._uow, organizer_id, endpoint_id)


class UpdateEndpoint(_EndpointUseCase):
    """Change an endpoint's URL, event types, events, description, or pause it (``active``).

    A new URL is checked as at registration (422 ``webhook.target_refused``); deliveries
    already made keep going to the endpoint, at its URL when they are sent."""

    raises: ClassVar[Raises] = (
        OrganizerNotFound,
        WebhookForbidden,
        EndpointNotFound,
        TargetRefused,
        ValidationFailed,
    )

    async def __call__(
        self, principal: Principal, slug: str, endpoint_id: uuid.UUID, changes: EndpointChanges
    ) -> Endpoint:
        known = self._policy.event_types
        types = None if changes.event_types is None else _event_types(changes.event_types, known)
        ids = None if changes.event_ids is None else _event_ids(changes.event_ids)
        organizer_id = await self._gate.managed_organizer(principal, slug)
        if changes.url is not None:
            await self._vetted_url(changes.url)
        async with self._uow:
            endpoint = await endpoint_of(self._uow, organizer_id, endpoint_id)
            description = None if changes.clear_description else (changes.description or endpoint.description)
            updated = dataclasses.replace(
                endpoint,
                url=changes.url or endpoint.url,
                event_types=types or endpoint.event_types,
                event_ids=endpoint.event_ids if ids is None else ids,
                active=endpoint.active if changes.active is None else changes.active,
                description=description,
                updated_at=self._clock.now(),
            )
            await self._uow.endpoints.save(updated)
            await self._uow.commit()
        return updated


class DeleteEndpoint(_EndpointUseCase):
    """Remove an endpoint with its deliveries and their history; nothing more is sent to it."""

    raises: ClassVar[Raises] = (OrganizerNotFound, WebhookForbidden, EndpointNotFound)

    async def __call__(self, principal: Principal, slug: str, endpoint_id: uuid.UUID) -> None:
        organizer_id = await self._gate.managed_organizer(principal, slug)
        async with self._uow:
            await endpoint_of(self._uow, organizer_id, endpoint_id)
            await self._uow.endpoints.delete(endpoint_id)
            await self._uow.commit()


class RotateSecret(_EndpointUseCase):
    """Give an endpoint a new signing secret, shown in this answer only.

    For the grace period (``rotation_grace``, 24 hours by default) every delivery carries two
    signatures, by the new secret and by the old one, so the receiver can switch over without
    losing a delivery; afterwards the old secret signs nothing. Rotating again within the grace
    period makes the secret being replaced the one still honoured."""

    raises: ClassVar[Raises] = (OrganizerNotFound, WebhookForbidden, EndpointNotFound)

    async def __call__(self, principal: Principal, slug: str, endpoint_id: uuid.UUID) -> RegisteredEndpoint:
        organizer_id = await self._gate.managed_organizer(principal, slug)
        secret = self._secrets.new()
        now = self._clock.now()
        async with self._uow:
            endpoint = await endpoint_of(self._uow, organizer_id, endpoint_id)
            rotated = dataclasses.replace(
                endpoint,
                secret=secret,
                previous_secret=endpoint.secret,
                previous_secret_expires_at=now + self._policy.rotation_grace,
                rotated_at=now,
                updated_at=now,
            )
            await self._uow.endpoints.save(rotated)
            await self._uow.commit()
        return RegisteredEndpoint(rotated, secret)
