"""Users are told of what an administrator did to their account (issue 13, item 2): a role
change, a block (which reaches the blocked account) and an unblock, in the inbox and by their
channel."""

from __future__ import annotations

from aquastream.domain.identity.events import UserBlocked, UserRoleChanged, UserUnblocked
from aquastream.domain.notifications.model import Category, Channel
from aquastream.domain.shared.events import DomainEvent
from aquastream.ioc.notifications import NOTICE_RULES

from .world import NOW, World


async def tell(world: World, fact: DomainEvent) -> None:
    await world.notify(
        *(n for rule in NOTICE_RULES if isinstance(fact, rule.event_type) for n in rule.notices(fact))
    )


async def test_a_role_change_a_block_and_an_unblock_each_reach_the_user_in_the_inbox_and_by_channel() -> None:
    world = World()
    ann = world.person(email="ann@example.com")

    await tell(world, UserRoleChanged(occurred_at=NOW, user_id=ann, old_role="USER", new_role="ORGANIZER"))
    world.recipients.blocked.add(ann)  # identity blocked her before the fact was delivered
    await tell(world, UserBlocked(occurred_at=NOW, user_id=ann))
    world.recipients.blocked.discard(ann)
    await tell(world, UserUnblocked(occurred_at=NOW, user_id=ann))

    entries = world.inbox()
    assert [e.template for e in entries] == ["account_role_changed", "account_blocked", "account_unblocked"]
    assert {e.category for e in entries} == {Category.ACCOUNT}
    assert "ORGANIZER" in entries[0].body
    assert [(m.channel, m.address) for m in world.messages()] == [(Channel.EMAIL, "ann@example.com")] * 3


async def test_only_the_block_notice_reaches_a_blocked_account() -> None:
    world = World()
    ann = world.person(email="ann@example.com")
    world.recipients.blocked.add(ann)

    await tell(world, UserRoleChanged(occurred_at=NOW, user_id=ann, old_role="USER", new_role="ADMIN"))
    await tell(world, UserBlocked(occurred_at=NOW, user_id=ann))

    assert [e.template for e in world.inbox()] == ["account_blocked"]


async def test_each_block_is_told_once_however_often_its_fact_is_delivered() -> None:
    world = World()
    ann = world.person(email="ann@example.com")
    first, second = (UserBlocked(occurred_at=NOW, user_id=ann) for _ in range(2))

    await tell(world, first)
    await tell(world, first)
    await tell(world, second)

    assert len(world.inbox()) == 2
