"""Notifications' ``TelegramLinker``, answered by the identity domain's link use case."""

from __future__ import annotations

import uuid

from aquastream.domain.identity.errors import InvalidLinkCode
from aquastream.domain.identity.telegram import LinkTelegramChat


class IdentityTelegramLinker:
    """Links in identity's own transaction: the link is identity's state, and the bot's
    answer depends only on whether it succeeded."""

    def __init__(self, link_chat: LinkTelegramChat) -> None:
        self._link_chat = link_chat

    async def link(self, code: str, chat_id: int, username: str | None) -> uuid.UUID | None:
        try:
            return await self._link_chat(code, chat_id, username)
        except InvalidLinkCode:
            return None
