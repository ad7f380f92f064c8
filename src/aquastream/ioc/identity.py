"""Providers of the identity domain: its unit of work, the revocation feed the edge reads,
crypto, use cases, and the housekeeping and audit-retention jobs. Its one-time codes go out
through ``RecoveryCodeSender`` and ``VerificationCodeSender``, ports notifications serves
(``ioc.notifications``); an administrator's view of a user's bookings comes from
``UserBookings``, which booking serves (``ioc.booking``)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from dishka import AsyncContainer, Provider, Scope, collect, provide, provide_all

from aquastream.adapters.crypto.argon2_hasher import Argon2PasswordHasher
from aquastream.adapters.crypto.jwt_tokens import JwtAccessTokens
from aquastream.adapters.http.token_check import AccessTokenCheck
from aquastream.adapters.sql.engine import DomainEngines
from aquastream.adapters.sql.identity import SqlIdentityUnitOfWork
from aquastream.adapters.sql.identity.directory import IdentityParticipantDirectory, IdentityParticipantNames
from aquastream.adapters.sql.identity.revocations import SqlRevocationFeed
from aquastream.adapters.sql.identity.served import (
    IdentityAvatarOwners,
    IdentityRecipientDirectory,
    IdentityTeamAccounts,
)
from aquastream.adapters.system import SystemSecrets
from aquastream.domain.identity.admin import BlockUser, ChangeUserRole, ListUsers, ReadAuditLog, UnblockUser
from aquastream.domain.identity.auth import LogIn, LogOut, LogOutEverywhere, RefreshTokens
from aquastream.domain.identity.bootstrap import CreateAdmin
from aquastream.domain.identity.devices import ListMySessions, RevokeMySession
from aquastream.domain.identity.errors import InvalidLinkCode
from aquastream.domain.identity.housekeeping import PurgeExpiredCredentials
from aquastream.domain.identity.incidents import ForceLogout, ForcePasswordReset, ShowUser
from aquastream.domain.identity.policy import IdentityPolicy
from aquastream.domain.identity.privacy import DeleteMyAccount, ExportMyData
from aquastream.domain.identity.profile import GetMyProfile, UpdateMyProfile
from aquastream.domain.identity.recovery import RequestPasswordRecovery, ResetPassword, VerifyRecoveryCode
from aquastream.domain.identity.registration import RegisterUser
from aquastream.domain.identity.retention import AUDIT_PRUNE_BATCH_SIZE, PruneAuditLog
from aquastream.domain.identity.telegram import CreateTelegramLink, LinkTelegramChat
from aquastream.domain.identity.verification import ChangeMyEmail, ResendEmailVerification, VerifyMyEmail
from aquastream.domain.shared.privacy import PersonalDataSection
from aquastream.domain.shared.scheduling import PeriodicJob
from aquastream.ioc.worker import sweep, use_case_job
from aquastream.ports.booking import ParticipantDirectory
from aquastream.ports.catalog import TeamAccounts
from aquastream.ports.crews import ParticipantNames
from aquastream.ports.identity import (
    AccessRevocationListener,
    AccessTokenIssuer,
    IdentityUnitOfWork,
    PasswordHasher,
    RevocationFeed,
    SecretGenerator,
)
from aquastream.ports.media import AvatarOwners
from aquastream.ports.notifications import RecipientDirectory, TelegramLinker
from aquastream.ports.tickets import HolderNames
from aquastream.settings import Settings

PURGE_CREDENTIALS_JOB = "identity.purge_expired_credentials"
PRUNE_AUDIT_JOB = "identity.prune_audit_log"


class LinkChatAsTelegramLinker:
    """Notifications' ``TelegramLinker``, answered by identity's link use case in identity's own
    transaction: the link is identity's state, and the bot's answer depends only on whether it
    succeeded."""

    def __init__(self, link_chat: LinkTelegramChat) -> None:
        self._link_chat = link_chat

    async def link(self, code: str, chat_id: int, username: str | None) -> uuid.UUID | None:
        try:
            return await self._link_chat(code, chat_id, username)
        except InvalidLinkCode:
            return None


class IdentityQueriesProvider(Provider):
    """The questions other domains ask identity, answered on identity's own connections."""

    @provide(scope=Scope.APP)
    def participants(self, engines: DomainEngines) -> ParticipantDirectory:
        """Booking's question: who its participants are and whether they can be reached."""
        return IdentityParticipantDirectory(engines.of("identity"))

    @provide(scope=Scope.APP)
    def participant_names(self, engines: DomainEngines) -> ParticipantNames:
        """Crews' question: how its participants are called."""
        return IdentityParticipantNames(engines.of("identity"))

    @provide(scope=Scope.APP)
    def holder_names(self, engines: DomainEngines) -> HolderNames:
        """Tickets' question: how the holders of tickets are called."""
        return IdentityParticipantNames(engines.of("identity"))

    @provide(scope=Scope.APP)
    def recipients(self, engines: DomainEngines) -> RecipientDirectory:
        """Notifications' question: how to reach a user, and whose Telegram chat this is."""
        return IdentityRecipientDirectory(engines.of("identity"))

    @provide(scope=Scope.APP)
    def team_accounts(self, engines: DomainEngines) -> TeamAccounts:
        """The catalog's question: which account an organizer's team member is linked to."""
        return IdentityTeamAccounts(engines.of("identity"))

    @provide(scope=Scope.APP)
    def avatar_owners(self, engines: DomainEngines) -> AvatarOwners:
        """Media's question: whether an avatar's account still exists."""
        return IdentityAvatarOwners(engines.of("identity"))

    @provide(scope=Scope.REQUEST)
    def telegram_linker(self, link_chat: LinkTelegramChat) -> TelegramLinker:
        """Notifications' bot: link the chat that sent ``/start <code>`` to the code's owner."""
        return LinkChatAsTelegramLinker(link_chat)


