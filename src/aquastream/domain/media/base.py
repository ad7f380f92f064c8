"""What most media use cases are built from: the unit of work, the object storage, the
clock and the policy (and, for those that check bytes, the format sniffer and the image
reader)."""

from __future__ import annotations

from aquastream.domain.media.model import MediaPolicy
from aquastream.ports.clock import Clock
from aquastream.ports.media import FormatSniffer, ImageProcessor, MediaUnitOfWork, ObjectStorage


class StorageUseCase:
    def __init__(
        self, uow: MediaUnitOfWork, storage: ObjectStorage, clock: Clock, policy: MediaPolicy
    ) -> None:
        self._uow = uow
        self._storage = storage
        self._clock = clock
        self._policy = policy


class CheckingUseCase(StorageUseCase):
    def __init__(
        self,
        uow: MediaUnitOfWork,
        storage: ObjectStorage,
        sniffer: FormatSniffer,
        images: ImageProcessor,
        clock: Clock,
        policy: MediaPolicy,
    ) -> None:
        super().__init__(uow, storage, clock, policy)
        self._sniffer = sniffer
        self._images = images
