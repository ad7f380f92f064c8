"""The identity use cases wired to memory adapters, a frozen clock, cheap Argon2 and small fakes.

Imported by the tests of this folder (pytest puts the folder on ``sys.path``).
"""

from __future__ import annotations

import inspect
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from aquastream.adapters.crypto.argon2_hasher import Argon2PasswordHasher
from aquastream.adapters.memory.clock import FrozenClock
from aquastream.adapters.memory.database import MemoryDatabase
from aquastream.adapters.memory.identity import MemoryIdentityUnitOfWork, MemoryRevocationFeed
from aquastream.adapters.memory.user_bookings import MemoryUserBookings
from aquastream.domain.identity.auth import Credentials, LogIn
from aquastream.domain.identity.bootstrap import CreateAdmin
from aquastream.domain.identity.model import (
    AuditAction,
    AuditEntry,
    Principal,
    Profile,
    RefreshSession,
    RequestContext,
    Role,
    TokenPair,
    User,
)
from aquastream.domain.identity.policy import IdentityPolicy
from aquastream.domain.identity.registration import RegisterUser, Registration
from aquastream.domain.identity.revocation import Revocation, RevokedAccess
from aquastream.domain.identity.verification import VerifyMyEmail
from aquastream.domain.shared.events import decode_event

T = TypeVar("T")

GOOD_PASSWORD = "Rafting-Kayak-42"
OTHER_GOOD_PASSWORD = "Canoe+Paddle+2031"
CTX = RequestContext(ip="203.0.113.7")


class FakeSecrets:
    """Predictable tokens and codes; tests may queue the next codes."""

    def __init__(self) -> None:
        self.tokens_made = 0
        self.codes_made = 0
        self.next_codes: list[str] = []

    def token(self) -> str:
        self.tokens_made += 1
        return f"token-{self.tokens_made:06d}"

    def numeric_code(self, digits: int) -> str:
        self.codes_made += 1
        if self.next_codes:
            return self.next_codes.pop(0)
        return f"{(123456 + self.codes_made) % 10**digits:0{digits}d}"


class FakeAccessTokenIssuer:
    """Tokens that show whom they were issued to, with the role of that moment and the
    session family."""

    ttl_seconds = 900

    def issue(self, user: User, *, now: datetime, session_family_id: uuid.UUID) -> tuple[str, int]:
        token = f"access:{user.id}:{user.role}:{int(now.timestamp())}:{session_family_id}"
        return token, self.ttl_seconds


class RecordingRevocations:
    """What the use cases said they revoked, in order."""

    def __init__(self) -> None:
        self.heard: list[Revocation] = []

    def access_revoked(self, *revocations: Revocation) -> None:
        self.heard.extend(revocations)


@dataclass
class SentCode:
    email: str | None
    telegram_chat_id: int | None
    code: str


class RecordingSender:
    """Keeps what it was asked to send, recovery codes in ``sent`` and email-verification
    codes in ``verifications``; fails on demand like an unreachable mail server."""

    def __init__(self) -> None:
        self.sent: list[SentCode] = []
        self.verifications: list[SentCode] = []
        self.fail = False

    async def send_recovery_code(self, *, email: str | None, telegram_chat_id: int | None, code: str) -> None:
        if self.fail:
            raise ConnectionError("mail server unreachable")
        self.sent.append(SentCode(email, telegram_chat_id, code))

    async def send_verification_code(self, *, email: str, code: str) -> None:
        if self.fail:
            raise ConnectionError("mail server unreachable")
        self.verifications.append(SentCode(email, None, code))

    def verification_code_for(self, email: str) -> str:
        return next(s.code for s in reversed(self.verifications) if s.email == email)


class CountingHasher(Argon2PasswordHasher):
    """The real Argon2 hasher, counting its work (to show both login paths do the same)."""

    def __init__(self, time_cost: int = 1, memory_cost: int = 8, parallelism: int = 1) -> None:
        super().__init__(time_cost, memory_cost, parallelism)
        self.verifications = 0

    def verify(self, hashed: str, secret: str) -> bool:
        self.verifications += 1
        return super().verify(hashed, secret)


