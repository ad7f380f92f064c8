"""Refresh sessions, recovery requests and Telegram link codes in SQL.

Every state change that must happen at most once (rotating a token, counting a wrong
code, consuming a code) is one conditional UPDATE: the database decides the winner of
concurrent attempts, never a read followed by a write in Python.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, RowMapping, and_, delete, func, insert, or_, select, update

from aquastream.adapters.sql.tables.identity import recovery_requests, refresh_sessions, telegram_link_codes
from aquastream.adapters.sql.uow import SqlRepository
from aquastream.domain.identity.model import CodePurpose, RecoveryRequest, RefreshSession, TelegramLinkCode


def _session_from_row(row: RowMapping) -> RefreshSession:
    return RefreshSession(
        id=row["id"],
        user_id=row["user_id"],
        family_id=row["family_id"],
        token_hash=row["token_hash"],
        created_at=row["created_at"],
        expires_at=row["expires_at"],
        revoked_at=row["revoked_at"],
        replaced_by=row["replaced_by"],
        signed_in_at=row["signed_in_at"],
        user_agent=row["user_agent"],
        ip=row["ip"],
    )


class SqlSessionRepository(SqlRepository):
    async def add(self, session: RefreshSession) -> None:
        await self._connection.execute(
            insert(refresh_sessions).values(
                id=session.id,
                user_id=session.user_id,
                family_id=session.family_id,
                token_hash=session.token_hash,
                created_at=session.created_at,
                expires_at=session.expires_at,
                revoked_at=session.revoked_at,
                replaced_by=session.replaced_by,
                signed_in_at=session.signed_in_at,
                user_agent=session.user_agent,
                ip=session.ip,
            )
        )

    async def get_by_token_hash(self, token_hash: str) -> RefreshSession | None:
        query = select(refresh_sessions).where(refresh_sessions.c.token_hash == token_hash)
        row = (await self._connection.execute(query)).mappings().first()
        return _session_from_row(row) if row else None

    async def rotate(self, session_id: uuid.UUID, *, replaced_by: uuid.UUID, at: datetime) -> bool:
        revoked = await self._revoke_live(
            refresh_sessions.c.id == session_id, revoked_at=at, replaced_by=replaced_by
        )
        return revoked == 1

    async def revoke(self, session_id: uuid.UUID, *, at: datetime) -> bool:
        return await self._revoke_live(refresh_sessions.c.id == session_id, revoked_at=at) == 1

    async def revoke_family(self, family_id: uuid.UUID, *, at: datetime) -> int:
        return await self._revoke_live(refresh_sessions.c.family_id == family_id, revoked_at=at)

    async def forget_devices(self, user_id: uuid.UUID) -> None:
        await self._connection.execute(
            update(refresh_sessions)
            .where(refresh_sessions.c.user_id == user_id)
            .values(user_agent=None, ip=None)
        )

    async def revoke_live_family(self, user_id: uuid.UUID, family_id: uuid.UUID, *, at: datetime) -> int:
        c = refresh_sessions.c
        return await self._revoke_live(
            and_(c.user_id == user_id, c.family_id == family_id, c.expires_at > at), revoked_at=at
        )

    async def revoke_all_for_user(self, user_id: uuid.UUID, *, at: datetime) -> list[uuid.UUID]:
        result = await self._connection.execute(
            update(refresh_sessions)
            .where(refresh_sessions.c.user_id == user_id, refresh_sessions.c.revoked_at.is_(None))
            .values(revoked_at=at)
            .returning(refresh_sessions.c.family_id)
        )
        return list(result.scalars())

    async def _revoke_live(self, which: ColumnElement[bool], **values: Any) -> int:
        result = await self._connection.execute(
            update(refresh_sessions).where(which, refresh_sessions.c.revoked_at.is_(None)).values(**values)
        )
        return result.rowcount

    async def purge_expired(self, *, before: datetime) -> int:
        return await self._delete(delete(refresh_sessions).where(refresh_sessions.c.expires_at < before))

    async def list_for_user(self, user_id: uuid.UUID) -> list[RefreshSession]:
        query = (
            select(refresh_sessions)
            .where(refresh_sessions.c.user_id == user_id)
            .order_by(refresh_sessions.c.created_at, refresh_sessions.c.id)
        )
        return [_session_from_row(row) for row in (await self._connection.execute(query)).mappings()]

    async def list_live_for_user(
        self, user_id: uuid.UUID, *, now: datetime, limit: int
    ) -> list[RefreshSession]:
        c = refresh_sessions.c
        started_at = func.coalesce(c.signed_in_at, c.created_at)
        query = (
            select(refresh_sessions)
            .where(c.user_id == user_id, c.revoked_at.is_(None), c.expires_at > now)
            .order_by(started_at.desc(), c.id.desc())
            .limit(limit)
        )
        return [_session_from_row(row) for row in (await self._connection.execute(query)).mappings()]


def _recovery_from_row(row: RowMapping) -> RecoveryRequest:
    return RecoveryRequest(
        id=row["id"],
        user_id=row["user_id"],
        code_hash=row["code_hash"],
        created_at=row["created_at"],
        expires_at=row["expires_at"],
        attempts=row["attempts"],
        verified_at=row["verified_at"],
        reset_token_hash=row["reset_token_hash"],
        reset_expires_at=row["reset_expires_at"],
        used_at=row["used_at"],
        purpose=CodePurpose(row["purpose"]),
        email=row["email"],
    )


class SqlRecoveryRepository(SqlRepository):
    async def add(self, request: RecoveryRequest) -> None:
        await self._connection.execute(
            insert(recovery_requests).values(
                id=request.id,
                user_id=request.user_id,
                code_hash=request.code_hash,
                created_at=request.created_at,
                expires_at=request.expires_at,
                attempts=request.attempts,
                verified_at=request.verified_at,
                reset_token_hash=request.reset_token_hash,
                reset_expires_at=request.reset_expires_at,
                used_at=request.used_at,
                purpose=request.purpose.value,
                email=request.email,
            )
        )

    async def latest_open_for_user(
        self, user_id: uuid.UUID, *, now: datetime, purpose: CodePurpose = CodePurpose.PASSWORD_RESET
    ) -> RecoveryRequest | None:
        query = (
            select(recovery_requests)
            .where(
                recovery_requests.c.user_id == user_id,
                recovery_requests.c.purpose == purpose.value,
                recovery_requests.c.verified_at.is_(None),
                recovery_requests.c.used_at.is_(None),
                recovery_requests.c.expires_at > now,
            )
            .order_by(recovery_requests.c.created_at.desc(), recovery_requests.c.id.desc())
            .limit(1)
        )
        row = (await self._connection.execute(query)).mappings().first()
        return _recovery_from_row(row) if row else None

    async def count_attempt(self, request_id: uuid.UUID, *, max_attempts: int) -> int | None:
        attempts = recovery_requests.c.attempts
        statement = (
            update(recovery_requests)
            .where(recovery_requests.c.id == request_id, attempts < max_attempts)
            .values(attempts=attempts + 1)
            .returning(attempts)
        )
        counted: int | None = (await self._connection.execute(statement)).scalar_one_or_none()
        return counted

    async def mark_verified(
        self,
        request_id: uuid.UUID,
        *,
        at: datetime,
        reset_token_hash: str | None = None,
        reset_expires_at: datetime | None = None,
    ) -> bool:
        result = await self._connection.execute(
            update(recovery_requests)
            .where(
                recovery_requests.c.id == request_id,
                recovery_requests.c.verified_at.is_(None),
                recovery_requests.c.used_at.is_(None),
            )
            .values(verified_at=at, reset_token_hash=reset_token_hash, reset_expires_at=reset_expires_at)
        )
        return result.rowcount == 1

    async def get_by_reset_token_hash(self, token_hash: str) -> RecoveryRequest | None:
        query = select(recovery_requests).where(recovery_requests.c.reset_token_hash == token_hash)
        row = (await self._connection.execute(query)).mappings().first()
        return _recovery_from_row(row) if row else None

    async def mark_used(self, request_id: uuid.UUID, *, at: datetime) -> bool:
        result = await self._connection.execute(
            update(recovery_requests)
            .where(recovery_requests.c.id == request_id, recovery_requests.c.used_at.is_(None))
            .values(used_at=at)
        )
        return result.rowcount == 1

    async def close_all_for_user(
        self, user_id: uuid.UUID, *, at: datetime, purpose: CodePurpose | None = None
    ) -> None:
        c = recovery_requests.c
        of_purpose = [c.purpose == purpose.value] if purpose is not None else []
        await self._connection.execute(
            update(recovery_requests)
            .where(c.user_id == user_id, c.used_at.is_(None), *of_purpose)
            .values(used_at=at)
        )

    async def purge_expired(self, *, before: datetime) -> int:
        return await self._delete(
            delete(recovery_requests).where(
                recovery_requests.c.expires_at < before,
                or_(
                    recovery_requests.c.reset_expires_at.is_(None),
                    recovery_requests.c.reset_expires_at < before,
                ),
            )
        )


class SqlTelegramLinkRepository(SqlRepository):
    async def add(self, code: TelegramLinkCode) -> None:
        await self._connection.execute(
            insert(telegram_link_codes).values(
                code_hash=code.code_hash,
                user_id=code.user_id,
                created_at=code.created_at,
                expires_at=code.expires_at,
                used_at=code.used_at,
            )
        )

    async def consume(self, code_hash: str, *, at: datetime) -> uuid.UUID | None:
        statement = (
            update(telegram_link_codes)
            .where(
                telegram_link_codes.c.code_hash == code_hash,
                telegram_link_codes.c.used_at.is_(None),
                telegram_link_codes.c.expires_at > at,
            )
            .values(used_at=at)
            .returning(telegram_link_codes.c.user_id)
        )
        owner: uuid.UUID | None = (await self._connection.execute(statement)).scalar_one_or_none()
        return owner

    async def purge_expired(self, *, before: datetime) -> int:
        expired = telegram_link_codes.c.expires_at < before
        return await self._delete(delete(telegram_link_codes).where(expired))
