"""Senders that keep what they would send, for tests and local exploration."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SentRecoveryCode:
    email: str | None
    telegram_chat_id: int | None
    code: str


@dataclass(frozen=True, slots=True)
class SentVerificationCode:
    email: str
    code: str


class MemoryRecoveryCodeSender:
    """Identity's ``RecoveryCodeSender`` and ``VerificationCodeSender``: keeps every code."""

    def __init__(self) -> None:
        self.sent: list[SentRecoveryCode] = []
        self.verifications: list[SentVerificationCode] = []

    async def send_recovery_code(self, *, email: str | None, telegram_chat_id: int | None, code: str) -> None:
        self.sent.append(SentRecoveryCode(email, telegram_chat_id, code))

    async def send_verification_code(self, *, email: str, code: str) -> None:
        self.verifications.append(SentVerificationCode(email, code))

    def last_code_for(self, email: str) -> str:
        return next(s.code for s in reversed(self.sent) if s.email == email)

    def last_verification_code_for(self, email: str) -> str:
        return next(s.code for s in reversed(self.verifications) if s.email == email)
