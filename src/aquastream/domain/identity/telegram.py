"""Use cases of Telegram linking: the user asks for a deep link, the bot reports the chat."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from aquastream.domain.identity.access import load_me
from aquastream.domain.identity.audit import audit_entry
from aquastream.domain.identity.errors import InvalidLinkCode, UserBlocked, UserNotFound
from aquastream.domain.identity.events import TelegramLinked
from aquastream.domain.identity.model import AuditAction, Principal, RequestContext, TelegramLinkCode
from aquastream.domain.identity.policy import IdentityPolicy
from aquastream.domain.identity.profile_rules import normalise_telegram, telegram_problem
from aquastream.domain.identity.tokens import hash_token
from aquastream.domain.shared.errors import Raises
from aquastream.ports.clock import Clock
from aquastream.ports.identity import IdentityUnitOfWork, SecretGenerator

# Telegram passes at most 64 characters of A-Z, a-z, 0-9, _ and - as the start parameter.
MAX_START_PARAMETER_LENGTH = 64


@dataclass(frozen=True, slots=True)
class TelegramLink:
    url: str
    expires_at: datetime


class CreateTelegramLink:
    """A deep link ``https://t.me/<bot>?start=<code>`` that links the caller's Telegram chat.

    Rules:
    - the code is random and URL-safe (at most 64 characters, as Telegram requires), is
      stored hashed, and lives ``telegram_link_ttl``;
    - blocked users get ``UserBlocked``.
    """

    raises: ClassVar[Raises] = (UserBlocked, UserNotFound)

    def __init__(
        self, uow: IdentityUnitOfWork, clock: Clock, secrets: SecretGenerator, policy: IdentityPolicy
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._secrets = secrets
        self._policy = policy

    async def __call__(self, principal: Principal) -> TelegramLink:
        code = self._secrets.token()[:MAX_START_PARAMETER_LENGTH]
        async with self._uow:
            user = await load_me(self._uow, principal)
            now = self._clock.now()
            expires_at = now + self._policy.telegram_link_ttl
            await self._uow.link_codes.add(
                TelegramLinkCode(
                    code_hash=hash_token(code), user_id=user.id, created_at=now, expires_at=expires_at
                )
            )
            await self._uow.commit()
        return TelegramLink(
            url=f"https://t.me/{self._policy.telegram_bot_username}?start={code}", expires_at=expires_at
        )


class LinkTelegramChat:
    """The bot saw ``/start <code>`` from a chat: link that chat to the code's owner.

    Rules:
    - the code is consumed once and only before it expires (``InvalidLinkCode`` otherwise,
      also when its owner was blocked or deleted meanwhile);
    - the profile gets the chat id and is marked telegram-verified; the handle becomes
      ``@username`` when Telegram tells one that fits the handle rules;
    - one chat belongs to one profile: any other profile linked to it loses the link and
      its verification;
    - TELEGRAM_LINKED is audited and ``TelegramLinked`` raised in the same transaction.
    Returns the id of the linked user.
    """

    def __init__(self, uow: IdentityUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(
        self, code: str, chat_id: int, telegram_username: str | None = None, ctx: RequestContext | None = None
    ) -> uuid.UUID:
        handle = normalise_telegram(telegram_username) if telegram_username else None
        if handle is not None and telegram_problem(handle):
            handle = None
        async with self._uow:
            now = self._clock.now()
            user_id = await self._uow.link_codes.consume(hash_token(code.strip()), at=now)
            if user_id is None:
                raise InvalidLinkCode()
            user = await self._uow.users.get(user_id)
            profile = await self._uow.profiles.get(user_id)
            if user is None or user.is_deleted or not user.is_active or profile is None:
                raise InvalidLinkCode()
            previous = await self._uow.profiles.get_by_telegram_chat(chat_id)
            if previous is not None and previous.user_id != user_id:
                previous.telegram_chat_id = None
                previous.telegram_verified = False
                previous.updated_at = now
                await self._uow.profiles.save(previous)
            profile.telegram_chat_id = chat_id
            profile.telegram_verified = True
            if handle is not None:
                profile.telegram = handle
            profile.updated_at = now
            await self._uow.profiles.save(profile)
            await self._uow.audit.add(
                audit_entry(
                    AuditAction.TELEGRAM_LINKED,
                    at=now,
                    actor_id=user_id,
                    target_id=user_id,
                    payload={"chat_id": chat_id},
                    ctx=ctx,
                )
            )
            self._uow.collect(TelegramLinked(occurred_at=now, user_id=user_id, chat_id=chat_id))
            await self._uow.commit()
        return user_id
