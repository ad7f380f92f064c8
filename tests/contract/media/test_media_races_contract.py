"""Real races on the SQL backends: many completions of one upload, many deletions of one
file, several workers purging at once, variants made while their picture is deleted. Each
ends with the outbox counted by SQL: every file is processed exactly once. On PostgreSQL
the transactions truly collide; on SQLite they take turns. Figures are printed (run with ``-s``)."""

from __future__ import annotations

import asyncio
import itertools
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from aquastream.adapters.memory.clock import FrozenClock
from aquastream.adapters.sql.tables.media import files, image_variants, outbox
from aquastream.adapters.storage.images import PillowImages
from aquastream.adapters.storage.local import LinkSigner, LocalObjectStorage
from aquastream.adapters.storage.sniffing import FiletypeSniffer
from aquastream.domain.media.errors import MediaNotFound
from aquastream.domain.media.events import MediaUploaded
from aquastream.domain.media.files import DeleteFile, deleted
from aquastream.domain.media.model import DeletionReason, FileStatus, MediaFile, MediaPolicy, OwnerType
from aquastream.domain.media.retention import PurgeDueFiles, RemoveStoredObject
from aquastream.domain.media.uploads import CompleteUpload, StartUpload, UploadFile
from aquastream.domain.media.variants import MakeImageVariants
from aquastream.domain.shared.principal import Principal, Role
from aquastream.ports.media import MediaUnitOfWork
from tests.contract.conftest import RACERS, Backend
from tests.contract.factories import NOW
from tests.unit.media.samples import PDF, PNG, picture

from .conftest import SIGNING_SECRET
from .kit import sql_kit


class Racing:
    def __init__(self, backend: Backend, root: Path) -> None:
        assert backend.engine is not None
        self.backend = backend
        self.engine = backend.engine
        self.kit = sql_kit(backend.name, backend.engine)
        self.storage = LocalObjectStorage(root, LinkSigner(SIGNING_SECRET))
        self.clock = FrozenClock(NOW)
        self.policy = MediaPolicy(purge_batch_size=7)

    def uow(self) -> MediaUnitOfWork:
        return self.kit.new_uow()

    def checking(
        self,
    ) -> tuple[MediaUnitOfWork, LocalObjectStorage, FiletypeSniffer, PillowImages, FrozenClock, MediaPolicy]:
        """What an upload use case is made of: a fresh unit of work each time."""
        return (self.uow(), self.storage, FiletypeSniffer(), PillowImages(), self.clock, self.policy)

    async def count(self, query: Any) -> int:
        async with self.engine.connect() as connection:
            return int((await connection.execute(query)).scalar_one())

    async def events(self, name: str) -> int:
        return await self.count(select(func.count()).select_from(outbox).where(outbox.c.event_name == name))

    async def rows(self) -> int:
        return await self.count(select(func.count()).select_from(files))


def report(backend: Backend, scenario: str, **figures: Any) -> None:
    shown = ", ".join(f"{name}={value}" for name, value in figures.items())
    print(f"\n[race {backend.name}] {scenario}: {shown}")


async def test_racing_completions_of_one_upload_make_it_ready_once(
    sql_backend: Backend, tmp_path: Path
) -> None:
    racing = Racing(sql_backend, tmp_path)
    user = Principal(await racing.kit.a_user(), Role.USER)
    pending = await StartUpload(racing.uow(), racing.storage, racing.clock, racing.policy)(
        user, OwnerType.AVATAR, user.user_id
    )
    await racing.storage.put(pending.file.storage_key, PNG, content_type="image/png")

    async def complete() -> MediaFile:
        use_case = CompleteUpload(*racing.checking())
        return await use_case(user, pending.file.id)

    started = time.perf_counter()
    results = await sql_backend.all_at_once(complete)
    elapsed = time.perf_counter() - started

    uploaded_events = await racing.events("MediaUploaded")
    report(
        sql_backend,
        f"{RACERS} completions of one upload",
        ready_answers=sum(r.status is FileStatus.READY for r in results),
        uploaded_events=uploaded_events,
        seconds=f"{elapsed:.2f}",
    )
    assert all(r.status is FileStatus.READY and r.content_type == "image/png" for r in results)
    assert uploaded_events == 1


