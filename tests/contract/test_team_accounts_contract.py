"""The catalog's ``TeamAccounts``, served by identity, answers alike on every backend: the
usable account with an email, case-insensitively, and the emails of accounts not deleted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from aquastream.adapters.memory.identity import MemoryIdentityTeamAccounts
from aquastream.adapters.sql.identity.served import IdentityTeamAccounts
from aquastream.domain.identity.model import User
from aquastream.domain.shared.ids import new_id
from aquastream.ports.catalog import TeamAccounts
from tests.contract.conftest import Backend
from tests.contract.factories import NOW, a_user


@dataclass(frozen=True)
class People:
    anna: User
    blocked: User
    deleted: User


async def _people(backend: Backend) -> People:
    people = People(
        a_user("anna@example.com"),
        a_user("blocked@example.com", is_active=False),
        a_user("gone@example.com", deleted_at=NOW + timedelta(days=1)),
    )
    async with backend.identity_uow() as uow:
        for user in (people.anna, people.blocked, people.deleted):
            await uow.users.add(user)
        await uow.commit()
    return people


def _accounts(backend: Backend) -> TeamAccounts:
    if backend.memory is not None:
        return MemoryIdentityTeamAccounts(backend.memory)
    assert backend.engine is not None
    return IdentityTeamAccounts(backend.engine)


async def test_a_usable_account_is_found_by_its_email_in_any_case(backend: Backend) -> None:
    anna = (await _people(backend)).anna
    accounts = _accounts(backend)

    assert await accounts.account_id("anna@example.com") == anna.id
    assert await accounts.account_id("Anna@Example.COM") == anna.id
    assert await accounts.account_id("blocked@example.com") is None
    assert await accounts.account_id("gone@example.com") is None
    assert await accounts.account_id("nobody@example.com") is None


async def test_the_emails_of_accounts_not_deleted_are_given(backend: Backend) -> None:
    people = await _people(backend)
    accounts = _accounts(backend)

    assert await accounts.emails({people.anna.id, people.blocked.id, people.deleted.id, new_id()}) == {
        people.anna.id: "anna@example.com",
        people.blocked.id: "blocked@example.com",
    }
    assert await accounts.emails(set()) == {}