class IdentityProvider(Provider):
    """The identity domain: its unit of work, crypto, and one use case per action."""

    scope = Scope.REQUEST

    # Every domain's part of the caller's data export (each domain provides its own).
    personal_data_sections = collect(PersonalDataSection, scope=Scope.REQUEST)

    @provide(scope=Scope.APP)
    def policy(self, settings: Settings) -> IdentityPolicy:
        return IdentityPolicy(
            refresh_token_ttl=timedelta(seconds=settings.refresh_token_ttl_seconds),
            recovery_code_ttl=timedelta(seconds=settings.recovery_code_ttl_seconds),
            reset_token_ttl=timedelta(seconds=settings.reset_token_ttl_seconds),
            telegram_link_ttl=timedelta(seconds=settings.telegram_link_ttl_seconds),
            telegram_bot_username=settings.telegram_bot_username,
            audit_retention=timedelta(days=settings.audit_retention_days),
        )

    @provide(scope=Scope.APP)
    def hasher(self, settings: Settings) -> PasswordHasher:
        return Argon2PasswordHasher(
            settings.password_time_cost, settings.password_memory_cost, settings.password_parallelism
        )

    @provide(scope=Scope.APP)
    def issuer(self, tokens: JwtAccessTokens) -> AccessTokenIssuer:
        return tokens

    secrets = provide(SystemSecrets, provides=SecretGenerator, scope=Scope.APP)

    @provide
    def uow(self, engines: DomainEngines) -> IdentityUnitOfWork:
        return SqlIdentityUnitOfWork(engines.of("identity"))

    @provide(scope=Scope.APP)
    def revocation_feed(self, engines: DomainEngines) -> RevocationFeed:
        return SqlRevocationFeed(engines.of("identity"))

    @provide(scope=Scope.APP)
    def revocation_listener(self, check: AccessTokenCheck) -> AccessRevocationListener:
        """The edge's check learns at once of the tokens this process revokes."""
        return check

    use_cases = provide_all(
        RegisterUser,
        LogIn,
        RefreshTokens,
        LogOut,
        LogOutEverywhere,
        RequestPasswordRecovery,
        VerifyRecoveryCode,
        ResetPassword,
        GetMyProfile,
        UpdateMyProfile,
        CreateTelegramLink,
        LinkTelegramChat,
        ExportMyData,
        DeleteMyAccount,
        ListUsers,
        ChangeUserRole,
        BlockUser,
        UnblockUser,
        ReadAuditLog,
        CreateAdmin,
        PurgeExpiredCredentials,
        PruneAuditLog,
        ListMySessions,
        RevokeMySession,
        VerifyMyEmail,
        ResendEmailVerification,
        ChangeMyEmail,
        ShowUser,
        ForceLogout,
        ForcePasswordReset,
    )

    @provide(scope=Scope.APP, provides=PeriodicJob)
    def purge_credentials_job(self, container: AsyncContainer) -> PeriodicJob:
        every_hour = timedelta(hours=1)
        return use_case_job(
            container, PURGE_CREDENTIALS_JOB, every_hour, PurgeExpiredCredentials, lambda purge: purge()
        )

    @provide(scope=Scope.APP, provides=PeriodicJob)
    def prune_audit_job(self, container: AsyncContainer) -> PeriodicJob:
        """Hourly: the period is counted in days, and a backlog goes in bounded batches."""
        return use_case_job(
            container,
            PRUNE_AUDIT_JOB,
            timedelta(hours=1),
            PruneAuditLog,
            lambda prune: sweep(prune, AUDIT_PRUNE_BATCH_SIZE),
        )
