"""An S3-compatible server for the tests: moto in server mode on the loopback interface,
one per session, and a fresh bucket per test."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import pytest
from moto.server import ThreadedMotoServer

from aquastream.adapters.storage.s3 import open_s3_client

REGION = "us-east-1"
ACCESS_KEY_ID = "testing"
SECRET_ACCESS_KEY = "testing-secret"


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    # Port 0 picks a free port; loopback only (moto listens on 0.0.0.0 by default).
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
async def s3_bucket(s3_endpoint: str) -> str:
    """A new, empty bucket on the session's server."""
    async with s3_client(s3_endpoint) as client:
        return await new_bucket(client)


async def new_bucket(client: Any) -> str:
    name = f"media-{secrets.token_hex(6)}"
    await client.create_bucket(Bucket=name)
    return name


def s3_client(endpoint: str) -> Any:
    return open_s3_client(
        endpoint_url=endpoint, region=REGION, access_key_id=ACCESS_KEY_ID, secret_access_key=SECRET_ACCESS_KEY
    )
