"""Contract of the user and profile repositories of the identity unit of work."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date, timedelta

import pytest

from aquastream.domain.identity.errors import EmailAlreadyRegistered
from aquastream.domain.identity.model import Profile, Role
from aquastream.domain.shared.paging import PageRequest

from .conftest import Backend
from .factories import NOW, a_user


async def test_an_added_user_reads_back_unchanged(backend: Backend) -> None:
    user = a_user("anna@example.com", role=Role.ORGANIZER)
    await backend.add_users(user)

    async with backend.identity_uow() as uow:
        assert await uow.users.get(user.id) == user
        assert await uow.users.get_by_email("anna@example.com") == user


async def test_an_unknown_user_is_not_found(backend: Backend) -> None:
    await backend.add_users(a_user("known@example.com"))

    async with backend.identity_uow() as uow:
        assert await uow.users.get(a_user().id) is None
        assert await uow.users.get_by_email("unknown@example.com") is None


async def test_second_registration_with_same_email_is_refused(backend: Backend) -> None:
    await backend.add_users(a_user("anna@example.com"))

    async with backend.identity_uow() as uow:
        with pytest.raises(EmailAlreadyRegistered):
            await uow.users.add(a_user("anna@example.com"))


async def test_an_email_differing_only_in_case_is_taken(backend: Backend) -> None:
    await backend.add_users(a_user("anna@example.com"))

    async with backend.identity_uow() as uow:
        with pytest.raises(EmailAlreadyRegistered):
            await uow.users.add(a_user("Anna@Example.com"))


async def test_the_unit_of_work_stays_usable_after_a_refused_email(backend: Backend) -> None:
    await backend.add_users(a_user("anna@example.com"))
    other = a_user("boris@example.com")

    async with backend.identity_uow() as uow:
        with pytest.raises(EmailAlreadyRegistered):
            await uow.users.add(a_user("anna@example.com"))
        await uow.users.add(other)
        await uow.commit()

    async with backend.identity_uow() as uow:
        assert await uow.users.get(other.id) == other


async def test_saving_a_user_stores_every_change(backend: Backend) -> None:
    user = a_user("anna@example.com")
    await backend.add_users(user)
    changed = dataclasses.replace(
        user,
        email="anna.new@example.com",
        password_hash="$argon2id$new",
        role=Role.ADMIN,
        is_active=False,
        updated_at=NOW + timedelta(days=1),
        deleted_at=NOW + timedelta(days=2),
        email_verified_at=NOW + timedelta(hours=1),
    )

    async with backend.identity_uow() as uow:
        await uow.users.save(changed)
        await uow.commit()

    async with backend.identity_uow() as uow:
        assert await uow.users.get(user.id) == changed
        assert await uow.users.get_by_email("anna@example.com") is None


async def test_saving_a_user_with_another_users_email_is_refused(backend: Backend) -> None:
    anna, boris = a_user("anna@example.com"), a_user("boris@example.com")
    await backend.add_users(anna, boris)

    async with backend.identity_uow() as uow:
        with pytest.raises(EmailAlreadyRegistered):
            await uow.users.save(dataclasses.replace(boris, email="anna@example.com"))


async def test_search_lists_users_newest_first_page_by_page(backend: Backend) -> None:
    users = [a_user(created_at=NOW + timedelta(minutes=i)) for i in range(5)]
    await backend.add_users(*users)
    newest_first = sorted(users, key=lambda u: u.created_at, reverse=True)

    async with backend.identity_uow() as uow:
        first = await uow.users.search(PageRequest(page=0, size=2))
        last = await uow.users.search(PageRequest(page=2, size=2))
        beyond = await uow.users.search(PageRequest(page=3, size=2))

    assert (list(first.items), first.total, first.page, first.size) == (newest_first[:2], 5, 0, 2)
    assert (list(last.items), last.total) == (newest_first[4:], 5)
    assert (list(beyond.items), beyond.total) == ([], 5)


async def test_search_matches_a_part_of_the_email_whatever_its_case(backend: Backend) -> None:
    anna = a_user("anna.river@example.com")
    await backend.add_users(anna, a_user("boris@example.com"))

    async with backend.identity_uow() as uow:
        found = await uow.users.search(PageRequest(), text="RIVER")

    assert (list(found.items), found.total) == ([anna], 1)


async def test_search_treats_wildcard_characters_as_letters(backend: Backend) -> None:
    underscored = a_user("anna_river@example.com")
    await backend.add_users(underscored, a_user("annaxriver@example.com"), a_user("percent@example.com"))

    async with backend.identity_uow() as uow:
        by_underscore = await uow.users.search(PageRequest(), text="a_r")
        by_percent = await uow.users.search(PageRequest(), text="%")

    assert list(by_underscore.items) == [underscored]
    assert by_percent.total == 0


async def test_search_filters_by_role_and_by_activity(backend: Backend) -> None:
    active_organizer = a_user(role=Role.ORGANIZER)
    blocked_organizer = a_user(role=Role.ORGANIZER, is_active=False, created_at=NOW + timedelta(seconds=1))
    blocked_user = a_user(is_active=False, created_at=NOW + timedelta(seconds=2))
    await backend.add_users(active_organizer, blocked_organizer, blocked_user)

    async with backend.identity_uow() as uow:
        organizers = await uow.users.search(PageRequest(), role=Role.ORGANIZER)
        blocked = await uow.users.search(PageRequest(), is_active=False)
        blocked_organizers = await uow.users.search(PageRequest(), role=Role.ORGANIZER, is_active=False)

    assert list(organizers.items) == [blocked_organizer, active_organizer]
    assert list(blocked.items) == [blocked_user, blocked_organizer]
    assert list(blocked_organizers.items) == [blocked_organizer]


async def test_search_leaves_out_deleted_users(backend: Backend) -> None:
    kept = a_user()
    await backend.add_users(kept, a_user(deleted_at=NOW))

    async with backend.identity_uow() as uow:
        found = await uow.users.search(PageRequest())

    assert (list(found.items), found.total) == ([kept], 1)


def _full_profile(user_id: uuid.UUID) -> Profile:
    return Profile(
        user_id=user_id,
        updated_at=NOW,
        phone="+79991234567",
        telegram="@anna_river",
        telegram_verified=True,
        telegram_chat_id=9_007_199_254_740_993,
        first_name="Анна",
        last_name="River",
        birth_date=date(1990, 5, 17),
        extra={"diet": "vegan", "sizes": {"wetsuit": "M"}, "tags": ["kayak", 2, None, True]},
    )


async def test_a_profile_reads_back_unchanged(backend: Backend) -> None:
    user = a_user()
    await backend.add_users(user)
    empty, full = Profile(user_id=user.id, updated_at=NOW), _full_profile(user.id)

    async with backend.identity_uow() as uow:
        await uow.profiles.add(empty)
        await uow.commit()
    async with backend.identity_uow() as uow:
        assert await uow.profiles.get(user.id) == empty
        await uow.profiles.save(full)
        await uow.commit()

    async with backend.identity_uow() as uow:
        assert await uow.profiles.get(user.id) == full


async def test_a_profile_is_found_by_its_telegram_chat(backend: Backend) -> None:
    anna, boris = a_user(), a_user()
    await backend.add_users(anna, boris)
    linked = _full_profile(anna.id)

    async with backend.identity_uow() as uow:
        await uow.profiles.add(linked)
        await uow.profiles.add(Profile(user_id=boris.id, updated_at=NOW))
        await uow.commit()

    async with backend.identity_uow() as uow:
        assert await uow.profiles.get_by_telegram_chat(9_007_199_254_740_993) == linked
        assert await uow.profiles.get_by_telegram_chat(42) is None
        assert await uow.profiles.get(a_user().id) is None
