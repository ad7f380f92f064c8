"""Helpers of the media API tests: uploads as each kind of client sends them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from litestar.testing import AsyncTestClient

from tests.api.catalog.kit import API
from tests.api.identity.conftest import Account, Client


def auth(account: Account | None) -> dict[str, str]:
    return account.auth if account is not None else {}


async def upload(
    client: Client,
    account: Account | None,
    owner_type: str,
    owner_id: str,
    data: bytes,
    *,
    file_name: str = "photo.png",
    declared_type: str = "image/png",
) -> Any:
    """``POST /media`` as a browser's form would send it."""
    return await client.post(
        f"{API}/media",
        data={"ownerType": owner_type, "ownerId": owner_id},
        files={"file": (file_name, data, declared_type)},
        headers=auth(account),
    )


async def uploaded(
    client: Client, account: Account, owner_type: str, owner_id: str, data: bytes
) -> dict[str, Any]:
    response = await upload(client, account, owner_type, owner_id, data)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def start_upload(client: Client, account: Account, owner_type: str, owner_id: str) -> Any:
    return await client.post(
        f"{API}/media/uploads",
        json={"ownerType": owner_type, "ownerId": owner_id, "fileName": "scan.png"},
        headers=account.auth,
    )


async def link(client: Client, account: Account | None, file_id: str) -> Any:
    return await client.get(f"{API}/media/{file_id}", headers=auth(account))


async def complete(client: Client, account: Account, file_id: str) -> Any:
    return await client.post(f"{API}/media/{file_id}/complete", headers=account.auth)


async def fetch(client: AsyncTestClient[Any], url: str) -> Any:
    """Follow a signed link as a browser would: no token."""
    return await client.get(url)


def stored_files(media_dir: Path) -> list[Path]:
    return sorted(p for p in media_dir.rglob("*") if p.is_file()) if media_dir.exists() else []


def stored_keys(media_dir: Path) -> list[str]:
    """The storage keys of the objects in the local storage's folder."""
    return [p.relative_to(media_dir).as_posix() for p in stored_files(media_dir)]


async def chunks(data: bytes) -> AsyncIterator[bytes]:
    """A body sent in chunks, without Content-Length."""
    yield data
