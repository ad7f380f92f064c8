"""``/organizers/{slug}/webhooks``: an organizer's endpoints (its owners and admins), their
secrets' rotation, and their deliveries with every attempt, re-sendable."""

from __future__ import annotations

import uuid

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from aquastream.adapters.http.paging import PageNumber, PageOut, PageSize, page_request
from aquastream.adapters.http.webhooks.dto import (
    DeliveryOut,
    EndpointChangesIn,
    EndpointIn,
    EndpointOut,
    EndpointWithSecretOut,
)
from aquastream.domain.shared.principal import Principal
from aquastream.domain.webhooks.deliveries import ListDeliveries, ResendDelivery
from aquastream.domain.webhooks.endpoints import (
    DeleteEndpoint,
    GetEndpoint,
    ListEndpoints,
    RegisterEndpoint,
    RotateSecret,
    UpdateEndpoint,
)
from aquastream.domain.webhooks.model import DeliveryRecord


class WebhookController(Controller):
    path = "/organizers/{slug:str}/webhooks"
    tags = ["webhooks"]

    @post(
        "",
        status_code=HTTP_201_CREATED,
        summary="Register a webhook endpoint (the organizer's owners)",
    )
    @inject
    async def register(
        self,
        slug: FromPath[str],
        data: JSONBody[EndpointIn],
        caller: FromDishka[Principal],
        register: FromDishka[RegisterEndpoint],
    ) -> EndpointWithSecretOut:
        registered = await register(
            caller, slug, data.url, data.event_types, data.event_ids, data.description
        )
        return EndpointWithSecretOut.registered(registered)

    @get("", summary="The organizer's webhook endpoints")
    @inject
    async def list_endpoints(
        self, slug: FromPath[str], caller: FromDishka[Principal], list_endpoints: FromDishka[ListEndpoints]
    ) -> list[EndpointOut]:
        return [EndpointOut.of(endpoint) for endpoint in await list_endpoints(caller, slug)]

    @get("/{endpoint_id:uuid}", summary="One webhook endpoint")
    @inject
    async def show(
        self,
        slug: FromPath[str],
        endpoint_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        get_endpoint: FromDishka[GetEndpoint],
    ) -> EndpointOut:
        return EndpointOut.of(await get_endpoint(caller, slug, endpoint_id))

    @patch("/{endpoint_id:uuid}", summary="Change or pause a webhook endpoint")
    @inject
    async def update(
        self,
        slug: FromPath[str],
        endpoint_id: FromPath[uuid.UUID],
        data: JSONBody[EndpointChangesIn],
        caller: FromDishka[Principal],
        update_endpoint: FromDishka[UpdateEndpoint],
    ) -> EndpointOut:
        return EndpointOut.of(await update_endpoint(caller, slug, endpoint_id, data.to_changes()))

    @delete("/{endpoint_id:uuid}", status_code=HTTP_204_NO_CONTENT, summary="Remove a webhook endpoint")
    @inject
    async def remove(
        self,
        slug: FromPath[str],
        endpoint_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        delete_endpoint: FromDishka[DeleteEndpoint],
    ) -> None:
        await delete_endpoint(caller, slug, endpoint_id)

    @post(
        "/{endpoint_id:uuid}/rotate-secret",
        status_code=HTTP_200_OK,
        summary="Give a webhook endpoint a new signing secret",
    )
    @inject
    async def rotate_secret(
        self,
        slug: FromPath[str],
        endpoint_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        rotate: FromDishka[RotateSecret],
    ) -> EndpointWithSecretOut:
        return EndpointWithSecretOut.registered(await rotate(caller, slug, endpoint_id))

    @get("/{endpoint_id:uuid}/deliveries", summary="Deliveries to a webhook endpoint, with their attempts")
    @inject
    async def list_deliveries(
        self,
        slug: FromPath[str],
        endpoint_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        list_deliveries: FromDishka[ListDeliveries],
        page: PageNumber = 0,
        size: PageSize = 20,
    ) -> PageOut[DeliveryOut]:
        found = await list_deliveries(caller, slug, endpoint_id, page_request(page, size))
        return PageOut.of(found, DeliveryOut.of)

    @post(
        "/{endpoint_id:uuid}/deliveries/{delivery_id:uuid}/resend",
        status_code=HTTP_202_ACCEPTED,
        summary="Send a delivery again",
    )
    @inject
    async def resend(
        self,
        slug: FromPath[str],
        endpoint_id: FromPath[uuid.UUID],
        delivery_id: FromPath[uuid.UUID],
        caller: FromDishka[Principal],
        resend: FromDishka[ResendDelivery],
    ) -> DeliveryOut:
        delivery = await resend(caller, slug, endpoint_id, delivery_id)
        return DeliveryOut.of(DeliveryRecord(delivery, []))
