"""Objects in an S3-compatible bucket (AWS S3, MinIO, Yandex Object Storage…) through
aiobotocore, with presigned URLs (signature version 4) for downloads and uploads.

One client lives as long as the process (``open_s3_client``); the bucket is the operator's
to create. A presigned URL's lifetime is counted by the storage service from the moment it
is signed, on the service's clock.

A presigned PUT URL stays usable until it expires, even after its upload was completed:
S3 cannot make it single-use. Download links therefore name the content type that the
check found (``ResponseContentType``), so bytes swapped in later are never served as
anything else (a page cannot become HTML); keep ``media_link_ttl_seconds`` short.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from aquastream.domain.media.model import SignedLink, StoredObject

if TYPE_CHECKING:
    # Types only: the stubs (types-aiobotocore[s3]) are a development dependency.
    from aiobotocore.session import AioSession
    from botocore.exceptions import ClientError
    from types_aiobotocore_s3 import S3Client
    from types_aiobotocore_s3.type_defs import ObjectIdentifierTypeDef

NOT_FOUND_CODES = frozenset({"404", "NoSuchKey", "NotFound"})
TIMEOUT_SECONDS = 10


@asynccontextmanager
async def open_s3_client(
    *,
    endpoint_url: str | None,
    region: str,
    access_key_id: str | None,
    secret_access_key: str | None,
    path_style: bool = True,
) -> AsyncIterator[S3Client]:
    """An S3 client for the process's lifetime; path-style addressing suits MinIO and most
    S3-compatible services (AWS accepts it too). aiobotocore is imported here, when S3 is
    configured: importing it costs a second of every process's start."""
    session = await asyncio.to_thread(_loaded_session)
    from aiobotocore.config import AioConfig

    config = AioConfig(
        signature_version="s3v4",
        s3={"addressing_style": "path" if path_style else "auto"},
        connect_timeout=TIMEOUT_SECONDS,
        read_timeout=TIMEOUT_SECONDS,
        retries={"max_attempts": 3, "mode": "standard"},
    )
    async with session.create_client(
        "s3",
        endpoint_url=endpoint_url,
        region_name=region,
        aws_access_key_id=access_key_id,
        aws_secret_access_key=secret_access_key,
        config=config,
    ) as client:
        yield client


def _loaded_session() -> AioSession:
    """A session with aiobotocore imported and S3's model and endpoint rules read, in a
    thread: on the event loop that work (0.4-0.7 s of CPU on a quiet machine, seconds on a
    busy one) stalled every request in flight, the readiness checks among them. The
    session's loader keeps what it read for the client made next."""
    importlib.import_module("aiobotocore.config")  # the client's config, read next on the loop
    from aiobotocore.session import get_session

    session = get_session()
    loader = session.get_component("data_loader")
    for kind in ("service-2", "endpoint-rule-set-1"):
        loader.load_service_model("s3", kind, api_version=None)  # as the client asks: one cache key
    for name in ("endpoints", "partitions", "sdk-default-configuration", "_retry"):
        loader.load_data(name)
    return session


def _is_not_found(error: ClientError) -> bool:
    return str(error.response.get("Error", {}).get("Code")) in NOT_FOUND_CODES


class S3ObjectStorage:
    def __init__(self, client: S3Client, bucket: str) -> None:
        self._client = client
        self._bucket = bucket

    async def put(self, key: str, data: bytes, *, content_type: str) -> None:
        await self._client.put_object(Bucket=self._bucket, Key=key, Body=data, ContentType=content_type)

    async def stat(self, key: str) -> StoredObject | None:
        try:
            head = await self._client.head_object(Bucket=self._bucket, Key=key)
        except self._client.exceptions.ClientError as error:
            if _is_not_found(error):
                return None
            raise
        return StoredObject(head["ContentLength"])

    async def read_start(self, key: str, length: int) -> bytes:
        try:
            response = await self._client.get_object(
                Bucket=self._bucket, Key=key, Range=f"bytes=0-{length - 1}"
            )
        except self._client.exceptions.ClientError as error:
            # An empty object has no byte 0 to start a range at.
            if _is_not_found(error) or error.response.get("Error", {}).get("Code") == "InvalidRange":
                return b""
            raise
        async with response["Body"] as body:
            data: bytes = await body.read()
        return data[:length]

    async def read(self, key: str) -> bytes | None:
        try:
            response = await self._client.get_object(Bucket=self._bucket, Key=key)
        except self._client.exceptions.ClientError as error:
            if _is_not_found(error):
                return None
            raise
        async with response["Body"] as body:
            data: bytes = await body.read()
        return data

    async def delete(self, key: str) -> None:
        await self._client.delete_object(Bucket=self._bucket, Key=key)

    async def delete_folder(self, folder: str) -> None:
        # Listed page by page (at most 1000 keys each), each page deleted in one request.
        paginator = self._client.get_paginator("list_objects_v2")
        async for page in paginator.paginate(Bucket=self._bucket, Prefix=f"{folder}/"):
            keys: list[ObjectIdentifierTypeDef] = [
                {"Key": item["Key"]} for item in page.get("Contents", []) if "Key" in item
            ]
            if keys:
                await self._client.delete_objects(
                    Bucket=self._bucket, Delete={"Objects": keys, "Quiet": True}
                )

    async def download_link(
        self, key: str, *, expires_in: timedelta, now: datetime, content_type: str | None
    ) -> SignedLink:
        params = {"Bucket": self._bucket, "Key": key}
        if content_type:
            params["ResponseContentType"] = content_type
        url = await self._client.generate_presigned_url(
            "get_object", Params=params, ExpiresIn=int(expires_in.total_seconds())
        )
        return SignedLink(url, now + expires_in)

    async def upload_link(self, key: str, *, expires_in: timedelta, now: datetime) -> SignedLink:
        url = await self._client.generate_presigned_url(
            "put_object",
            Params={"Bucket": self._bucket, "Key": key},
            ExpiresIn=int(expires_in.total_seconds()),
        )
        return SignedLink(url, now + expires_in, "PUT")

    async def check_bucket(self) -> None:
        """Raise unless the bucket answers (the readiness check)."""
        await self._client.head_bucket(Bucket=self._bucket)


class S3Check:
    name = "object_storage"

    def __init__(self, storage: S3ObjectStorage) -> None:
        self._storage = storage

    async def check(self) -> None:
        await self._storage.check_bucket()
