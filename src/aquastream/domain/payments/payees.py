"""Use cases: an organizer sets and reads the bank account its QR transfers go to.

Each organizer may keep its own payee details (stored by payments); an organizer without them
falls back to the service-wide payee from settings (the marketplace collects and pays out),
and without either, QR payments are not offered for its events.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from aquastream.domain.payments.errors import OrganizerNotFound, PaymentForbidden
from aquastream.domain.payments.model import BankAccount
from aquastream.domain.shared.errors import FieldError, Raises, ValidationFailed
from aquastream.domain.shared.principal import Principal
from aquastream.ports.clock import Clock
from aquastream.ports.payments import OrganizerDirectory, PaymentsUnitOfWork


async def _managed_organizer(organizers: OrganizerDirectory, principal: Principal, slug: str) -> uuid.UUID:
    """The organizer with this slug (404) that the caller manages (403): asked of the catalog
    before payments' transaction opens."""
    organizer_id = await organizers.id_of(slug)
    if organizer_id is None:
        raise OrganizerNotFound()
    if not await organizers.can_manage(principal, organizer_id):
        raise PaymentForbidden(
            "Only the organizer's owners (or an admin) may see or change its bank account."
        )
    return organizer_id


class SetPayeeAccount:
    """The organizer's owner (or an admin) sets where QR transfers for its events go.

    Rules: 20-digit account and correspondent account, 9-digit BIC, a name and a bank name of
    1 to 160 characters (400 with every field at fault). Payments already opened keep the
    payload they were given; new ones use the new account.
    """

    raises: ClassVar[Raises] = (OrganizerNotFound, PaymentForbidden, ValidationFailed)

    def __init__(self, uow: PaymentsUnitOfWork, clock: Clock, organizers: OrganizerDirectory) -> None:
        self._uow = uow
        self._clock = clock
        self._organizers = organizers

    async def __call__(self, principal: Principal, slug: str, account: BankAccount) -> BankAccount:
        problems = account.problems()
        if problems:
            raise ValidationFailed(errors=[FieldError(name, message) for name, message in problems])
        organizer_id = await _managed_organizer(self._organizers, principal, slug)
        async with self._uow:
            await self._uow.payees.save(organizer_id, account, by=principal.user_id, now=self._clock.now())
            await self._uow.commit()
        return account


class GetPayeeAccount:
    """The organizer's own payee details, for its owners and admins; None when it has none (its
    QR transfers then go to the service-wide payee, if one is configured)."""

    raises: ClassVar[Raises] = (OrganizerNotFound, PaymentForbidden)

    def __init__(self, uow: PaymentsUnitOfWork, organizers: OrganizerDirectory) -> None:
        self._uow = uow
        self._organizers = organizers

    async def __call__(self, principal: Principal, slug: str) -> BankAccount | None:
        organizer_id = await _managed_organizer(self._organizers, principal, slug)
        async with self._uow:
            return await self._uow.payees.get(organizer_id)
