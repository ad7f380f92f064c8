"""Reads: one payment, the caller's payments, an event's payments, the moderation queue."""

from __future__ import annotations

import uuid
from typing import ClassVar

from aquastream.domain.payments.access import load_visible_payment, managed_organizers
from aquastream.domain.payments.errors import EventNotFound, PaymentForbidden, PaymentNotFound
from aquastream.domain.payments.model import Payment, Refund
from aquastream.domain.payments.ordering import NEWEST_PAYMENTS, PaymentSortKey
from aquastream.domain.shared.errors import Raises, ValidationFailed
from aquastream.domain.shared.paging import Page, PageRequest
from aquastream.domain.shared.principal import Principal
from aquastream.domain.shared.sorting import parse_sort
from aquastream.ports.payments import BookingDirectory, OrganizerDirectory, PaymentsUnitOfWork


class GetPayment:
    """One payment with its refunds, for its payer, the event's organizer or an admin (others 404)."""

    raises: ClassVar[Raises] = (PaymentNotFound,)

    def __init__(self, uow: PaymentsUnitOfWork, organizers: OrganizerDirectory) -> None:
        self._uow = uow
        self._organizers = organizers

    async def __call__(self, principal: Principal, payment_id: uuid.UUID) -> tuple[Payment, list[Refund]]:
        managed = await managed_organizers(self._organizers, principal)
        async with self._uow:
            found = await load_visible_payment(self._uow, managed, principal, payment_id)
            return found.payment, await self._uow.refunds.for_payment(payment_id)


class ListMyPayments:
    """The caller's payments, newest first, or in the ``sort`` asked for (``PaymentSortKey``;
    an unknown one is ``ValidationFailed``)."""

    raises: ClassVar[Raises] = (ValidationFailed,)

    def __init__(self, uow: PaymentsUnitOfWork) -> None:
        self._uow = uow

    async def __call__(
        self, principal: Principal, paging: PageRequest, *, sort: str | None = None
    ) -> Page[Payment]:
        order = parse_sort(sort, PaymentSortKey, NEWEST_PAYMENTS)
        async with self._uow:
            return await self._uow.payments.list_for_user(principal.user_id, paging, order)


class ListEventPayments:
    """The payments of one event, newest first or in the ``sort`` asked for
    (``PaymentSortKey``; an unknown one is ``ValidationFailed``): its organizer and admins
    (others 403; an unknown or unpublished event 404)."""

    raises: ClassVar[Raises] = (EventNotFound, PaymentForbidden, ValidationFailed)

    def __init__(
        self, uow: PaymentsUnitOfWork, organizers: OrganizerDirectory, bookings: BookingDirectory
    ) -> None:
        self._uow = uow
        self._organizers = organizers
        self._bookings = bookings

    async def __call__(
        self, principal: Principal, event_id: uuid.UUID, paging: PageRequest, *, sort: str | None = None
    ) -> Page[Payment]:
        order = parse_sort(sort, PaymentSortKey, NEWEST_PAYMENTS)
        # Booking and the catalog serve these on their own connections: asked before payments'
        # transaction opens.
        organizer_id = await self._bookings.event_organizer(event_id)
        if organizer_id is None:
            raise EventNotFound()
        if organizer_id not in await managed_organizers(self._organizers, principal):
            raise PaymentForbidden()
        async with self._uow:
            return await self._uow.payments.list_for_event(event_id, paging, order)


class ModerationQueue:
    """Submitted QR receipts waiting for a decision, oldest submission first: of the events of
    the organizers the caller manages, or of every event for an admin.

    No ``sort``: the order is the queue's meaning (first submitted, first reviewed), so every
    reviewer works through it from the same end."""

    raises: ClassVar[Raises] = ()

    def __init__(self, uow: PaymentsUnitOfWork, organizers: OrganizerDirectory) -> None:
        self._uow = uow
        self._organizers = organizers

    async def __call__(self, principal: Principal, paging: PageRequest) -> Page[Payment]:
        managed = await managed_organizers(self._organizers, principal)
        async with self._uow:
            organizer_ids = None if managed.every else managed.organizer_ids
            return await self._uow.payments.submitted(organizer_ids, paging)
