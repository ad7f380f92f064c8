"""Request and response bodies of the identity routes."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

import msgspec

from aquastream.adapters.currencies import written
from aquastream.adapters.http.paging import PageOut
from aquastream.adapters.http.pictures import AvatarOut
from aquastream.adapters.http.structs import CamelStruct
from aquastream.domain.identity.admin import UserSummary
from aquastream.domain.identity.devices import DeviceSession
from aquastream.domain.identity.incidents import ForcedReset, UserInFull
from aquastream.domain.identity.model import AuditEntry, TokenPair
from aquastream.domain.identity.profile import ProfileView
from aquastream.domain.identity.telegram import TelegramLink
from aquastream.domain.shared.principal import Role
from aquastream.ports.identity import UserBooking
from aquastream.ports.pictures import AvatarLink

Email = msgspec.Meta(max_length=320, description="The account's email (case-insensitive).")
Secret = msgspec.Meta(max_length=256)


class RegisterIn(CamelStruct, forbid_unknown_fields=True):
    email: str
    password: str
    phone: str | None = None


class LoginIn(CamelStruct, forbid_unknown_fields=True):
    email: str
    password: str


class RefreshIn(CamelStruct, forbid_unknown_fields=True):
    refresh_token: str


class TokensOut(CamelStruct):
    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int
    user_id: uuid.UUID

    @classmethod
    def of(cls, tokens: TokenPair) -> TokensOut:
        return cls(
            tokens.access_token, tokens.refresh_token, tokens.token_type, tokens.expires_in, tokens.user_id
        )


class RecoveryInitIn(CamelStruct, forbid_unknown_fields=True):
    email: str


class RecoveryInitOut(CamelStruct):
    status: Literal["ACCEPTED"] = "ACCEPTED"
    detail: str = "If the account exists, a code has been sent to it."


class RecoveryVerifyIn(CamelStruct, forbid_unknown_fields=True):
    email: str
    code: str


class RecoveryVerifyOut(CamelStruct):
    reset_token: str
    expires_in: int


class RecoveryResetIn(CamelStruct, forbid_unknown_fields=True):
    reset_token: str
    new_password: str


class ProfileOut(CamelStruct):
    id: uuid.UUID
    email: str
    email_verified: bool
    email_verified_at: datetime | None
    role: Role
    phone: str | None
    telegram: str | None
    telegram_verified: bool
    first_name: str | None
    last_name: str | None
    birth_date: date | None
    extra: dict[str, Any]
    avatar: AvatarOut | None = None

    @classmethod
    def of(cls, view: ProfileView, avatar: AvatarLink | None = None) -> ProfileOut:
        return cls(
            id=view.user_id,
            email=view.email,
            email_verified=view.email_verified,
            email_verified_at=view.email_verified_at,
            role=view.role,
            phone=view.phone,
            telegram=view.telegram,
            telegram_verified=view.telegram_verified,
            first_name=view.first_name,
            last_name=view.last_name,
            birth_date=view.birth_date,
            extra=view.extra,
            avatar=AvatarOut.of(avatar),
        )


class EmailVerifyIn(CamelStruct, forbid_unknown_fields=True):
    code: Annotated[str, Secret]


class EmailChangeIn(CamelStruct, forbid_unknown_fields=True):
    email: Annotated[str, Email]
    password: Annotated[str, Secret]


class VerificationSentOut(CamelStruct):
    status: Literal["SENT"] = "SENT"
    detail: str = "A verification code has been sent to the account's email."


class TelegramLinkOut(CamelStruct):
    url: str
    expires_at: datetime

    @classmethod
    def of(cls, link: TelegramLink) -> TelegramLinkOut:
        return cls(link.url, link.expires_at)


class UserOut(CamelStruct):
    id: uuid.UUID
    email: str
    role: Role
    active: bool
    created_at: datetime
    updated_at: datetime
    email_verified: bool

    @classmethod
    def of(cls, user: UserSummary) -> UserOut:
        return cls(
            user.id,
            user.email,
            user.role,
            user.is_active,
            user.created_at,
            user.updated_at,
            user.email_verified_at is not None,
        )


class RoleIn(CamelStruct, forbid_unknown_fields=True):
    role: Role


class AuditEntryOut(CamelStruct):
    id: uuid.UUID
    action: str
    created_at: datetime
    actor_id: uuid.UUID | None
    target_id: uuid.UUID | None
    payload: dict[str, Any]
    ip: str | None

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditEntryOut:
        return cls(
            entry.id,
            entry.action.value,
            entry.created_at,
            entry.actor_id,
            entry.target_id,
            entry.payload,
            entry.ip,
        )


class DependencyOut(CamelStruct):
    name: str
    status: str
    latency_ms: float
    error: str | None = None


class AdminHealthOut(CamelStruct):
    status: str
    dependencies: list[DependencyOut]


class InfoOut(CamelStruct):
    name: str
    version: str
    git_revision: str
    build_time: str
    environment: str


class SessionOut(CamelStruct):
    """One live login of the caller; ``current`` is the one the request's access token belongs to."""

    id: uuid.UUID
    created_at: datetime
    last_used_at: datetime
    user_agent: str | None
    ip: str | None
    current: bool

    @classmethod
    def of(cls, session: DeviceSession) -> SessionOut:
        return cls(
            session.id,
            session.signed_in_at,
            session.last_used_at,
            session.user_agent,
            session.ip,
            session.current,
        )


class UserBookingOut(CamelStruct):
    """One of the user's bookings (the booking domain's answer)."""

    id: uuid.UUID
    event_id: uuid.UUID
    event_title: str | None
    status: str
    payment_status: str
    amount: Annotated[str, msgspec.Meta(description="Frozen at booking time, in the currency's digits.")]
    currency: str
    created_at: datetime

    @classmethod
    def of(cls, booking: UserBooking) -> UserBookingOut:
        return cls(
            booking.booking_id,
            booking.event_id,
            booking.event_title,
            booking.status,
            booking.payment_status,
            written(booking.amount, booking.currency),
            booking.currency,
            booking.created_at,
        )


class UserInFullOut(CamelStruct):
    """A user as an administrator handling an incident sees them: the newest 20 bookings and
    audit entries (``total`` says how many there are; the audit route pages on)."""

    account: UserOut
    profile: ProfileOut | None
    sessions: list[SessionOut]
    bookings: PageOut[UserBookingOut]
    audit: PageOut[AuditEntryOut]

    @classmethod
    def of(cls, user: UserInFull) -> UserInFullOut:
        return cls(
            UserOut.of(user.account),
            ProfileOut.of(user.profile) if user.profile is not None else None,
            [SessionOut.of(session) for session in user.sessions],
            PageOut.of(user.bookings, UserBookingOut.of),
            PageOut.of(user.audit, AuditEntryOut.of),
        )


class ForcedLogoutOut(CamelStruct):
    sessions_revoked: int


class ForcedResetOut(CamelStruct):
    sessions_revoked: int
    code_sent: bool

    @classmethod
    def of(cls, reset: ForcedReset) -> ForcedResetOut:
        return cls(reset.sessions_revoked, reset.code_sent)
