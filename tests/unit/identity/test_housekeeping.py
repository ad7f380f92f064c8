"""Housekeeping deletes credentials a week after they expired, and nothing still usable."""

from __future__ import annotations

from datetime import timedelta

from aquastream.domain.identity.housekeeping import CREDENTIAL_GRACE, PurgeExpiredCredentials, PurgeReport
from aquastream.domain.identity.model import Principal, Role
from aquastream.domain.identity.recovery import RequestPasswordRecovery
from aquastream.domain.identity.telegram import CreateTelegramLink
from tests.unit.identity.identity_kit import CTX, IdentityKit


async def leave_one_of_each(kit: IdentityKit) -> None:
    """A login session, a recovery request and a Telegram link code of one user (and the
    email-verification code of the registration, which counts as a recovery request: one
    table holds every one-time code)."""
    user_id, _ = await kit.register()
    await kit.make(RequestPasswordRecovery)("ivan@example.com", CTX)
    await kit.make(CreateTelegramLink)(Principal(user_id, Role.USER, "ivan@example.com"))


def rows(kit: IdentityKit) -> tuple[int, int, int]:
    tables = kit.db.table("sessions"), kit.db.table("recovery"), kit.db.table("telegram_link_codes")
    return len(tables[0]), len(tables[1]), len(tables[2])


async def test_credentials_within_their_grace_are_kept(kit: IdentityKit) -> None:
    await leave_one_of_each(kit)
    kit.clock.advance(kit.policy.refresh_token_ttl + CREDENTIAL_GRACE - timedelta(seconds=1))

    report = await kit.make(PurgeExpiredCredentials)()

    # Recovery codes and link codes live minutes: they are gone; the session is not, by a second.
    assert report == PurgeReport(sessions=0, recovery_requests=2, link_codes=1)
    assert rows(kit) == (1, 0, 0)


async def test_credentials_past_their_grace_are_deleted_and_later_ones_stay(kit: IdentityKit) -> None:
    await leave_one_of_each(kit)
    kit.clock.advance(kit.policy.refresh_token_ttl + CREDENTIAL_GRACE + timedelta(seconds=1))
    await kit.log_in()  # a fresh session, not to be touched

    report = await kit.make(PurgeExpiredCredentials)()

    assert report == PurgeReport(sessions=1, recovery_requests=2, link_codes=1)
    assert rows(kit) == (1, 0, 0)
    [live] = kit.db.table("sessions").values()
    assert live.expires_at > kit.clock.now()
    assert await kit.make(PurgeExpiredCredentials)() == PurgeReport(0, 0, 0)
