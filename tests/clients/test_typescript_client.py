"""TypeScript types generated from the served OpenAPI document (openapi-typescript) carry a small
openapi-fetch client through ``tsc --strict``; compiled, it books a seat on the live server and
reads the 409 and 404 problems as the document declares them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.clients.typescript_tools import TYPESCRIPT, node_tools, run

SOURCES = ("journey.ts", "tsconfig.json", "package.json")


@pytest.fixture(scope="module")
def tools() -> Path:
    """Asked first: without Node.js the test fails at once, before a server is started."""
    return node_tools()


@pytest.fixture(scope="module")
def compiled(tools: Path, document_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the generated ``api.ts`` and ``out/journey.js``, compiled with ``tsc --strict``."""
    folder = tmp_path_factory.mktemp("typescript-client")
    for name in SOURCES:
        shutil.copy(TYPESCRIPT / name, folder / name)
    (folder / "node_modules").symlink_to(tools, target_is_directory=True)

    generator = str(tools / ".bin" / "openapi-typescript")
    generated = run([generator, str(document_path), "-o", "api.ts"], folder)
    assert generated.returncode == 0, generated.stdout + generated.stderr
    compiled = run([str(tools / ".bin" / "tsc"), "-p", "tsconfig.json", "--strict"], folder)
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    return folder


def test_a_strictly_typed_typescript_client_books_and_reads_the_problems(compiled: Path, server: str) -> None:
    journey = run(["node", "out/journey.js", server], compiled)

    assert journey.returncode == 0, journey.stdout + journey.stderr
    assert json.loads(journey.stdout) == {
        "event": "Поход к водопадам Рускеалы",
        "booking": {"status": "PENDING", "paymentStatus": "PENDING", "amount": "3500.00"},
        "duplicate": "booking.duplicate",
        "notFound": "booking.not_found",
        "mine": [True],
    }
