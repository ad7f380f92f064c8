"""Senders of one-time codes: password-recovery codes to the log (embedded default), by
email over SMTP, and through the Telegram bot for users with a linked chat (SPEC §2), which
falls back to one of the other two; email-verification codes to the log or by email.

A recovery code goes to an email only once identity says it is verified (it passes no
address otherwise); a verification code goes to the address it verifies.
"""

from __future__ import annotations

import logging

from aquastream.adapters.notify.channels import TelegramBotSender, masked
from aquastream.adapters.notify.smtp import Mailer
from aquastream.domain.notifications.errors import DeliveryFailed
from aquastream.ports.identity import RecoveryCodeSender

logger = logging.getLogger("aquastream.notify")


def _channel(telegram_chat_id: int | None) -> str:
    return "telegram" if telegram_chat_id is not None else "email"


class LogRecoveryCodeSender:
    """Writes to the log instead of delivering.

    With ``reveal_codes`` (development only) the log line carries the code and the full
    address, so a newcomer can finish a recovery on a machine with no mail server.
    """

    def __init__(self, *, reveal_codes: bool = False) -> None:
        self._reveal_codes = reveal_codes

    async def send_recovery_code(self, *, email: str | None, telegram_chat_id: int | None, code: str) -> None:
        if email is None and telegram_chat_id is None:
            logger.info("Recovery code not sent: no linked chat and no verified email")
            return
        self._log("Recovery", code, email or f"chat {telegram_chat_id}", _channel(telegram_chat_id))

    async def send_verification_code(self, *, email: str, code: str) -> None:
        self._log("Email-verification", code, email, "email")

    def _log(self, kind: str, code: str, address: str, channel: str) -> None:
        if self._reveal_codes:
            logger.warning(
                "%s code %s for %s (would be sent by %s; logged because codes are revealed)",
                kind,
                code,
                address,
                channel,
            )
        else:
            logger.info(
                "%s code for %s would be sent by %s (log-only sender)", kind, masked(address), channel
            )


_SUBJECT = "AquaStream: код восстановления пароля / password recovery code"
_BODY = """\
Здравствуйте!

Ваш код для восстановления пароля AquaStream: {code}
Код действует {minutes} мин. Если вы не запрашивали восстановление, просто проигнорируйте это письмо.

Hello,

Your AquaStream password recovery code is: {code}
It is valid for {minutes} minutes. If you did not ask to reset your password, ignore this email.
"""


_VERIFICATION_SUBJECT = "AquaStream: подтвердите email / confirm your email"
_VERIFICATION_BODY = """\
Здравствуйте!

Код для подтверждения адреса в AquaStream: {code}
Код действует {minutes} мин. Если вы не указывали этот адрес в AquaStream, просто проигнорируйте это письмо.

Hello,

Your AquaStream email confirmation code is: {code}
It is valid for {minutes} minutes. If you did not give this address to AquaStream, ignore this email.
"""


class SmtpRecoveryCodeSender:
    """Sends the code as a plain-text email (Russian, then English) through an SMTP server.

    Raises what aiosmtplib raises when the server cannot be reached or refuses the mail;
    the use case logs that without telling the requester. A recovery code without a
    (verified) address is not sent.
    """

    def __init__(self, mailer: Mailer, *, code_ttl_minutes: int = 15) -> None:
        self._mailer = mailer
        self._code_ttl_minutes = code_ttl_minutes

    async def send_recovery_code(self, *, email: str | None, telegram_chat_id: int | None, code: str) -> None:
        if email is None:
            logger.info("Recovery code not sent by email: the address is not verified")
            return
        await self._mailer.send(
            to=email, subject=_SUBJECT, body=_BODY.format(code=code, minutes=self._code_ttl_minutes)
        )
        logger.info("Recovery code sent by email to %s", masked(email))

    async def send_verification_code(self, *, email: str, code: str) -> None:
        await self._mailer.send(
            to=email,
            subject=_VERIFICATION_SUBJECT,
            body=_VERIFICATION_BODY.format(code=code, minutes=self._code_ttl_minutes),
        )
        logger.info("Email-verification code sent to %s", masked(email))


_TELEGRAM_TEXT = """\
Код для восстановления пароля AquaStream: {code}
Действует {minutes} мин.

Your AquaStream password recovery code: {code}
Valid for {minutes} minutes."""


class TelegramRecoveryCodeSender:
    """The code goes to the user's linked Telegram chat; without a chat, or when Telegram
    refuses or cannot be reached, ``fallback`` sends it (by email, or to the log), so the user
    is never left without a code."""

    def __init__(
        self, telegram: TelegramBotSender, fallback: RecoveryCodeSender, *, code_ttl_minutes: int = 15
    ) -> None:
        self._telegram = telegram
        self._fallback = fallback
        self._code_ttl_minutes = code_ttl_minutes

    async def send_recovery_code(self, *, email: str | None, telegram_chat_id: int | None, code: str) -> None:
        if telegram_chat_id is not None:
            try:
                await self._telegram.send_text(
                    telegram_chat_id, _TELEGRAM_TEXT.format(code=code, minutes=self._code_ttl_minutes)
                )
            except DeliveryFailed as failure:
                logger.warning("Recovery code not delivered by Telegram (%s); sending it by email", failure)
            else:
                logger.info(
                    "Recovery code sent by Telegram to chat of %s", masked(email or "an unverified email")
                )
                return
        await self._fallback.send_recovery_code(email=email, telegram_chat_id=None, code=code)
