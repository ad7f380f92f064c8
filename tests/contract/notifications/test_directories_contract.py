"""What identity, catalog and booking serve notifications, the same on every backend (the SQL
adapters served on the owners' own connections while notifications' unit of work is open)."""

from __future__ import annotations

from datetime import timedelta

from aquastream.domain.catalog.model import EventStatus
from aquastream.domain.notifications.model import Recipient
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.principal import Principal, Role

from .kit import NOW, NotificationKit


async def test_recipients_are_active_users_with_their_verified_chat(kit: NotificationKit) -> None:
    linked = await kit.add_person(email="ann@example.com", phone="+79990000001", chat=42)
    unverified = await kit.add_person(email="bob@example.com", chat=43, verified=False)
    blocked = await kit.add_person(active=False, chat=44)
    deleted = await kit.add_person(deleted=True)

    uow = kit.uow()
    async with uow:
        directory = kit.recipients(uow)
        assert await directory.recipients([linked, unverified, blocked, deleted, new_id()]) == {
            linked: Recipient(linked, "ann@example.com", "+79990000001", 42),
            unverified: Recipient(unverified, "bob@example.com"),
        }
        assert await directory.recipients([blocked]) == {}
        assert await directory.recipients([]) == {}
        assert await directory.user_for_chat(42) == linked
        for chat in (43, 44, 45):
            assert await directory.user_for_chat(chat) is None


async def test_an_email_reaches_a_recipient_only_once_its_owner_verified_it(kit: NotificationKit) -> None:
    verified = await kit.add_person(email="ann@example.com")
    unverified = await kit.add_person(email="bob@example.com", phone="+79990000002", email_verified=False)

    uow = kit.uow()
    async with uow:
        found = await kit.recipients(uow).recipients([verified, unverified])

    assert found == {
        verified: Recipient(verified, "ann@example.com"),
        unverified: Recipient(unverified, None, "+79990000002"),
    }


async def test_a_blocked_user_is_a_recipient_only_of_what_is_meant_for_blocked_accounts(
    kit: NotificationKit,
) -> None:
    blocked = await kit.add_person(email="cid@example.com", active=False, chat=46)
    deleted = await kit.add_person(email="dan@example.com", deleted=True)

    uow = kit.uow()
    async with uow:
        directory = kit.recipients(uow)
        assert await directory.recipients([blocked, deleted]) == {}
        assert await directory.recipients([blocked, deleted], blocked_too=True) == {
            blocked: Recipient(blocked, "cid@example.com", None, 46)
        }
        assert await directory.user_for_chat(46) is None


async def test_events_starting_in_a_window_and_their_confirmed_participants(kit: NotificationKit) -> None:
    ann, bob, cid = new_id(), new_id(), new_id()
    soon = await kit.add_event(ann, starts_in=timedelta(hours=20))
    edge = await kit.add_event(starts_in=timedelta(hours=24))
    await kit.add_event(starts_in=timedelta(hours=25))
    await kit.add_event(starts_in=timedelta(hours=10), status=EventStatus.CANCELLED)
    await kit.add_booking(soon.event_id, bob, "PENDING")
    await kit.add_booking(soon.event_id, cid, "CANCELLED")

    uow = kit.uow()
    async with uow:
        events, participants = kit.events(uow), kit.participants(uow)
        assert await events.starting_between(NOW, NOW + timedelta(hours=24)) == [soon, edge]
        assert await events.starting_between(NOW + timedelta(hours=20), NOW + timedelta(hours=24)) == [edge]
        assert await events.event(soon.event_id) == soon
        assert await events.event(new_id()) is None
        assert list(await participants.confirmed_participants(soon.event_id)) == [ann]
        assert list(await participants.confirmed_participants(edge.event_id)) == []


async def test_organizers_manage_their_own_events_and_admins_all(kit: NotificationKit) -> None:
    event = await kit.add_event()

    uow = kit.uow()
    async with uow:
        access = kit.access(uow)
        assert await access.can_manage(kit.organizer, event.organizer_id)
        assert await access.can_manage(Principal(new_id(), Role.ADMIN), event.organizer_id)
        assert not await access.can_manage(Principal(new_id(), Role.ORGANIZER), event.organizer_id)
