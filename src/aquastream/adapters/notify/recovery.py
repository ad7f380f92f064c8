"""Senders of password-recovery codes: to the log (embedded default) or by email over SMTP.

Telegram delivery arrives with the Telegram adapter; until then both senders use their
own channel even when the user has a chat linked, and say so.
"""

from __future__ import annotations

import logging

from aquastream.adapters.notify.channels import masked
from aquastream.adapters.notify.smtp import Mailer

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

    async def send_recovery_code(self, *, email: str, telegram_chat_id: int | None, code: str) -> None:
        channel = _channel(telegram_chat_id)
        if self._reveal_codes:
            logger.warning(
                "Recovery code %s for %s (would be sent by %s; logged because codes are revealed)",
                code,
                email,
                channel,
            )
        else:
            logger.info("Recovery code for %s would be sent by %s (log-only sender)", masked(email), channel)


_SUBJECT = "AquaStream: код восстановления пароля / password recovery code"
_BODY = """\
Здравствуйте!

Ваш код для восстановления пароля AquaStream: {code}
Код действует {minutes} мин. Если вы не запрашивали восстановление, просто проигнорируйте это письмо.

Hello,

Your AquaStream password recovery code is: {code}
It is valid for {minutes} minutes. If you did not ask to reset your password, ignore this email.
"""


class SmtpRecoveryCodeSender:
    """Sends the code as a plain-text email (Russian, then English) through an SMTP server.

    Raises what aiosmtplib raises when the server cannot be reached or refuses the mail;
    the use case logs that without telling the requester.
    """

    def __init__(
        self,
        host: str,
        port: int,
        username: str | None,
        password: str | None,
        sender: str,
        starttls: bool,
        *,
        code_ttl_minutes: int = 15,
        timeout_seconds: float = 30,
    ) -> None:
        self._mailer = Mailer(host, port, username, password, sender, starttls, timeout_seconds)
        self._code_ttl_minutes = code_ttl_minutes

    async def send_recovery_code(self, *, email: str, telegram_chat_id: int | None, code: str) -> None:
        if telegram_chat_id is not None:
            logger.info("User has Telegram linked; no Telegram sender yet, so the code goes by email")
        await self._mailer.send(
            to=email, subject=_SUBJECT, body=_BODY.format(code=code, minutes=self._code_ttl_minutes)
        )
        logger.info("Recovery code sent by email to %s", masked(email))
