"""A database not migrated to this release: not ready, 503 (never 500), and the log says what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import Serve


async def test_an_unmigrated_database_is_not_ready_and_requests_answer_503(
    serve: Serve, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    empty = f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"

    async with serve(database_url=empty) as client:
        ready = await client.get("/health/ready")
        listing = await client.get("/api/v1/events")
        again = await client.get("/api/v1/events")

    assert ready.status_code == 503
    assert ready.json()["checks"] == {
        "database": {"status": "UP"},
        "schema": {"status": "DOWN"},
        "revocations": {"status": "DOWN"},
    }
    for response in (listing, again):
        assert response.status_code == 503
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.headers["Retry-After"] == "1"
        assert response.json()["code"] == "service.unavailable"
    hints = [r.getMessage() for r in caplog.records if "run `aquastream migrate`" in r.getMessage()]
    # the readiness check's line, and one line (not one per request) from the HTTP edge
    assert any(line.startswith("Readiness check schema failed") for line in hints)
    assert sum("answered 503" in line for line in hints) == 1
    edge = ("aquastream.http.errors", "aquastream.http.auth")
    assert not any(record.exc_info for record in caplog.records if record.name in edge)
