"""Fixtures of the generated-client tests: a served ``aquastream`` with the demo catalog, and its
OpenAPI document as a client generator fetches it (one server for every module of a test process)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api.live_server import cli, served


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of ``aquastream serve`` (its worker in the process) with the demo data."""
    folder = tmp_path_factory.mktemp("clients")
    with served(folder) as base:
        loaded = cli(folder, "demo-data")
        assert loaded.returncode == 0, loaded.stderr
        yield base


@pytest.fixture(scope="session")
def document_path(server: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The served OpenAPI document, saved as a file for the generators."""
    response = httpx.get(f"{server}/api/v1/openapi.json", timeout=30)
    assert response.status_code == 200, response.text
    path = tmp_path_factory.mktemp("openapi") / "openapi.json"
    path.write_bytes(response.content)
    return path
