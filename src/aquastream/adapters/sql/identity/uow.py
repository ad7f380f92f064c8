"""The identity unit of work: its repositories share one transaction."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from aquastream.adapters.sql.identity.accounts import SqlProfileRepository, SqlUserRepository
from aquastream.adapters.sql.identity.audit import SqlAuditLog
from aquastream.adapters.sql.identity.credentials import (
    SqlRecoveryRepository,
    SqlSessionRepository,
    SqlTelegramLinkRepository,
)
from aquastream.adapters.sql.tables.identity import outbox
from aquastream.adapters.sql.uow import SqlUnitOfWork
from aquastream.ports.identity import (
    AuditLog,
    ProfileRepository,
    RecoveryRepository,
    SessionRepository,
    TelegramLinkRepository,
    UserRepository,
)


class SqlIdentityUnitOfWork(SqlUnitOfWork):
    def __init__(self, engine: AsyncEngine) -> None:
        super().__init__(engine, outbox, "identity")
        # Typed as the ports: the protocol's attributes are invariant, and this also has
        # the type checker hold each repository to its port.
        self.users: UserRepository = SqlUserRepository(self)
        self.profiles: ProfileRepository = SqlProfileRepository(self)
        self.sessions: SessionRepository = SqlSessionRepository(self)
        self.recovery: RecoveryRepository = SqlRecoveryRepository(self)
        self.link_codes: TelegramLinkRepository = SqlTelegramLinkRepository(self)
        self.audit: AuditLog = SqlAuditLog(self)
