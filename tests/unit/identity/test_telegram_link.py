"""Telegram linking: a one-time deep link, and the bot reporting the chat that used it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from aquastream.domain.identity.admin import BlockUser
from aquastream.domain.identity.errors import InvalidLinkCode, UserBlocked
from aquastream.domain.identity.model import AuditAction, Principal
from aquastream.domain.identity.telegram import CreateTelegramLink, LinkTelegramChat
from aquastream.domain.identity.tokens import hash_token
from tests.unit.identity.identity_kit import IdentityKit


async def link_code(kit: IdentityKit, me: Principal) -> str:
    link = await kit.make(CreateTelegramLink)(me)
    return link.url.partition("?start=")[2]


async def test_the_link_points_at_the_bot_with_a_one_time_code(kit: IdentityKit) -> None:
    me = await kit.user_principal()

    link = await kit.make(CreateTelegramLink)(me)

    code = link.url.removeprefix("https://t.me/AquaStreamBot?start=")
    assert code != link.url
    assert len(code) <= 64
    assert link.expires_at == kit.clock.now() + kit.policy.telegram_link_ttl
    [stored] = kit.db.table("telegram_link_codes").values()
    assert stored.code_hash == hash_token(code)
    assert stored.user_id == me.user_id


async def test_the_bot_links_the_chat_and_verifies_the_profile(kit: IdentityKit) -> None:
    me = await kit.user_principal()
    code = await link_code(kit, me)

    linked = await kit.make(LinkTelegramChat)(code, 424242, "olga_river")

    assert linked == me.user_id
    profile = kit.profile(me.user_id)
    assert (profile.telegram_chat_id, profile.telegram_verified, profile.telegram) == (
        424242,
        True,
        "@olga_river",
    )
    [entry] = kit.audit(AuditAction.TELEGRAM_LINKED)
    assert entry.target_id == me.user_id
    [event] = kit.events("TelegramLinked")
    assert (event.user_id, event.chat_id) == (me.user_id, 424242)


async def test_without_a_username_the_handle_is_kept(kit: IdentityKit) -> None:
    me = await kit.user_principal()
    kit.profile(me.user_id).telegram = "@typed_by_hand"
    code = await link_code(kit, me)

    await kit.make(LinkTelegramChat)(code, 1001)

    assert kit.profile(me.user_id).telegram == "@typed_by_hand"
    assert kit.profile(me.user_id).telegram_verified


async def test_a_link_code_works_once(kit: IdentityKit) -> None:
    me = await kit.user_principal()
    code = await link_code(kit, me)
    await kit.make(LinkTelegramChat)(code, 1001)

    with pytest.raises(InvalidLinkCode):
        await kit.make(LinkTelegramChat)(code, 2002)


async def test_an_expired_or_unknown_link_code_is_refused(kit: IdentityKit) -> None:
    me = await kit.user_principal()
    code = await link_code(kit, me)
    kit.clock.advance(kit.policy.telegram_link_ttl + timedelta(seconds=1))

    with pytest.raises(InvalidLinkCode):
        await kit.make(LinkTelegramChat)(code, 1001)
    with pytest.raises(InvalidLinkCode):
        await kit.make(LinkTelegramChat)("made-up", 1001)
    assert kit.events("TelegramLinked") == []


async def test_a_chat_moves_from_an_earlier_profile(kit: IdentityKit) -> None:
    first = await kit.user_principal("first@example.com")
    second = await kit.user_principal("second@example.com")
    await kit.make(LinkTelegramChat)(await link_code(kit, first), 555)

    await kit.make(LinkTelegramChat)(await link_code(kit, second), 555)

    assert kit.profile(first.user_id).telegram_chat_id is None
    assert not kit.profile(first.user_id).telegram_verified
    assert kit.profile(second.user_id).telegram_chat_id == 555


async def test_a_blocked_user_gets_no_link_and_cannot_use_an_earlier_one(kit: IdentityKit) -> None:
    admin = await kit.admin_principal()
    me = await kit.user_principal()
    code = await link_code(kit, me)
    await kit.make(BlockUser)(admin, me.user_id)

    with pytest.raises(UserBlocked):
        await kit.make(CreateTelegramLink)(me)
    with pytest.raises(InvalidLinkCode):
        await kit.make(LinkTelegramChat)(code, 1001)
