"""``FileRepository`` and ``OwnerDirectory`` on memory, SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime, timedelta

from aquastream.domain.media.model import FileStatus, MediaFile, OwnerType, storage_key_for
from aquastream.domain.shared.ids import new_id
from aquastream.ports.media import OwnerFacts
from tests.contract.factories import NOW

from .kit import MediaKit


def a_file(
    owner_type: OwnerType = OwnerType.AVATAR,
    *,
    status: FileStatus = FileStatus.PENDING,
    created_at: datetime = NOW,
    delete_after: datetime | None = None,
) -> MediaFile:
    file_id, owner_id = new_id(), new_id()
    return MediaFile(
        id=file_id,
        owner_type=owner_type,
        owner_id=owner_id,
        uploaded_by=owner_id,
        status=status,
        storage_key=storage_key_for(owner_type, owner_id, file_id),
        created_at=created_at,
        original_name="Фото.png",
        content_type="image/png" if status is FileStatus.READY else None,
        size_bytes=10 if status is FileStatus.READY else None,
        completed_at=created_at if status is FileStatus.READY else None,
        delete_after=delete_after,
    )


async def add(kit: MediaKit, *files: MediaFile) -> None:
    async with kit.new_uow() as uow:
        for file in files:
            await uow.files.add(file)
        await uow.commit()


async def test_a_file_reads_back_as_written(kit: MediaKit) -> None:
    file = a_file(OwnerType.PAYMENT_PROOF, status=FileStatus.READY, delete_after=NOW + timedelta(days=90))
    await add(kit, file)
    async with kit.new_uow() as uow:
        assert await uow.files.get(file.id) == file
        assert await uow.files.get(uuid.uuid4()) is None


async def test_an_uncommitted_file_is_rolled_back(kit: MediaKit) -> None:
    file = a_file()
    async with kit.new_uow() as uow:
        await uow.files.add(file)
    async with kit.new_uow() as uow:
        assert await uow.files.get(file.id) is None


async def test_mark_ready_moves_a_pending_file_once(kit: MediaKit) -> None:
    file = a_file(OwnerType.PAYMENT_PROOF)
    await add(kit, file)
    later = NOW + timedelta(minutes=3)
    async with kit.new_uow() as uow:
        ready = await uow.files.mark_ready(
            file.id, content_type="application/pdf", size_bytes=1234, completed_at=later, delete_after=later
        )
        again = await uow.files.mark_ready(
            file.id, content_type="image/png", size_bytes=1, completed_at=later, delete_after=None
        )
        missing = await uow.files.mark_ready(
            uuid.uuid4(), content_type="image/png", size_bytes=1, completed_at=later, delete_after=None
        )
        await uow.commit()
    assert ready is not None
    assert (ready.status, ready.content_type, ready.size_bytes) == (FileStatus.READY, "application/pdf", 1234)
    assert (ready.completed_at, ready.delete_after) == (later, later)
    assert again is None
    assert missing is None
    async with kit.new_uow() as uow:
        assert await uow.files.get(file.id) == ready


async def test_remove_answers_the_removed_file_once(kit: MediaKit) -> None:
    file = a_file()
    await add(kit, file)
    async with kit.new_uow() as uow:
        assert await uow.files.remove(file.id) == file
        assert await uow.files.remove(file.id) is None
        await uow.commit()
    async with kit.new_uow() as uow:
        assert await uow.files.get(file.id) is None


async def test_remove_owned_deletes_every_file_of_one_owner(kit: MediaKit) -> None:
    mine = a_file(status=FileStatus.READY)
    pending = a_file()
    pending.owner_id = mine.owner_id
    someone_elses = a_file()
    same_id_other_type = a_file(OwnerType.EVENT_IMAGE)
    same_id_other_type.owner_id = mine.owner_id
    await add(kit, mine, pending, someone_elses, same_id_other_type)
    async with kit.new_uow() as uow:
        removed = await uow.files.remove_owned(OwnerType.AVATAR, mine.owner_id)
        await uow.commit()
    assert sorted(f.id for f in removed) == sorted([mine.id, pending.id])
    async with kit.new_uow() as uow:
        assert await uow.files.get(someone_elses.id) == someone_elses
        assert await uow.files.get(same_id_other_type.id) == same_id_other_type
        assert await uow.files.remove_owned(OwnerType.AVATAR, mine.owner_id) == []


async def test_claim_due_finds_expired_and_abandoned_files_oldest_first(kit: MediaKit) -> None:
    day = timedelta(days=1)
    old_proof = a_file(
        OwnerType.PAYMENT_PROOF, status=FileStatus.READY, created_at=NOW - 91 * day, delete_after=NOW - day
    )
    proof_due_now = a_file(
        OwnerType.PAYMENT_PROOF, status=FileStatus.READY, created_at=NOW - 90 * day, delete_after=NOW
    )
    young_proof = a_file(
        OwnerType.PAYMENT_PROOF, status=FileStatus.READY, created_at=NOW - day, delete_after=NOW + 89 * day
    )
    abandoned = a_file(created_at=NOW - 2 * day)
    fresh_pending = a_file(created_at=NOW - timedelta(hours=1))
    kept = a_file(OwnerType.EVENT_IMAGE, status=FileStatus.READY, created_at=NOW - 999 * day)
    await add(kit, old_proof, proof_due_now, young_proof, abandoned, fresh_pending, kept)

    async with kit.new_uow() as uow:
        due = await uow.files.claim_due(now=NOW, abandoned_before=NOW - day, limit=10)
        first_two = await uow.files.claim_due(now=NOW, abandoned_before=NOW - day, limit=2)

    assert [f.id for f in due] == [old_proof.id, proof_due_now.id, abandoned.id]
    assert [f.id for f in first_two] == [old_proof.id, proof_due_now.id]


async def test_owner_facts_come_from_the_other_domains_tables(kit: MediaKit) -> None:
    olga, paul, rita = await kit.a_user(), await kit.a_user(), await kit.a_user()
    gone = await kit.a_user(deleted=True)
    organizer = await kit.an_organizer(olga)
    member = await kit.a_team_member(organizer, olga)
    event = await kit.an_event(organizer, olga)
    pending = await kit.a_booking(event, paul, olga)
    paid = await kit.a_booking(event, rita, olga, status="CONFIRMED")

    async with kit.new_uow() as uow:
        owners = uow.owners
        assert await owners.facts(OwnerType.AVATAR, paul) == OwnerFacts(user_id=paul)
        assert await owners.facts(OwnerType.AVATAR, gone) is None
        organizer_facts = OwnerFacts(organizer_owner_id=olga)
        assert await owners.facts(OwnerType.ORGANIZER_LOGO, organizer) == organizer_facts
        assert await owners.facts(OwnerType.TEAM_PHOTO, member) == organizer_facts
        assert await owners.facts(OwnerType.EVENT_IMAGE, event) == organizer_facts
        assert await owners.facts(OwnerType.PAYMENT_PROOF, pending) == OwnerFacts(
            user_id=paul, organizer_owner_id=olga, booking_pending=True
        )
        assert await owners.facts(OwnerType.PAYMENT_PROOF, paid) == OwnerFacts(
            user_id=rita, organizer_owner_id=olga, booking_pending=False
        )
        for owner_type in OwnerType:
            assert await owners.facts(owner_type, uuid.uuid4()) is None
        # An id of another kind of owner is no owner of this kind.
        assert await owners.facts(OwnerType.EVENT_IMAGE, organizer) is None


async def test_a_users_files_are_those_they_uploaded_and_their_avatar_oldest_first(kit: MediaKit) -> None:
    me, admin = new_id(), new_id()
    avatar = replace(a_file(created_at=NOW), owner_id=me, uploaded_by=admin)
    proof = replace(
        a_file(OwnerType.PAYMENT_PROOF, status=FileStatus.READY, created_at=NOW - timedelta(hours=1)),
        uploaded_by=me,
    )
    logo = replace(a_file(OwnerType.ORGANIZER_LOGO), owner_id=me, uploaded_by=admin)
    await add(kit, avatar, proof, logo, a_file())

    async with kit.new_uow() as uow:
        assert await uow.files.list_for_user(me) == [proof, avatar]
        assert await uow.files.list_for_user(new_id()) == []


async def test_forgetting_names_clears_only_the_users_uploads(kit: MediaKit) -> None:
    me = new_id()
    proof = replace(a_file(OwnerType.PAYMENT_PROOF, status=FileStatus.READY), uploaded_by=me)
    unnamed = replace(a_file(OwnerType.TEAM_PHOTO), uploaded_by=me, original_name=None)
    someone_elses = a_file()
    await add(kit, proof, unnamed, someone_elses)

    async with kit.new_uow() as uow:
        assert await uow.files.forget_names_uploaded_by(me) == 1
        await uow.commit()
    async with kit.new_uow() as uow:
        assert await uow.files.forget_names_uploaded_by(me) == 0
        assert await uow.files.get(proof.id) == replace(proof, original_name=None)
        assert await uow.files.get(someone_elses.id) == someone_elses
