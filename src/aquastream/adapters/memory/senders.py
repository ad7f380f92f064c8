"""Senders that keep what they would send, for tests and local exploration."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SentRecoveryCode:
    email: str
    telegram_chat_id: int | None
    code: str


class MemoryRecoveryCodeSender:
    def __init__(self) -> None:
        self.sent: list[SentRecoveryCode] = []

    async def send_recovery_code(self, *, email: str, telegram_chat_id: int | None, code: str) -> None:
        self.sent.append(SentRecoveryCode(email, telegram_chat_id, code))

    def last_code_for(self, email: str) -> str:
        return next(s.code for s in reversed(self.sent) if s.email == email)
