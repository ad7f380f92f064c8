"""Media contract fixtures: the media unit of work on memory, SQLite and PostgreSQL (on the
shared ``backend`` fixture), and the object storages: memory, a local directory and S3
(moto in server mode)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from aquastream.adapters.memory.media import MemoryObjectStorage
from aquastream.adapters.storage.local import LinkSigner, LocalObjectStorage
from aquastream.adapters.storage.s3 import S3ObjectStorage
from aquastream.ports.media import ObjectStorage
from tests.contract.conftest import Backend
from tests.s3_server import new_bucket, s3_bucket, s3_client, s3_endpoint

from .kit import MediaKit, memory_kit, sql_kit

__all__ = ["kit", "s3_bucket", "s3_endpoint", "storage"]

SIGNING_SECRET = "media-contract-secret-" + "s" * 40


@pytest.fixture
def kit(backend: Backend) -> MediaKit:
    if backend.memory is not None:
        return memory_kit(backend.memory)
    assert backend.engine is not None
    return sql_kit(backend.name, backend.engine)


@pytest.fixture(params=["memory", "local", "s3"])
async def storage(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[ObjectStorage]:
    if request.param == "memory":
        yield MemoryObjectStorage()
    elif request.param == "local":
        yield LocalObjectStorage(tmp_path / "media", LinkSigner(SIGNING_SECRET), base_url="https://api.test")
    else:
        async with s3_client(request.getfixturevalue("s3_endpoint")) as client:
            yield S3ObjectStorage(client, await new_bucket(client))