@dataclass
class IdentityKit:
    db: MemoryDatabase = field(default_factory=MemoryDatabase)
    clock: FrozenClock = field(default_factory=FrozenClock)
    hasher: Argon2PasswordHasher = field(default_factory=CountingHasher)
    issuer: FakeAccessTokenIssuer = field(default_factory=FakeAccessTokenIssuer)
    secrets: FakeSecrets = field(default_factory=FakeSecrets)
    sender: RecordingSender = field(default_factory=RecordingSender)
    policy: IdentityPolicy = field(default_factory=IdentityPolicy)
    revocations: RecordingRevocations = field(default_factory=RecordingRevocations)

    def make(self, use_case: type[T]) -> T:
        """The use case with its ports, each call with its own unit of work (as per request)."""
        available: dict[str, Any] = {
            "uow": MemoryIdentityUnitOfWork(self.db),
            "clock": self.clock,
            "hasher": self.hasher,
            "issuer": self.issuer,
            "secrets": self.secrets,
            "sender": self.sender,
            "verification_sender": self.sender,
            "bookings": MemoryUserBookings(self.db),
            "policy": self.policy,
            "revocations": self.revocations,
        }
        wanted = inspect.signature(use_case).parameters
        return use_case(**{name: available[name] for name in wanted})

    async def register(
        self,
        email: str = "ivan@example.com",
        password: str = GOOD_PASSWORD,
        phone: str | None = None,
        *,
        verified: bool = True,
    ) -> tuple[uuid.UUID, TokenPair]:
        """A new account; its email verified with the code sent to it, unless ``verified``
        is False (as right after registration)."""
        user_id, tokens = await self.make(RegisterUser)(Registration(email, password, phone), CTX)
        if verified:
            principal = Principal(user_id, Role.USER, email)
            await self.make(VerifyMyEmail)(
                principal, self.sender.verification_code_for(email.strip().lower())
            )
        return user_id, tokens

    async def log_in(self, email: str = "ivan@example.com", password: str = GOOD_PASSWORD) -> TokenPair:
        return await self.make(LogIn)(Credentials(email, password), CTX)

    async def user_principal(self, email: str = "ivan@example.com") -> Principal:
        user_id, _ = await self.register(email)
        return Principal(user_id, Role.USER, email)

    async def admin_principal(self, email: str = "root@example.com") -> Principal:
        account = await self.make(CreateAdmin)(email, GOOD_PASSWORD)
        return Principal(account.user_id, Role.ADMIN, email)

    # What the memory database holds, read directly: the use cases' effects, not their answers.

    def user(self, user_id: uuid.UUID) -> User:
        return self.db.table("users")[user_id]

    def profile(self, user_id: uuid.UUID) -> Profile:
        return self.db.table("profiles")[user_id]

    def sessions(self, user_id: uuid.UUID) -> list[RefreshSession]:
        return [s for s in self.db.table("sessions").values() if s.user_id == user_id]

    def live_sessions(self, user_id: uuid.UUID) -> list[RefreshSession]:
        return [s for s in self.sessions(user_id) if s.revoked_at is None]

    async def token_holds(self, tokens: TokenPair) -> bool:
        """Whether the edge would still take the access token of ``tokens`` (what the fake
        issuer wrote in it), judged alike by what other instances read from the revocation
        feed and by what this one heard from the use cases."""
        _, user, _, issued, family = tokens.access_token.split(":")
        user_id, family_id, issued_at = (
            uuid.UUID(user),
            uuid.UUID(family),
            datetime.fromtimestamp(int(issued), UTC),
        )
        read, heard = RevokedAccess(), RevokedAccess()
        read.record(*await MemoryRevocationFeed(self.db).revoked_since(self.clock.now() - timedelta(hours=1)))
        heard.record(*self.revocations.heard)
        holds = read.admits(user_id, family_id, issued_at)
        assert heard.admits(user_id, family_id, issued_at) == holds, "the feed and the use cases disagree"
        return holds

    def audit(self, action: AuditAction | None = None) -> list[AuditEntry]:
        entries = sorted(self.db.table("audit").values(), key=lambda e: (e.created_at, e.id))
        return [e for e in entries if action is None or e.action == action]

    def events(self, name: str | None = None) -> list[Any]:
        rows = sorted(self.db.table("outbox").values(), key=lambda r: (r.created_at, r.id))
        return [decode_event(r.event_name, r.payload) for r in rows if name is None or r.event_name == name]
