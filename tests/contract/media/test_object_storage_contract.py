"""``ObjectStorage`` on memory, a local directory and S3 (moto in server mode): one suite."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from aquastream.adapters.storage.local import LinkSigner, LocalObjectStorage
from aquastream.adapters.storage.s3 import S3ObjectStorage
from aquastream.domain.media.model import StoredObject
from aquastream.ports.media import ObjectStorage
from tests.contract.factories import NOW
from tests.unit.media.samples import PNG

from .conftest import SIGNING_SECRET

KEY = "avatar/0192e0a0-0000-7000-8000-000000000001/0192e0a0-0000-7000-8000-000000000002"


async def test_an_object_reads_back_as_stored(storage: ObjectStorage) -> None:
    await storage.put(KEY, PNG, content_type="image/png")
    assert await storage.stat(KEY) == StoredObject(len(PNG))
    assert await storage.read_start(KEY, 8) == PNG[:8]
    assert await storage.read_start(KEY, 10_000) == PNG


async def test_a_missing_object_has_no_size_and_no_bytes(storage: ObjectStorage) -> None:
    assert await storage.stat(KEY) is None
    assert await storage.read_start(KEY, 16) == b""


async def test_an_empty_object_has_size_zero(storage: ObjectStorage) -> None:
    await storage.put(KEY, b"", content_type="application/octet-stream")
    assert await storage.stat(KEY) == StoredObject(0)
    assert await storage.read_start(KEY, 16) == b""


async def test_put_replaces_and_delete_is_idempotent(storage: ObjectStorage) -> None:
    await storage.put(KEY, b"first", content_type="text/plain")
    await storage.put(KEY, b"second!", content_type="text/plain")
    assert await storage.stat(KEY) == StoredObject(7)
    await storage.delete(KEY)
    await storage.delete(KEY)
    assert await storage.stat(KEY) is None


async def test_links_expire_when_asked(storage: ObjectStorage) -> None:
    await storage.put(KEY, PNG, content_type="image/png")
    download = await storage.download_link(
        KEY, expires_in=timedelta(minutes=15), now=NOW, content_type="image/png"
    )
    upload = await storage.upload_link(KEY, expires_in=timedelta(minutes=5), now=NOW)
    assert (download.method, download.expires_at) == ("GET", NOW + timedelta(minutes=15))
    assert (upload.method, upload.expires_at) == ("PUT", NOW + timedelta(minutes=5))
    assert download.url != upload.url


# --- what only the real storages do ------------------------------------------------------


async def test_s3_links_work_and_are_signed_with_v4(s3_endpoint: str, s3_bucket: str) -> None:
    from tests.s3_server import s3_client

    async with s3_client(s3_endpoint) as client:
        storage = S3ObjectStorage(client, s3_bucket)
        upload = await storage.upload_link(KEY, expires_in=timedelta(minutes=5), now=NOW)
        assert "X-Amz-Signature=" in upload.url
        assert "X-Amz-Algorithm=AWS4-HMAC-SHA256" in upload.url
        async with httpx.AsyncClient() as http:
            put = await http.put(upload.url, content=PNG)
            assert put.status_code == 200, put.text
            assert await storage.stat(KEY) == StoredObject(len(PNG))
            download = await storage.download_link(
                KEY, expires_in=timedelta(minutes=15), now=NOW, content_type="image/png"
            )
            got = await http.get(download.url)
            assert got.status_code == 200
            assert got.content == PNG
            assert got.headers["content-type"] == "image/png"
        await storage.check_bucket()


def _query(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


async def test_local_links_are_signed_for_their_method_key_expiry_and_type(tmp_path: Path) -> None:
    signer = LinkSigner(SIGNING_SECRET)
    storage = LocalObjectStorage(tmp_path / "media", signer, base_url="https://api.test/")
    download = await storage.download_link(
        KEY, expires_in=timedelta(minutes=15), now=NOW, content_type="image/png"
    )
    assert download.url.startswith(f"https://api.test/api/v1/media/objects/{KEY}?")
    query = _query(download.url)
    expires = int(query["expires"])
    assert expires == int((NOW + timedelta(minutes=15)).timestamp())
    assert signer.verify("GET", KEY, expires, query["signature"], now=NOW, content_type="image/png")
    assert not signer.verify("GET", KEY, expires, query["signature"], now=NOW, content_type="text/html")
    assert not signer.verify("PUT", KEY, expires, query["signature"], now=NOW, content_type="image/png")
    assert not signer.verify("GET", KEY + "x", expires, query["signature"], now=NOW, content_type="image/png")
    assert not signer.verify("GET", KEY, expires + 60, query["signature"], now=NOW, content_type="image/png")
    late = NOW + timedelta(minutes=15, seconds=1)
    assert not signer.verify("GET", KEY, expires, query["signature"], now=late, content_type="image/png")
    other = LinkSigner("another-secret-" + "o" * 40)
    assert not other.verify("GET", KEY, expires, query["signature"], now=NOW, content_type="image/png")


@pytest.mark.parametrize("key", ["../escape", "a/../../b", "/etc/passwd", "", "a//b", "a/./b"])
async def test_local_storage_refuses_keys_that_leave_its_directory(tmp_path: Path, key: str) -> None:
    storage = LocalObjectStorage(tmp_path / "media", LinkSigner(SIGNING_SECRET))
    with pytest.raises(ValueError, match="not a storage key"):
        await storage.put(key, b"x", content_type="text/plain")


async def test_local_put_new_never_replaces_an_object(tmp_path: Path) -> None:
    storage = LocalObjectStorage(tmp_path / "media", LinkSigner(SIGNING_SECRET))
    assert await storage.put_new(KEY, b"first")
    assert not await storage.put_new(KEY, b"second")
    assert await storage.read_start(KEY, 100) == b"first"
    assert [p.name for p in storage.path_of(KEY).parent.iterdir()] == [storage.path_of(KEY).name]


async def test_local_put_new_lets_one_of_racing_writers_in(tmp_path: Path) -> None:
    storage = LocalObjectStorage(tmp_path / "media", LinkSigner(SIGNING_SECRET))
    outcomes = await asyncio.gather(*(storage.put_new(KEY, bytes([n]) * 100) for n in range(20)))
    assert outcomes.count(True) == 1
    winner = outcomes.index(True)
    assert await storage.read_start(KEY, 1000) == bytes([winner]) * 100


async def test_an_object_is_read_whole_and_a_missing_one_is_none(storage: ObjectStorage) -> None:
    await storage.put(KEY, PNG, content_type="image/png")
    assert await storage.read(KEY) == PNG
    assert await storage.read(KEY + ".variants/256.webp") is None


async def test_deleting_a_folder_removes_every_object_under_it_and_nothing_else(
    storage: ObjectStorage,
) -> None:
    folder = f"{KEY}.variants"
    await storage.put(KEY, PNG, content_type="image/png")
    await storage.put(f"{folder}/256.webp", b"small", content_type="image/webp")
    await storage.put(f"{folder}/1024.webp", b"large", content_type="image/webp")
    await storage.put(f"{KEY}.variantsX/256.webp", b"a neighbour", content_type="image/webp")

    await storage.delete_folder(folder)
    await storage.delete_folder(folder)

    assert await storage.read(f"{folder}/256.webp") is None
    assert await storage.read(f"{folder}/1024.webp") is None
    assert await storage.read(KEY) == PNG
    assert await storage.read(f"{KEY}.variantsX/256.webp") == b"a neighbour"
