"""Objects as files under a local directory, with links that the app itself serves.

A link is ``{base_url}/api/v1/media/objects/{key}?expires=…&signature=…`` (plus ``type``
on a download, the content type to answer with): HMAC-SHA256, under a key derived from the
server secret, over the method, the key, the expiry and the type. Anyone holding the link
may use it until it expires; changing the secret voids every link. The routes that serve
them are in ``adapters.http.media.object_routes``.

Writes go to a temporary file in the same folder, then are renamed into place, so a reader
never sees half an object.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import os
import shutil
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

from aquastream.domain.media.model import SignedLink, StoredObject

OBJECTS_PATH = "/api/v1/media/objects"


class LinkSigner:
    """Signs and checks the local links; the HTTP routes and the storage share one."""

    def __init__(self, secret: str) -> None:
        key = secret.encode()
        if len(key) < 32:
            raise ValueError("the media link secret must be at least 32 bytes long")
        # A key of its own, so that a link signature never equals another use of the secret.
        self._key = hmac.new(key, b"aquastream media links", hashlib.sha256).digest()

    def sign(self, method: str, key: str, expires: int, content_type: str = "") -> str:
        message = "\n".join((method.upper(), key, str(expires), content_type)).encode()
        digest = hmac.new(self._key, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def verify(
        self, method: str, key: str, expires: int, signature: str, *, now: datetime, content_type: str = ""
    ) -> bool:
        """A genuine signature of a link that has not expired."""
        if expires < now.timestamp():
            return False
        return hmac.compare_digest(self.sign(method, key, expires, content_type), signature)


def _valid_key(key: str) -> bool:
    parts = key.split("/")
    return bool(key) and not key.startswith("/") and all(part not in ("", ".", "..") for part in parts)


class LocalObjectStorage:
    def __init__(self, root: Path, signer: LinkSigner, *, base_url: str = "") -> None:
        self._root = root.resolve()
        self._signer = signer
        self._base_url = base_url.rstrip("/")

    def path_of(self, key: str) -> Path:
        """The file of ``key``; ValueError for a key that would leave the directory."""
        if not _valid_key(key):
            raise ValueError(f"not a storage key: {key!r}")
        path = (self._root / key).resolve()
        if not path.is_relative_to(self._root):
            raise ValueError(f"not a storage key: {key!r}")
        return path

    async def put(self, key: str, data: bytes, *, content_type: str) -> None:
        await asyncio.to_thread(self._write, self.path_of(key), data)

    async def put_new(self, key: str, data: bytes) -> bool:
        """Store ``data`` unless an object exists under ``key``; False (nothing written) when
        one does. Atomic: of two racing writers exactly one succeeds."""
        return await asyncio.to_thread(self._write, self.path_of(key), data, replace=False)

    @staticmethod
    def _write(path: Path, data: bytes, *, replace: bool = True) -> bool:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(data)
            if replace:
                os.replace(temporary, path)
                return True
            try:
                os.link(temporary, path)  # fails when the name exists, unlike a rename
            except FileExistsError:
                return False
            return True
        finally:
            Path(temporary).unlink(missing_ok=True)

    async def stat(self, key: str) -> StoredObject | None:
        path = self.path_of(key)
        try:
            return StoredObject(path.stat().st_size)
        except FileNotFoundError:
            return None

    async def read_start(self, key: str, length: int) -> bytes:
        return await asyncio.to_thread(self._read_start, self.path_of(key), length)

    @staticmethod
    def _read_start(path: Path, length: int) -> bytes:
        try:
            with path.open("rb") as file:
                return file.read(length)
        except FileNotFoundError:
            return b""

    async def read(self, key: str) -> bytes | None:
        return await asyncio.to_thread(self._read, self.path_of(key))

    @staticmethod
    def _read(path: Path) -> bytes | None:
        try:
            return path.read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            return None

    async def delete(self, key: str) -> None:
        self.path_of(key).unlink(missing_ok=True)

    async def delete_folder(self, folder: str) -> None:
        await asyncio.to_thread(shutil.rmtree, self.path_of(folder), ignore_errors=True)

    def _link(self, method: str, key: str, expires_at: datetime, content_type: str = "") -> str:
        expires = int(expires_at.timestamp())
        query = {"expires": str(expires)}
        if content_type:
            query["type"] = content_type
        query["signature"] = self._signer.sign(method, key, expires, content_type)
        return f"{self._base_url}{OBJECTS_PATH}/{quote(key)}?{urlencode(query)}"

    async def download_link(
        self, key: str, *, expires_in: timedelta, now: datetime, content_type: str | None
    ) -> SignedLink:
        self.path_of(key)
        expires_at = now + expires_in
        return SignedLink(self._link("GET", key, expires_at, content_type or ""), expires_at)

    async def upload_link(self, key: str, *, expires_in: timedelta, now: datetime) -> SignedLink:
        self.path_of(key)
        expires_at = now + expires_in
        return SignedLink(self._link("PUT", key, expires_at), expires_at, "PUT")
