"""Contract of refresh sessions, recovery requests and Telegram link codes.

Whatever may happen only once (rotating a token, a wrong code, consuming a code) is
raced by concurrent callers: exactly the allowed number of them may win.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from aquastream.domain.identity.model import CodePurpose, User
from aquastream.domain.shared.ids import new_id

from .conftest import RACERS, AllIn, Backend
from .factories import NOW, a_link_code, a_recovery_request, a_session, a_user

LATER = NOW + timedelta(minutes=5)


async def _user(backend: Backend) -> User:
    user = a_user()
    await backend.add_users(user)
    return user


async def test_a_session_is_found_by_its_token_hash(backend: Backend) -> None:
    session = a_session(await _user(backend))
    async with backend.identity_uow() as uow:
        await uow.sessions.add(session)
        await uow.commit()

    async with backend.identity_uow() as uow:
        assert await uow.sessions.get_by_token_hash(session.token_hash) == session
        assert await uow.sessions.get_by_token_hash("f" * 64) is None


async def test_rotating_a_live_session_revokes_it_in_favour_of_its_successor(backend: Backend) -> None:
    session = a_session(await _user(backend))
    successor = new_id()
    async with backend.identity_uow() as uow:
        await uow.sessions.add(session)
        assert await uow.sessions.rotate(session.id, replaced_by=successor, at=LATER) is True
        assert await uow.sessions.rotate(session.id, replaced_by=new_id(), at=LATER) is False
        await uow.commit()

    async with backend.identity_uow() as uow:
        stored = await uow.sessions.get_by_token_hash(session.token_hash)
    assert stored == dataclasses.replace(session, revoked_at=LATER, replaced_by=successor)


async def test_concurrent_rotations_of_one_session_have_exactly_one_winner(backend: Backend) -> None:
    session = a_session(await _user(backend))
    async with backend.identity_uow() as uow:
        await uow.sessions.add(session)
        await uow.commit()

    async def rotate(all_in: AllIn) -> bool:
        async with backend.identity_uow() as uow:
            await all_in()
            won = await uow.sessions.rotate(session.id, replaced_by=new_id(), at=LATER)
            await uow.commit()
            return won

    assert sorted(await backend.race(rotate)) == [False] * (RACERS - 1) + [True]


async def test_revoking_a_session_works_once(backend: Backend) -> None:
    session = a_session(await _user(backend))
    async with backend.identity_uow() as uow:
        await uow.sessions.add(session)
        assert await uow.sessions.revoke(session.id, at=LATER) is True
        assert await uow.sessions.revoke(session.id, at=LATER + timedelta(minutes=1)) is False
        assert await uow.sessions.revoke(new_id(), at=LATER) is False
        await uow.commit()

    async with backend.identity_uow() as uow:
        stored = await uow.sessions.get_by_token_hash(session.token_hash)
    assert stored == dataclasses.replace(session, revoked_at=LATER)


async def test_revoking_a_family_revokes_its_live_sessions_only(backend: Backend) -> None:
    user = await _user(backend)
    family = new_id()
    already_revoked = dataclasses.replace(a_session(user, family_id=family), revoked_at=NOW)
    live = [a_session(user, family_id=family) for _ in range(2)]
    other_family = a_session(user)
    async with backend.identity_uow() as uow:
        for session in [already_revoked, *live, other_family]:
            await uow.sessions.add(session)
        assert await uow.sessions.revoke_family(family, at=LATER) == 2
        await uow.commit()

    async with backend.identity_uow() as uow:
        revoked_at = {s.id: s.revoked_at for s in await uow.sessions.list_for_user(user.id)}
    assert revoked_at == {
        already_revoked.id: NOW,
        live[0].id: LATER,
        live[1].id: LATER,
        other_family.id: None,
    }


async def test_revoking_all_sessions_of_a_user_leaves_other_users_alone(backend: Backend) -> None:
    anna, boris = a_user(), a_user()
    await backend.add_users(anna, boris)
    annas = [a_session(anna), a_session(anna)]
    boris_session = a_session(boris)
    async with backend.identity_uow() as uow:
        for session in [*annas, boris_session]:
            await uow.sessions.add(session)
        ended = await uow.sessions.revoke_all_for_user(anna.id, at=LATER)
        assert sorted(ended) == sorted(s.family_id for s in annas)
        assert await uow.sessions.revoke_all_for_user(anna.id, at=LATER) == []
        await uow.commit()

    async with backend.identity_uow() as uow:
        assert all(s.revoked_at == LATER for s in await uow.sessions.list_for_user(anna.id))
        assert await uow.sessions.list_for_user(boris.id) == [boris_session]


async def test_the_sessions_of_a_user_are_listed_oldest_first(backend: Backend) -> None:
    user = await _user(backend)
    sessions = [a_session(user, created_at=NOW + timedelta(minutes=m)) for m in (3, 1, 2)]
    async with backend.identity_uow() as uow:
        for session in sessions:
            await uow.sessions.add(session)
        await uow.commit()

    async with backend.identity_uow() as uow:
        listed = await uow.sessions.list_for_user(user.id)
    assert listed == sorted(sessions, key=lambda s: s.created_at)


async def test_the_latest_open_recovery_request_is_the_newest_unexpired_unused_one(backend: Backend) -> None:
    user = await _user(backend)
    older = a_recovery_request(user, created_at=NOW)
    newest = a_recovery_request(user, created_at=NOW + timedelta(minutes=2))
    expired = a_recovery_request(user, created_at=NOW + timedelta(minutes=3), ttl=timedelta(seconds=30))
    verified = dataclasses.replace(
        a_recovery_request(user, created_at=NOW + timedelta(minutes=4)), verified_at=NOW
    )
    used = dataclasses.replace(a_recovery_request(user, created_at=NOW + timedelta(minutes=5)), used_at=NOW)
    async with backend.identity_uow() as uow:
        for request in (older, newest, expired, verified, used):
            await uow.recovery.add(request)
        await uow.commit()

    async with backend.identity_uow() as uow:
        assert await uow.recovery.latest_open_for_user(user.id, now=LATER) == newest
        assert await uow.recovery.latest_open_for_user(user.id, now=NOW + timedelta(hours=1)) is None
        assert await uow.recovery.latest_open_for_user(a_user().id, now=LATER) is None


async def test_wrong_codes_are_counted_up_to_the_maximum(backend: Backend) -> None:
    request = a_recovery_request(await _user(backend))
    async with backend.identity_uow() as uow:
        await uow.recovery.add(request)
        counts = [await uow.recovery.count_attempt(request.id, max_attempts=3) for _ in range(4)]
        assert await uow.recovery.count_attempt(new_id(), max_attempts=3) is None
        await uow.commit()

    assert counts == [1, 2, 3, None]
    async with backend.identity_uow() as uow:
        assert await uow.recovery.latest_open_for_user(request.user_id, now=NOW) == dataclasses.replace(
            request, attempts=3
        )


async def test_concurrent_wrong_codes_never_exceed_the_maximum(backend: Backend) -> None:
    request = a_recovery_request(await _user(backend))
    async with backend.identity_uow() as uow:
        await uow.recovery.add(request)
        await uow.commit()

    async def try_code(all_in: AllIn) -> int | None:
        async with backend.identity_uow() as uow:
            await all_in()
            count = await uow.recovery.count_attempt(request.id, max_attempts=5)
            await uow.commit()
            return count

    counts = await backend.race(try_code)
    assert sorted(c for c in counts if c is not None) == [1, 2, 3, 4, 5]
    assert counts.count(None) == RACERS - 5


async def test_a_recovery_code_is_verified_once_and_its_reset_token_used_once(backend: Backend) -> None:
    request = a_recovery_request(await _user(backend))
    reset_expires_at = LATER + timedelta(minutes=15)
    async with backend.identity_uow() as uow:
        await uow.recovery.add(request)
        assert await uow.recovery.mark_verified(
            request.id, at=LATER, reset_token_hash="r" * 64, reset_expires_at=reset_expires_at
        )
        assert not await uow.recovery.mark_verified(
            request.id, at=LATER, reset_token_hash="s" * 64, reset_expires_at=reset_expires_at
        )
        await uow.commit()

    verified = dataclasses.replace(
        request, verified_at=LATER, reset_token_hash="r" * 64, reset_expires_at=reset_expires_at
    )
    async with backend.identity_uow() as uow:
        assert await uow.recovery.get_by_reset_token_hash("r" * 64) == verified
        assert await uow.recovery.get_by_reset_token_hash("s" * 64) is None
        assert await uow.recovery.mark_used(request.id, at=LATER) is True
        assert await uow.recovery.mark_used(request.id, at=LATER) is False
        await uow.commit()

    async with backend.identity_uow() as uow:
        assert await uow.recovery.get_by_reset_token_hash("r" * 64) == dataclasses.replace(
            verified, used_at=LATER
        )


async def test_a_used_recovery_request_cannot_be_verified(backend: Backend) -> None:
    request = dataclasses.replace(a_recovery_request(await _user(backend)), used_at=NOW)
    async with backend.identity_uow() as uow:
        await uow.recovery.add(request)
        assert not await uow.recovery.mark_verified(
            request.id, at=LATER, reset_token_hash="r" * 64, reset_expires_at=LATER
        )


async def test_closing_the_requests_of_a_user_marks_the_unused_ones_used(backend: Backend) -> None:
    anna, boris = a_user(), a_user()
    await backend.add_users(anna, boris)
    open_request = a_recovery_request(anna)
    used_earlier = dataclasses.replace(a_recovery_request(anna), used_at=NOW)
    boris_request = a_recovery_request(boris)
    async with backend.identity_uow() as uow:
        for request in (open_request, used_earlier, boris_request):
            await uow.recovery.add(request)
        await uow.recovery.close_all_for_user(anna.id, at=LATER)
        assert not await uow.recovery.mark_used(open_request.id, at=LATER)
        assert not await uow.recovery.mark_used(used_earlier.id, at=LATER)
        await uow.commit()

    async with backend.identity_uow() as uow:
        assert await uow.recovery.latest_open_for_user(anna.id, now=NOW) is None
        assert await uow.recovery.latest_open_for_user(boris.id, now=NOW) == boris_request


async def test_a_link_code_is_consumed_once(backend: Backend) -> None:
    user = await _user(backend)
    code = a_link_code(user)
    async with backend.identity_uow() as uow:
        await uow.link_codes.add(code)
        assert await uow.link_codes.consume(code.code_hash, at=LATER) == user.id
        assert await uow.link_codes.consume(code.code_hash, at=LATER) is None
        await uow.commit()


async def test_an_expired_or_unknown_link_code_is_not_consumed(backend: Backend) -> None:
    code = a_link_code(await _user(backend), ttl=timedelta(minutes=5))
    async with backend.identity_uow() as uow:
        await uow.link_codes.add(code)
        assert await uow.link_codes.consume(code.code_hash, at=code.expires_at) is None
        assert await uow.link_codes.consume("unknown", at=NOW) is None
        assert (
            await uow.link_codes.consume(code.code_hash, at=code.expires_at - timedelta(seconds=1))
            == code.user_id
        )


async def test_concurrent_uses_of_one_link_code_have_exactly_one_winner(backend: Backend) -> None:
    code = a_link_code(await _user(backend))
    async with backend.identity_uow() as uow:
        await uow.link_codes.add(code)
        await uow.commit()

    async def consume(all_in: AllIn) -> bool:
        async with backend.identity_uow() as uow:
            await all_in()
            owner = await uow.link_codes.consume(code.code_hash, at=LATER)
            await uow.commit()
            return owner == code.user_id

    assert sorted(await backend.race(consume)) == [False] * (RACERS - 1) + [True]


async def test_purging_deletes_only_what_expired_before_the_cutoff(backend: Backend) -> None:
    user = await _user(backend)
    cutoff = NOW + timedelta(days=1)
    old_session, new_session = a_session(user, created_at=NOW - timedelta(days=31)), a_session(user)
    old_request, new_request = a_recovery_request(user), a_recovery_request(user, created_at=cutoff)
    # A verified request lives as long as its reset token.
    reset_pending = dataclasses.replace(
        a_recovery_request(user), reset_token_hash="r" * 64, reset_expires_at=cutoff + timedelta(minutes=1)
    )
    old_code, new_code = a_link_code(user), a_link_code(user, created_at=cutoff)
    async with backend.identity_uow() as uow:
        for session in (old_session, new_session):
            await uow.sessions.add(session)
        for request in (old_request, new_request, reset_pending):
            await uow.recovery.add(request)
        for code in (old_code, new_code):
            await uow.link_codes.add(code)
        await uow.commit()

    async with backend.identity_uow() as uow:
        purged = (
            await uow.sessions.purge_expired(before=cutoff),
            await uow.recovery.purge_expired(before=cutoff),
            await uow.link_codes.purge_expired(before=cutoff),
        )
        await uow.commit()

    assert purged == (1, 1, 1)
    async with backend.identity_uow() as uow:
        assert await uow.sessions.list_for_user(user.id) == [new_session]
        assert await uow.recovery.get_by_reset_token_hash("r" * 64) == reset_pending
        assert await uow.recovery.latest_open_for_user(user.id, now=cutoff) == new_request
        assert await uow.link_codes.consume(old_code.code_hash, at=NOW) is None
        assert await uow.link_codes.consume(new_code.code_hash, at=cutoff) == user.id


async def test_codes_of_each_purpose_are_kept_apart_and_remember_their_address(backend: Backend) -> None:
    user = await _user(backend)
    recovery = a_recovery_request(user)
    verification = dataclasses.replace(
        a_recovery_request(user, created_at=NOW + timedelta(seconds=1)),
        purpose=CodePurpose.EMAIL_VERIFICATION,
        email="anna@example.com",
    )
    async with backend.identity_uow() as uow:
        await uow.recovery.add(recovery)
        await uow.recovery.add(verification)
        await uow.commit()

    async with backend.identity_uow() as uow:
        assert await uow.recovery.latest_open_for_user(user.id, now=LATER) == recovery
        assert (
            await uow.recovery.latest_open_for_user(
                user.id, now=LATER, purpose=CodePurpose.EMAIL_VERIFICATION
            )
            == verification
        )
        await uow.recovery.close_all_for_user(user.id, at=LATER, purpose=CodePurpose.EMAIL_VERIFICATION)
        await uow.commit()

    async with backend.identity_uow() as uow:
        assert await uow.recovery.latest_open_for_user(user.id, now=LATER) == recovery
        assert (
            await uow.recovery.latest_open_for_user(
                user.id, now=LATER, purpose=CodePurpose.EMAIL_VERIFICATION
            )
            is None
        )
        await uow.recovery.close_all_for_user(user.id, at=LATER)
        await uow.commit()

    async with backend.identity_uow() as uow:
        assert await uow.recovery.latest_open_for_user(user.id, now=LATER) is None


async def test_a_verification_code_is_consumed_once_without_a_reset_token(backend: Backend) -> None:
    user = await _user(backend)
    code = dataclasses.replace(
        a_recovery_request(user), purpose=CodePurpose.EMAIL_VERIFICATION, email="a@b.example"
    )
    async with backend.identity_uow() as uow:
        await uow.recovery.add(code)
        assert await uow.recovery.mark_verified(code.id, at=LATER) is True
        assert await uow.recovery.mark_verified(code.id, at=LATER) is False
        await uow.commit()

    async with backend.identity_uow() as uow:
        assert (
            await uow.recovery.latest_open_for_user(
                user.id, now=LATER, purpose=CodePurpose.EMAIL_VERIFICATION
            )
            is None
        )
