"""``POST /notifications/telegram/webhook``: updates from Telegram, answered in the response.

Only Telegram knows the secret given to ``setWebhook``; the route checks it in
``X-Telegram-Bot-Api-Secret-Token`` before reading the body (401 otherwise, and always when
no secret is configured). It is exempt from rate limits: Telegram posts from a few
addresses, and the secret already keeps everyone else out.
"""

from __future__ import annotations

import hmac
from typing import Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, post
from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK

from aquastream.adapters.http.auth import public
from aquastream.adapters.http.notifications.dto import BotReply, TelegramUpdate
from aquastream.adapters.http.route_options import FREE_QUERY, RATE_LIMIT, raising
from aquastream.domain.notifications.bot import HandleBotMessage
from aquastream.domain.notifications.errors import BadWebhookSecret
from aquastream.settings import Settings

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@raising(BadWebhookSecret)
async def telegram_secret(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    settings = await connection.app.state.dishka_container.get(Settings)
    expected = settings.telegram_webhook_secret
    given = connection.headers.get(SECRET_HEADER)
    if not expected or given is None or not hmac.compare_digest(given.encode(), expected.encode()):
        raise BadWebhookSecret()


class TelegramWebhookController(Controller):
    path = "/notifications/telegram"
    tags = ["notifications"]

    @public
    @post(
        "/webhook",
        status_code=HTTP_200_OK,
        guards=[telegram_secret],
        opt={RATE_LIMIT: None, FREE_QUERY: True},
        summary="Telegram bot webhook",
    )
    @inject
    async def webhook(self, data: JSONBody[TelegramUpdate], handle: FromDishka[HandleBotMessage]) -> BotReply:
        """``/start <code>`` links the account, ``/help`` explains, ``/settings`` shows and
        toggles optional categories (``/settings off EVENT_NEWS``). The reply is a
        ``sendMessage`` call in the answer; updates without text get an empty answer."""
        message = data.message
        if message is None or message.text is None:
            return BotReply()
        sender = message.sender
        text = await handle(
            message.chat.id,
            message.text,
            username=sender.username if sender else None,
            language_code=sender.language_code if sender else None,
        )
        return BotReply(method="sendMessage", chat_id=message.chat.id, text=text)
