"""Structured logs: one JSON object per line, each with the request id; one access line per request."""

from __future__ import annotations

import json
from typing import Any

import pytest

from aquastream.domain.shared.principal import Role

from .conftest import Bearer, Serve


def json_lines(captured: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in captured.splitlines() if line.startswith("{")]


def access_lines(captured: str) -> list[dict[str, Any]]:
    return [line for line in json_lines(captured) if line["logger"] == "aquastream.http.access"]


async def test_access_line_has_method_template_status_duration_request_and_user(
    serve: Serve, bearer: Bearer, capsys: pytest.CaptureFixture[str]
) -> None:
    headers = {"X-Request-Id": "log-me-1", **bearer(Role.USER)}

    async with serve(log_json=True) as client:
        await client.get("/api/v1/probe/errors/conflict", headers=headers)
        await client.get("/api/v1/probe/me", headers=headers)

    conflict, me = access_lines(capsys.readouterr().err)
    assert conflict["path"] == "/api/v1/probe/errors/{kind}"
    assert conflict["method"] == "GET"
    assert conflict["status"] == 409
    assert conflict["request_id"] == "log-me-1"
    assert isinstance(conflict["duration_ms"], float)
    assert conflict["level"] == "INFO"
    assert me["status"] == 200
    assert me["user_id"] is not None
    assert conflict["user_id"] == me["user_id"]


async def test_anonymous_access_line_has_no_user(serve: Serve, capsys: pytest.CaptureFixture[str]) -> None:
    async with serve(log_json=True) as client:
        await client.get("/api/v1/probe/public")

    [access] = access_lines(capsys.readouterr().err)
    assert access["user_id"] is None


async def test_crash_is_logged_as_json_with_traceback_and_request_id(
    serve: Serve, capsys: pytest.CaptureFixture[str]
) -> None:
    async with serve(log_json=True) as client:
        await client.get("/api/v1/probe/crash", headers={"X-Request-Id": "crash-7"})

    [error] = [line for line in json_lines(capsys.readouterr().err) if line["level"] == "ERROR"]
    assert error["request_id"] == "crash-7"
    assert "Traceback" in error["exception"]
    assert "hunter2" in error["exception"]


async def test_plain_text_logs_when_json_is_off(serve: Serve, capsys: pytest.CaptureFixture[str]) -> None:
    async with serve(log_json=False) as client:
        await client.get("/api/v1/probe/public", headers={"X-Request-Id": "plain-1"})

    err = capsys.readouterr().err
    assert json_lines(err) == []
    assert "[plain-1] GET /api/v1/probe/public 200" in err


async def test_health_probes_stay_out_of_the_info_log(
    serve: Serve, capsys: pytest.CaptureFixture[str]
) -> None:
    async with serve(log_json=True) as client:
        await client.get("/health/live")

    assert access_lines(capsys.readouterr().err) == []
