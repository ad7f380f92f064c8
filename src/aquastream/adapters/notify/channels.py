"""The channels that deliver notification messages: Telegram Bot API, SMTP, an HTTP SMS
gateway, and the log (the embedded default, and whatever channel is not configured).

Each raises ``DeliveryFailed`` (or the client library's error) when the message did not
go out; the sender job records the error and retries with backoff.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import httpx

from aquastream.adapters.notify.smtp import Mailer
from aquastream.domain.notifications.errors import DeliveryFailed
from aquastream.domain.notifications.model import Channel, Message
from aquastream.ports.notifications import MessageSender

logger = logging.getLogger("aquastream.notify")

# Telegram cuts a message at 4096 characters; longer ones are refused.
TELEGRAM_MAX_TEXT = 4096


def masked(address: str) -> str:
    """Enough of an address to tell recipients apart in a log, not enough to harvest it."""
    if "@" in address:
        local, _, domain = address.partition("@")
        return f"{local[:1]}***@{domain}"
    return f"***{address[-4:]}"


class LogSender:
    """Writes the message to the log instead of delivering it. With ``reveal`` (anything but
    production) the line carries the text, so a newcomer sees what would have been sent."""

    def __init__(self, *, reveal: bool = False) -> None:
        self._reveal = reveal

    async def send(self, message: Message) -> None:
        extra = {
            "notification_id": str(message.id),
            "channel": message.channel,
            "category": message.category,
            "recipient": masked(message.address),
        }
        if self._reveal:
            logger.info("Notification (log-only channel): %s — %s", message.title, message.body, extra=extra)
        else:
            logger.info("Notification written to the log only (channel not configured)", extra=extra)


class TelegramBotSender:
    """``sendMessage`` of the Telegram Bot API (``POST <api>/bot<token>/sendMessage``).

    The API answers ``{"ok": true, "result": …}`` or ``{"ok": false, "error_code": …,
    "description": …}``; anything else counts as a failure. Errors never quote the URL,
    which holds the bot token.
    """

    def __init__(
        self, client: httpx.AsyncClient, token: str, api_url: str = "https://api.telegram.org"
    ) -> None:
        self._client = client
        self._url = f"{api_url.rstrip('/')}/bot{token}/sendMessage"

    async def send(self, message: Message) -> None:
        await self.send_text(int(message.address), f"{message.title}\n\n{message.body}")

    async def send_text(self, chat_id: int, text: str) -> None:
        try:
            response = await self._client.post(
                self._url,
                json={"chat_id": chat_id, "text": text[:TELEGRAM_MAX_TEXT], "disable_web_page_preview": True},
            )
            answer = response.json()
        except httpx.HTTPError as exc:
            raise DeliveryFailed(f"Telegram unreachable ({type(exc).__name__})") from None
        except ValueError:
            raise DeliveryFailed(f"Telegram answered HTTP {response.status_code} without JSON") from None
        if not isinstance(answer, dict) or answer.get("ok") is not True:
            details = answer if isinstance(answer, dict) else {}
            code = details.get("error_code", response.status_code)
            raise DeliveryFailed(f"Telegram error {code}: {details.get('description', 'no description')}")


class EmailSender:
    """A plain-text email: the title is the subject."""

    def __init__(self, mailer: Mailer) -> None:
        self._mailer = mailer

    async def send(self, message: Message) -> None:
        await self._mailer.send(to=message.address, subject=message.title, body=message.body)


class SmsGatewaySender:
    """An HTTP SMS gateway: ``POST <url>`` with JSON ``{"to": "+7…", "text": "…", "id": "<message
    id>"}`` and, when a token is set, ``Authorization: Bearer <token>``. Any 2xx answer means
    accepted; the id lets a gateway drop a retried duplicate. SMS carry the body only."""

    def __init__(self, client: httpx.AsyncClient, url: str, token: str | None = None) -> None:
        self._client = client
        self._url = url
        self._headers = {"Authorization": f"Bearer {token}"} if token else {}

    async def send(self, message: Message) -> None:
        try:
            response = await self._client.post(
                self._url,
                json={"to": message.address, "text": message.body, "id": str(message.id)},
                headers=self._headers,
            )
        except httpx.HTTPError as exc:
            raise DeliveryFailed(f"SMS gateway unreachable ({type(exc).__name__})") from None
        if not response.is_success:
            raise DeliveryFailed(f"SMS gateway answered HTTP {response.status_code}: {response.text[:200]}")


class ChannelRouter:
    """Hands each message to the sender of its channel; unconfigured channels go to the log."""

    def __init__(self, senders: Mapping[Channel, MessageSender], fallback: MessageSender) -> None:
        self._senders = dict(senders)
        self._fallback = fallback

    async def send(self, message: Message) -> None:
        await self._senders.get(message.channel, self._fallback).send(message)