async def test_racing_deletions_of_one_file_delete_it_once(sql_backend: Backend, tmp_path: Path) -> None:
    racing = Racing(sql_backend, tmp_path)
    user = Principal(await racing.kit.a_user(), Role.USER)
    file = await UploadFile(*racing.checking())(user, OwnerType.AVATAR, user.user_id, PNG)

    async def delete() -> str:
        try:
            await DeleteFile(racing.uow(), racing.clock)(user, file.id)
        except MediaNotFound:
            return "not found"
        return "deleted"

    outcomes = await sql_backend.all_at_once(delete)

    deleted_events = await racing.events("MediaDeleted")
    report(
        sql_backend,
        f"{RACERS} deletions of one file",
        deleted=outcomes.count("deleted"),
        not_found=outcomes.count("not found"),
        deleted_events=deleted_events,
    )
    assert outcomes.count("deleted") == 1
    assert deleted_events == 1
    assert await racing.rows() == 0


async def test_workers_purging_at_once_delete_each_due_file_once(
    sql_backend: Backend, tmp_path: Path
) -> None:
    racing = Racing(sql_backend, tmp_path)
    payer, organizer_owner = await racing.kit.a_user(), await racing.kit.a_user()
    organizer = await racing.kit.an_organizer(organizer_owner)
    event = await racing.kit.an_event(organizer, organizer_owner)
    booking = await racing.kit.a_booking(event, payer, organizer_owner)
    upload = UploadFile(*racing.checking())
    proofs = 60
    for _ in range(proofs):
        await upload(Principal(payer, Role.USER), OwnerType.PAYMENT_PROOF, booking, PDF)
    racing.clock.advance(timedelta(days=90))

    async def worker() -> int:
        total = 0
        while done := await PurgeDueFiles(racing.uow(), racing.clock, racing.policy)():
            total += done
        return total

    workers = 6
    started = time.perf_counter()
    async with asyncio.timeout(60):
        purged = await asyncio.gather(*(worker() for _ in range(workers)))
    elapsed = time.perf_counter() - started

    deleted_events = await racing.events("MediaDeleted")
    report(
        sql_backend,
        f"{workers} workers purge {proofs} expired proofs",
        purged_per_worker=purged,
        deleted_events=deleted_events,
        rows_left=await racing.rows(),
        seconds=f"{elapsed:.2f}",
    )
    assert sum(purged) == proofs
    assert deleted_events == proofs
    assert await racing.rows() == 0


async def test_variants_made_while_their_picture_is_deleted_leave_no_row_and_no_object(
    sql_backend: Backend, tmp_path: Path
) -> None:
    racing = Racing(sql_backend, tmp_path)
    user = Principal(await racing.kit.a_user(), Role.USER)
    file = await UploadFile(*racing.checking())(
        user, OwnerType.AVATAR, user.user_id, picture("PNG", (800, 600))
    )
    uploaded = MediaUploaded(
        occurred_at=NOW,
        file_id=file.id,
        owner_type=file.owner_type,
        owner_id=file.owner_id,
        uploaded_by=user.user_id,
        content_type="image/png",
    )
    turns = itertools.count()

    async def make_variants() -> int:
        make = MakeImageVariants(racing.uow(), racing.storage, PillowImages(), racing.policy)
        return await make(uploaded)

    async def make_or_delete() -> str:
        """Half the racers make the variants (redelivered facts), half delete the file and,
        at once, remove its objects (as the worker does on ``MediaDeleted``)."""
        turn = next(turns)
        if turn % 2:
            try:
                return f"made {await make_variants()}"
            except OSError:  # its folder removed while it wrote there: the spine delivers again
                return f"made {await make_variants()} on redelivery"
        await asyncio.sleep(0.1 + turn * 0.005)  # deletions spread over the makers' work
        try:
            await DeleteFile(racing.uow(), racing.clock)(user, file.id)
        except MediaNotFound:
            return "not found"
        await RemoveStoredObject(racing.storage)(deleted(file, DeletionReason.BY_OWNER, at=NOW))
        return "deleted"

    outcomes = await sql_backend.all_at_once(make_or_delete)

    report(sql_backend, f"{RACERS} variant makers and deleters of one picture", outcomes=sorted(outcomes))
    assert outcomes.count("deleted") == 1
    assert await racing.rows() == 0
    assert await racing.count(select(func.count()).select_from(image_variants)) == 0
    stored = tmp_path / "avatar"
    assert await asyncio.to_thread(lambda: [p for p in stored.rglob("*") if p.is_file()]) == []
