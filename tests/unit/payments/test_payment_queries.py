"""Reading payments: the payer's, an event's for its organizer, the moderation queue."""

from __future__ import annotations

import pytest

from aquastream.domain.payments.errors import EventNotFound, PaymentForbidden, PaymentNotFound
from aquastream.domain.payments.model import PaymentMethod
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.paging import PageRequest
from aquastream.domain.shared.principal import Principal, Role
from tests.unit.payments.payments_world import PaymentsWorld


async def test_a_payment_is_visible_to_its_payer_the_organizer_and_admins_only(world: PaymentsWorld) -> None:
    user, booking = await world.pending_booking()
    payment = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)

    for reader in (user, world.organizer, world.admin):
        found, refunds = await world.get_payment(reader, payment.id)
        assert (found.id, refunds) == (payment.id, [])
    with pytest.raises(PaymentNotFound):
        await world.get_payment(world.new_user(), payment.id)
    with pytest.raises(PaymentNotFound):
        await world.get_payment(Principal(new_id(), Role.ORGANIZER), payment.id)


async def test_the_payer_lists_their_payments_newest_first(world: PaymentsWorld) -> None:
    user = world.new_user()
    _, first = await world.pending_booking(user)
    _, second = await world.pending_booking(user)
    older = await world.init_payment(user, first.id, PaymentMethod.WIDGET)
    world.clock.advance(seconds=1)
    newer = await world.init_payment(user, second.id, PaymentMethod.QR_MANUAL)

    page = await world.my_payments(user, PageRequest(0, 1))

    assert (page.total, [p.id for p in page.items]) == (2, [newer.id])
    assert [p.id for p in (await world.my_payments(user, PageRequest(1, 1))).items] == [older.id]


async def test_an_event_lists_its_payments_to_its_organizer(world: PaymentsWorld) -> None:
    user, booking = await world.pending_booking()
    payment = await world.init_payment(user, booking.id, PaymentMethod.WIDGET)

    page = await world.event_payments(world.organizer, booking.event_id, PageRequest())

    assert [p.id for p in page.items] == [payment.id]
    with pytest.raises(PaymentForbidden):
        await world.event_payments(user, booking.event_id, PageRequest())
    with pytest.raises(EventNotFound):
        await world.event_payments(world.admin, new_id(), PageRequest())


async def test_the_moderation_queue_holds_submitted_receipts_of_the_callers_events(
    world: PaymentsWorld,
) -> None:
    user, booking = await world.pending_booking()
    payment = await world.init_payment(user, booking.id, PaymentMethod.QR_MANUAL)
    assert (await world.moderation(world.organizer, PageRequest())).total == 0
    await world.submit_proof(user, payment.id, world.proof_of(booking))

    mine = await world.moderation(world.organizer, PageRequest())
    everyone = await world.moderation(world.admin, PageRequest())
    stranger = await world.moderation(Principal(new_id(), Role.ORGANIZER), PageRequest())

    assert [p.id for p in mine.items] == [p.id for p in everyone.items] == [payment.id]
    assert stranger.total == 0
