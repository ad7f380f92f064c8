"""Who may see and act on a payment: its payer, the organizer of its event, an admin."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from aquastream.domain.payments.errors import PaymentForbidden, PaymentNotFound
from aquastream.domain.payments.model import Payment
from aquastream.domain.shared.principal import Principal
from aquastream.ports.payments import OrganizerDirectory, PaymentsUnitOfWork


@dataclass(frozen=True, slots=True)
class Managed:
    """The organizers the caller manages (every one for an admin), asked of the catalog before
    payments' transaction opens: the catalog serves the question on its own connections, and a
    request holding payments' pooled connection must not wait for a second one."""

    every: bool
    organizer_ids: frozenset[uuid.UUID]

    def __contains__(self, organizer_id: object) -> bool:
        return self.every or organizer_id in self.organizer_ids


async def managed_organizers(organizers: OrganizerDirectory, principal: Principal) -> Managed:
    if principal.is_admin:
        return Managed(True, frozenset())
    return Managed(False, frozenset(await organizers.managed_by(principal)))


@dataclass(frozen=True, slots=True)
class PaymentInContext:
    payment: Payment
    is_payer: bool
    is_manager: bool


async def load_visible_payment(
    uow: PaymentsUnitOfWork, managed: Managed, principal: Principal, payment_id: uuid.UUID
) -> PaymentInContext:
    """The payment when the caller pays it or manages its event; otherwise 404, so that ids of
    other people's payments reveal nothing."""
    payment = await uow.payments.get(payment_id)
    if payment is None:
        raise PaymentNotFound()
    is_payer = payment.user_id == principal.user_id
    is_manager = payment.organizer_id in managed
    if not (is_payer or is_manager):
        raise PaymentNotFound()
    return PaymentInContext(payment, is_payer, is_manager)


async def load_own_payment(
    uow: PaymentsUnitOfWork, managed: Managed, principal: Principal, payment_id: uuid.UUID
) -> Payment:
    """A payment the caller pays: the organizer gets 403, anyone else 404."""
    found = await load_visible_payment(uow, managed, principal, payment_id)
    if not found.is_payer:
        raise PaymentForbidden("Only the payer may do this.")
    return found.payment


async def load_managed_payment(
    uow: PaymentsUnitOfWork, managed: Managed, principal: Principal, payment_id: uuid.UUID
) -> Payment:
    """A payment of an event the caller manages: the payer gets 403, anyone else 404."""
    found = await load_visible_payment(uow, managed, principal, payment_id)
    if not found.is_manager:
        raise PaymentForbidden()
    return found.payment
