"""Providers of the media domain: its unit of work, storage, format sniffing and image
reader, its use cases, the variants made after each upload (``MediaUploaded``), the
retention job, the removal of deleted files' objects, the avatars of deleted accounts
(identity's ``UserDeleted``), the avatar links it serves to ``/users/me``, the variants of
the pictures the catalog's pages show, and the back-fill of missing variants.

The local storage is the default; ``S3MediaProvider`` replaces it (and adds a readiness
check of the bucket) when ``media_storage`` is ``s3``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

from dishka import AsyncContainer, Provider, Scope, provide, provide_all

from aquastream.adapters.http.health import ReadinessCheck
from aquastream.adapters.sql.engine import DomainEngines
from aquastream.adapters.sql.media import SqlMediaUnitOfWork
from aquastream.adapters.sql.media.proofs import MediaProofFiles
from aquastream.adapters.storage.local import LinkSigner, LocalObjectStorage
from aquastream.adapters.storage.s3 import S3Check, S3ObjectStorage, open_s3_client
from aquastream.domain.identity.events import UserDeleted
from aquastream.domain.media.events import MediaDeleted, MediaUploaded
from aquastream.domain.media.files import DeleteFile, GetFileLink
from aquastream.domain.media.model import MediaPolicy
from aquastream.domain.media.owners import OwnersOfTheirDomains
from aquastream.domain.media.privacy import ExportMyMediaData
from aquastream.domain.media.retention import DeleteAvatarsOfDeletedUser, PurgeDueFiles, RemoveStoredObject
from aquastream.domain.media.served import ServedAvatarLinks, ServedPictureVariants
from aquastream.domain.media.uploads import CompleteUpload, StartUpload, UploadFile
from aquastream.domain.media.variants import MakeImageVariants, MakeMissingVariants
from aquastream.domain.shared.privacy import PersonalDataSection
from aquastream.domain.shared.scheduling import PeriodicJob
from aquastream.ioc.subscriptions import Reactions, on
from aquastream.ioc.worker import use_case_job
from aquastream.ports.media import (
    AvatarOwners,
    CatalogOwners,
    FormatSniffer,
    ImageProcessor,
    MediaUnitOfWork,
    ObjectStorage,
    OwnerDirectory,
    ProofOwners,
)
from aquastream.ports.payments import ProofFiles
from aquastream.ports.pictures import AvatarLinks, PictureVariants
from aquastream.settings import Settings

PURGE_FILES_JOB = "media.purge_due_files"
# Retention is counted in days: an hourly sweep is exact enough and costs nothing.
PURGE_FILES_INTERVAL = timedelta(hours=1)
# Batches per tick, as booking's sweeps: a backlog is worked off over a few ticks.
MAX_BATCHES_PER_TICK = 10


async def purge_until_done(purge: PurgeDueFiles, batch_size: int) -> int:
    total = 0
    for _ in range(MAX_BATCHES_PER_TICK):
        done = await purge()
        total += done
        if done < batch_size:
            break
    return total


REACTIONS = Reactions(
    "media",
    on(MediaUploaded, MakeImageVariants).call(lambda make, e: make(e)),
    on(MediaDeleted, RemoveStoredObject).call(lambda remove, e: remove(e)),
    on(UserDeleted, DeleteAvatarsOfDeletedUser).call(lambda delete, e: delete(e.user_id)),
)


class MediaQueriesProvider(Provider):
    """The questions other domains ask media, answered on media's own connections."""

    @provide(scope=Scope.APP)
    def proof_files(self, engines: DomainEngines) -> ProofFiles:
        """Payments' question: an uploaded receipt, as media describes it."""
        return MediaProofFiles(engines.of("media"))


class MediaProvider(Provider):
    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def reactions(self) -> Reactions:
        return REACTIONS

    @provide(scope=Scope.APP)
    def policy(self, settings: Settings) -> MediaPolicy:
        return MediaPolicy(
            max_bytes=settings.media_max_bytes,
            link_ttl=timedelta(seconds=settings.media_link_ttl_seconds),
            variant_sizes=tuple(settings.media_variant_sizes),
            max_image_pixels=settings.media_max_image_pixels,
        )

    # filetype and Pillow are imported when a file is first handled (2.6 MB a server that
    # handles none keeps).
    @provide(scope=Scope.APP)
    def sniffer(self) -> FormatSniffer:
        from aquastream.adapters.storage.sniffing import FiletypeSniffer

        return FiletypeSniffer()

    @provide(scope=Scope.APP)
    def images(self) -> ImageProcessor:
        from aquastream.adapters.storage.images import PillowImages

        return PillowImages()

    avatar_links = provide(ServedAvatarLinks, provides=AvatarLinks)
    picture_variants = provide(ServedPictureVariants, provides=PictureVariants)

    @provide(scope=Scope.APP)
    def link_signer(self, settings: Settings) -> LinkSigner:
        return LinkSigner(settings.secret)

    @provide(scope=Scope.APP)
    def storage(self, settings: Settings, signer: LinkSigner) -> ObjectStorage:
        return LocalObjectStorage(settings.media_path, signer, base_url=settings.public_url)

    @provide(scope=Scope.APP)
    def owners(self, avatars: AvatarOwners, catalog: CatalogOwners, proofs: ProofOwners) -> OwnerDirectory:
        """Each owner type answered by its owner's domain, on that domain's connections."""
        return OwnersOfTheirDomains(avatars, catalog, proofs)

    @provide
    def uow(self, engines: DomainEngines, owners: OwnerDirectory) -> MediaUnitOfWork:
        return SqlMediaUnitOfWork(engines.of("media"), owners)

    use_cases = provide_all(
        ExportMyMediaData,
        UploadFile,
        StartUpload,
        CompleteUpload,
        GetFileLink,
        DeleteFile,
        PurgeDueFiles,
        DeleteAvatarsOfDeletedUser,
        RemoveStoredObject,
        MakeImageVariants,
        MakeMissingVariants,
    )

    @provide(provides=PersonalDataSection)
    def media_section(self, export: ExportMyMediaData) -> PersonalDataSection:
        return PersonalDataSection("media", export)

    @provide(scope=Scope.APP, provides=PeriodicJob)
    def purge_files_job(self, container: AsyncContainer, policy: MediaPolicy) -> PeriodicJob:
        return use_case_job(
            container,
            PURGE_FILES_JOB,
            PURGE_FILES_INTERVAL,
            PurgeDueFiles,
            lambda purge: purge_until_done(purge, policy.purge_batch_size),
        )


class S3MediaProvider(Provider):
    """The S3-compatible storage, one client for the process's lifetime."""

    scope = Scope.APP

    @provide
    async def s3_storage(self, settings: Settings) -> AsyncIterator[S3ObjectStorage]:
        assert settings.s3_bucket is not None
        async with open_s3_client(
            endpoint_url=settings.s3_endpoint_url,
            region=settings.s3_region,
            access_key_id=settings.s3_access_key_id,
            secret_access_key=settings.s3_secret_access_key,
        ) as client:
            yield S3ObjectStorage(client, settings.s3_bucket)

    @provide
    def storage(self, storage: S3ObjectStorage) -> ObjectStorage:
        return storage

    @provide(provides=ReadinessCheck)
    def bucket_check(self, storage: S3ObjectStorage) -> S3Check:
        return S3Check(storage)
