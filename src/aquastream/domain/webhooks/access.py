"""Who manages an organizer's webhooks: its owners and admins. Asked of the catalog before
webhooks' transaction opens."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from aquastream.domain.shared.principal import Principal
from aquastream.domain.webhooks.errors import EndpointNotFound, OrganizerNotFound, WebhookForbidden
from aquastream.domain.webhooks.model import Endpoint
from aquastream.ports.webhooks import WebhookOrganizers, WebhooksUnitOfWork


@dataclass(frozen=True, slots=True)
class WebhookGate:
    organizers: WebhookOrganizers

    async def managed_organizer(self, principal: Principal, slug: str) -> uuid.UUID:
        """The id of the organizer (404 ``organizer.not_found``) the caller manages (403)."""
        organizer_id = await self.organizers.id_of(slug)
        if organizer_id is None:
            raise OrganizerNotFound()
        if not await self.organizers.can_manage(principal, organizer_id):
            raise WebhookForbidden()
        return organizer_id


async def endpoint_of(uow: WebhooksUnitOfWork, organizer_id: uuid.UUID, endpoint_id: uuid.UUID) -> Endpoint:
    """The organizer's endpoint; another organizer's is as unknown as a missing one (404)."""
    endpoint = await uow.endpoints.get(endpoint_id)
    if endpoint is None or endpoint.organizer_id != organizer_id:
        raise EndpointNotFound()
    return endpoint
