"""The Telegram bot's conversation: link an account, help, and the optional categories."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import ClassVar

from aquastream.domain.notifications.model import (
    DEFAULT_LANGUAGE,
    OPTIONAL_CATEGORIES,
    USER_CATEGORIES,
    Category,
    Channel,
    Language,
)
from aquastream.domain.shared.errors import Raises
from aquastream.ports.notifications import NotificationUnitOfWork, RecipientDirectory, TelegramLinker

BOT_TEXTS: Mapping[Language, Mapping[str, str]] = {
    Language.RU: {
        "help": (
            "Я присылаю уведомления AquaStream.\n"
            "/start <код> — привязать аккаунт (ссылку даёт профиль на сайте)\n"
            "/settings — какие необязательные уведомления приходят сюда\n"
            "/settings off EVENT_NEWS — выключить категорию, /settings on EVENT_NEWS — включить\n"
            "/help — эта справка"
        ),
        "linked": "Готово: аккаунт привязан, уведомления будут приходить сюда.",
        "bad_code": "Код недействителен или устарел. Получите новую ссылку в профиле на сайте.",
        "not_linked": "Этот чат не привязан к аккаунту. Получите ссылку в профиле на сайте.",
        "settings": "Дополнительные уведомления в Telegram:\n{lines}\n(пример: /settings off EVENT_NEWS)",
        "on": "включено",
        "off": "выключено",
        "mandatory": "{category} — обязательная категория, её нельзя выключить.",
        "unknown_category": "Такой категории нет. Есть: {categories}",
        "switched": "{category}: {state}.",
    },
    Language.EN: {
        "help": (
            "I send AquaStream notifications.\n"
            "/start <code> — link your account (your profile on the site gives the link)\n"
            "/settings — which optional notifications come here\n"
            "/settings off EVENT_NEWS — switch a category off, /settings on EVENT_NEWS — on\n"
            "/help — this help"
        ),
        "linked": "Done: your account is linked and notifications will come here.",
        "bad_code": "The code is invalid or expired. Get a new link from your profile on the site.",
        "not_linked": "This chat is not linked to an account. Get a link from your profile on the site.",
        "settings": "Optional notifications in Telegram:\n{lines}\nChange: /settings off|on <CATEGORY>",
        "on": "on",
        "off": "off",
        "mandatory": "{category} is mandatory and cannot be switched off.",
        "unknown_category": "No such category. There are: {categories}",
        "switched": "{category}: {state}.",
    },
}


def _language_of(language_code: str | None) -> Language:
    """Telegram's ``language_code`` (IETF tag) for users the bot does not know yet."""
    return Language.EN if (language_code or "").lower().startswith("en") else DEFAULT_LANGUAGE


class HandleBotMessage:
    """Answer one text message sent to the bot; the answer goes back to the same chat.

    - ``/start <code>``: link the chat to the account that asked for the code (through the
      identity domain: one-time, expiring codes); plain ``/start`` and anything unknown get
      the help;
    - ``/help``: what the bot can do;
    - ``/settings``: the optional categories and whether they come to Telegram;
      ``/settings off|on <CATEGORY>`` switches one for the Telegram channel (mandatory ones
      stay on). Only for a linked chat.
    A linked user is answered in their chosen language; others in Russian, or in English
    when Telegram says the user's app is in English.

    A chat that talks to the bot reaches it again: ``/start`` (with a code, or plain, which is
    what Telegram's "Restart" sends when a user unblocks the bot) and ``/settings`` from a
    linked chat lift the user's "Telegram unreachable" mark, which the sender set when
    Telegram said the bot was blocked; their messages come to Telegram again.
    """

    raises: ClassVar[Raises] = ()

    def __init__(
        self,
        uow: NotificationUnitOfWork,
        recipients: RecipientDirectory,
        linker: TelegramLinker,
    ) -> None:
        self._uow = uow
        self._recipients = recipients
        self._linker = linker

    async def __call__(
        self, chat_id: int, text: str, *, username: str | None = None, language_code: str | None = None
    ) -> str:
        command, *args = text.split() or [""]
        command = command.split("@", 1)[0].lower()  # "/help@AquaStreamBot" in group chats
        if command == "/start" and args:
            user_id = await self._linker.link(args[0], chat_id, username)
            language = await self._reached_again(user_id, language_code)
            return BOT_TEXTS[language]["linked" if user_id else "bad_code"]
        if command == "/settings":
            return await self._settings(chat_id, args, language_code)
        if command == "/start":
            await self._reached_again(await self._recipients.user_for_chat(chat_id), language_code)
        return BOT_TEXTS[_language_of(language_code)]["help"]

    async def _reached_again(self, user_id: uuid.UUID | None, language_code: str | None) -> Language:
        """Lift the user's Telegram-unreachable mark; the language to answer them in."""
        if user_id is None:
            return _language_of(language_code)
        async with self._uow:
            if await self._uow.preferences.clear_unreachable(user_id, Channel.TELEGRAM):
                await self._uow.commit()
            return (await self._uow.preferences.get(user_id)).language

    async def _settings(self, chat_id: int, args: list[str], language_code: str | None) -> str:
        async with self._uow:
            user_id = await self._recipients.user_for_chat(chat_id)
            if user_id is None:
                return BOT_TEXTS[_language_of(language_code)]["not_linked"]
            if await self._uow.preferences.clear_unreachable(user_id, Channel.TELEGRAM):
                await self._uow.commit()
            preferences = await self._uow.preferences.get(user_id)
            texts = BOT_TEXTS[preferences.language]
            if len(args) == 2 and args[0].lower() in ("on", "off"):
                category = next((c for c in Category if c.value == args[1].upper()), None)
                if category is None or category not in USER_CATEGORIES:
                    return texts["unknown_category"].format(categories=", ".join(OPTIONAL_CATEGORIES))
                if category not in OPTIONAL_CATEGORIES:
                    return texts["mandatory"].format(category=category)
                on = args[0].lower() == "on"
                await self._uow.preferences.switch(user_id, category, Channel.TELEGRAM, on=on)
                await self._uow.commit()
                return texts["switched"].format(category=category, state=texts["on" if on else "off"])
            lines = "\n".join(
                f"{category} — {texts['on' if preferences.allows(category, Channel.TELEGRAM) else 'off']}"
                for category in OPTIONAL_CATEGORIES
            )
            return texts["settings"].format(lines=lines)
