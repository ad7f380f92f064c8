"""Users and their profiles in SQL, mapped explicitly to the domain's dataclasses."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Executable, RowMapping, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from aquastream.adapters.sql.errors import violated_unique
from aquastream.adapters.sql.paging import by_code_point, fetch_page, in_order
from aquastream.adapters.sql.tables.identity import USERS_EMAIL_UNIQUE, profiles, users
from aquastream.adapters.sql.uow import SqlRepository
from aquastream.domain.identity.errors import EmailAlreadyRegistered
from aquastream.domain.identity.model import Profile, Role, User
from aquastream.domain.identity.ordering import NEWEST_USERS, UserSortKey
from aquastream.domain.shared.paging import Page, PageRequest
from aquastream.domain.shared.sorting import Sort


def _user_from_row(row: RowMapping) -> User:
    return User(
        id=row["id"],
        email=row["email"],
        password_hash=row["password_hash"],
        role=Role(row["role"]),
        is_active=row["is_active"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        deleted_at=row["deleted_at"],
        tokens_not_before=row["tokens_not_before"],
        email_verified_at=row["email_verified_at"],
    )


def _user_values(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "password_hash": user.password_hash,
        "role": user.role.value,
        "is_active": user.is_active,
        "created_at": user.created_at,
        "updated_at": user.updated_at,
        "deleted_at": user.deleted_at,
        "tokens_not_before": user.tokens_not_before,
        "email_verified_at": user.email_verified_at,
    }


class SqlUserRepository(SqlRepository):
    async def add(self, user: User) -> None:
        await self._write(insert(users).values(_user_values(user)))

    async def save(self, user: User) -> None:
        await self._write(update(users).where(users.c.id == user.id).values(_user_values(user)))

    async def _write(self, statement: Executable) -> None:
        try:
            # A savepoint keeps the transaction usable after the refusal (PostgreSQL
            # would otherwise reject every later statement of the unit of work).
            async with self._connection.begin_nested():
                await self._connection.execute(statement)
        except IntegrityError as error:
            if violated_unique(error, users) == USERS_EMAIL_UNIQUE:
                raise EmailAlreadyRegistered() from None
            raise

    async def get(self, user_id: uuid.UUID) -> User | None:
        row = (await self._connection.execute(select(users).where(users.c.id == user_id))).mappings().first()
        return _user_from_row(row) if row else None

    async def get_by_email(self, email: str) -> User | None:
        query = select(users).where(func.lower(users.c.email) == email.lower())
        row = (await self._connection.execute(query)).mappings().first()
        return _user_from_row(row) if row else None

    async def search(
        self,
        paging: PageRequest,
        *,
        text: str | None = None,
        role: Role | None = None,
        is_active: bool | None = None,
        sort: Sort[UserSortKey] = NEWEST_USERS,
    ) -> Page[User]:
        query = select(users).where(users.c.deleted_at.is_(None))
        if text:
            # autoescape: "%" and "_" typed by an admin are letters, not wildcards.
            query = query.where(func.lower(users.c.email).contains(text.lower(), autoescape=True))
        if role is not None:
            query = query.where(users.c.role == role.value)
        if is_active is not None:
            query = query.where(users.c.is_active == is_active)
        key = (
            users.c.created_at
            if sort.key is UserSortKey.CREATED_AT
            else by_code_point(users.c.email, self._connection.dialect)
        )
        query = in_order(query, key, users.c.id, descending=sort.descending)
        return await fetch_page(self._connection, query, paging, _user_from_row)


def _profile_from_row(row: RowMapping) -> Profile:
    return Profile(
        user_id=row["user_id"],
        updated_at=row["updated_at"],
        phone=row["phone"],
        telegram=row["telegram"],
        telegram_verified=row["telegram_verified"],
        telegram_chat_id=row["telegram_chat_id"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        birth_date=row["birth_date"],
        extra=dict(row["extra"]),
    )


def _profile_values(profile: Profile) -> dict[str, Any]:
    return {
        "user_id": profile.user_id,
        "updated_at": profile.updated_at,
        "phone": profile.phone,
        "telegram": profile.telegram,
        "telegram_verified": profile.telegram_verified,
        "telegram_chat_id": profile.telegram_chat_id,
        "first_name": profile.first_name,
        "last_name": profile.last_name,
        "birth_date": profile.birth_date,
        "extra": profile.extra,
    }


class SqlProfileRepository(SqlRepository):
    async def add(self, profile: Profile) -> None:
        await self._connection.execute(insert(profiles).values(_profile_values(profile)))

    async def save(self, profile: Profile) -> None:
        await self._connection.execute(
            update(profiles).where(profiles.c.user_id == profile.user_id).values(_profile_values(profile))
        )

    async def get(self, user_id: uuid.UUID) -> Profile | None:
        query = select(profiles).where(profiles.c.user_id == user_id)
        row = (await self._connection.execute(query)).mappings().first()
        return _profile_from_row(row) if row else None

    async def get_by_telegram_chat(self, chat_id: int) -> Profile | None:
        # Should two accounts claim one chat, the one linked last answers.
        query = (
            select(profiles)
            .where(profiles.c.telegram_chat_id == chat_id)
            .order_by(profiles.c.updated_at.desc(), profiles.c.user_id)
            .limit(1)
        )
        row = (await self._connection.execute(query)).mappings().first()
        return _profile_from_row(row) if row else None
