"""The channels that deliver notification messages: Telegram Bot API, SMTP, an HTTP SMS
gateway, and the log (the embedded default, and whatever channel is not configured).

Each raises ``DeliveryFailed`` (or the client library's error) when the message did not
go out, classed by what the channel answered: a passing failure (retried with backoff),
``DeliveryThrottled`` (retried after the wait the channel asked for), ``DeliveryRefused``
(final: not retried) or ``RecipientGone`` (final for this address: the sender falls back to
the user's next channel). The sender job decides what each means for the message.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import aiosmtplib

from aquastream.adapters.notify.smtp import Mailer
from aquastream.domain.notifications.errors import (
    DeliveryFailed,
    DeliveryRefused,
    DeliveryThrottled,
    RecipientGone,
)
from aquastream.domain.notifications.model import Channel, Message
from aquastream.ports.notifications import MessageSender

if TYPE_CHECKING:
    import httpx

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


def _retry_after(value: Any) -> timedelta | None:
    """A wait in whole seconds, as Telegram's ``retry_after`` and HTTP's ``Retry-After``
    (its delta-seconds form) give it; None when there is none that makes sense."""
    try:
        seconds = int(value)
    except (TypeError, ValueError):
        return None
    return timedelta(seconds=seconds) if seconds >= 0 else None


def telegram_failure(status: int, answer: Mapping[str, Any]) -> DeliveryFailed:
    """What a Bot API error answer (``{"ok": false, "error_code": …, "description": …,
    "parameters": {…}}``) means for the message:

    - 429 ``Too Many Requests: retry after N``: ``DeliveryThrottled`` for
      ``parameters.retry_after`` seconds (a passing failure when Telegram names no wait);
    - 403 (``Forbidden: bot was blocked by the user``, ``user is deactivated``, the bot may not
      write there) and 400 ``chat not found``: ``RecipientGone`` — this chat is done;
    - any other 400 (the message itself is malformed): ``DeliveryRefused``;
    - the rest (401/404 of a wrong token, 5xx): a passing failure, retried, so that messages
      survive until the operator fixes the configuration or Telegram recovers.
    """
    code = answer.get("error_code", status)
    description = str(answer.get("description", "no description"))
    reason = f"Telegram error {code}: {description}"
    if code == 429:
        parameters = answer.get("parameters")
        wait = _retry_after(parameters.get("retry_after")) if isinstance(parameters, Mapping) else None
        return DeliveryThrottled(reason, retry_after=wait) if wait is not None else DeliveryFailed(reason)
    if code == 403 or (code == 400 and "chat not found" in description.lower()):
        return RecipientGone(reason)
    if code == 400:
        return DeliveryRefused(reason)
    return DeliveryFailed(reason)


class TelegramBotSender:
    """``sendMessage`` of the Telegram Bot API (``POST <api>/bot<token>/sendMessage``).

    The API answers ``{"ok": true, "result": …}`` or ``{"ok": false, "error_code": …,
    "description": …}``; an error is classed by ``telegram_failure``, anything else counts
    as a passing failure. Errors never quote the URL, which holds the bot token.
    """

    def __init__(
        self, client: httpx.AsyncClient, token: str, api_url: str = "https://api.telegram.org"
    ) -> None:
        self._client = client
        self._url = f"{api_url.rstrip('/')}/bot{token}/sendMessage"

    async def send(self, message: Message) -> None:
        await self.send_text(int(message.address), f"{message.title}\n\n{message.body}")

    async def send_text(self, chat_id: int, text: str) -> None:
        import httpx  # loaded with the client

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
            raise telegram_failure(response.status_code, answer if isinstance(answer, dict) else {})


def smtp_failure(exc: aiosmtplib.SMTPException) -> DeliveryFailed:
    """What an SMTP error means for the message (RFC 5321: 5xx replies are permanent, 4xx
    transient). Final (``DeliveryRefused``): the server refused the recipient with 5xx (no
    such mailbox) or the message with 5xx after DATA (content refused). Everything else is
    passing: 4xx replies, connection errors and timeouts, and refusals of our own login or
    sender address, which are the operator's configuration to fix, not the message's."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        refusals = exc.recipients
        reason = "SMTP refused the recipient: " + "; ".join(f"{r.code} {r.message}" for r in refusals)
        permanent = bool(refusals) and all(500 <= r.code < 600 for r in refusals)
        return DeliveryRefused(reason) if permanent else DeliveryFailed(reason)
    if isinstance(exc, aiosmtplib.SMTPDataError):
        reason = f"SMTP refused the message: {exc.code} {exc.message}"
        return DeliveryRefused(reason) if 500 <= exc.code < 600 else DeliveryFailed(reason)
    return DeliveryFailed(f"SMTP failed ({type(exc).__name__}: {exc})")


class EmailSender:
    """An email (text and HTML alternatives, see ``Mailer``): the title is the subject.
    SMTP errors are classed by ``smtp_failure``."""

    def __init__(self, mailer: Mailer) -> None:
        self._mailer = mailer

    async def send(self, message: Message) -> None:
        try:
            await self._mailer.send(to=message.address, subject=message.title, body=message.body)
        except aiosmtplib.SMTPException as exc:
            raise smtp_failure(exc) from None


class SmsGatewaySender:
    """An HTTP SMS gateway: ``POST <url>`` with JSON ``{"to": "+7…", "text": "…", "id": "<message
    id>"}`` and, when a token is set, ``Authorization: Bearer <token>``. Any 2xx answer means
    accepted; the id lets a gateway drop a retried duplicate. SMS carry the body only.

    Failures: the gateway unreachable or slow (network errors, timeouts), 408, 429 and 5xx
    are passing (retried; a 429 with ``Retry-After: <seconds>`` is retried no earlier than
    that), and so is anything else outside 4xx (a redirect: the operator's URL to fix); any
    other 4xx (bad number, bad token, bad request) is ``DeliveryRefused``, final: sending it
    again would get the same answer."""

    def __init__(self, client: httpx.AsyncClient, url: str, token: str | None = None) -> None:
        self._client = client
        self._url = url
        self._headers = {"Authorization": f"Bearer {token}"} if token else {}

    async def send(self, message: Message) -> None:
        import httpx  # loaded with the client

        try:
            response = await self._client.post(
                self._url,
                json={"to": message.address, "text": message.body, "id": str(message.id)},
                headers=self._headers,
            )
        except httpx.HTTPError as exc:
            raise DeliveryFailed(f"SMS gateway unreachable ({type(exc).__name__})") from None
        if response.is_success:
            return
        status = response.status_code
        reason = f"SMS gateway answered HTTP {status}: {response.text[:200]}"
        if status == 429 and (wait := _retry_after(response.headers.get("Retry-After"))) is not None:
            raise DeliveryThrottled(reason, retry_after=wait)
        if 400 <= status < 500 and status not in (408, 429):
            raise DeliveryRefused(reason)
        raise DeliveryFailed(reason)


class ChannelRouter:
    """Hands each message to the sender of its channel; unconfigured channels go to the log."""

    def __init__(self, senders: Mapping[Channel, MessageSender], fallback: MessageSender) -> None:
        self._senders = dict(senders)
        self._fallback = fallback

    async def send(self, message: Message) -> None:
        await self._senders.get(message.channel, self._fallback).send(message)
