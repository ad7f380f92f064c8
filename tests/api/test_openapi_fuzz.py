"""Every operation of the OpenAPI document, fed inputs generated from its own schema by
schemathesis, never answers with a server error, and answers as the document says: a
status it declares, with a content type, a body and headers its schema allows, and for an
error a problem ``code`` the operation lists for that status.

Runs against ``aquastream serve`` in a subprocess (the real server, app and SQLite file),
with the demo data loaded and an admin's token, so that the generated requests reach the
use cases instead of stopping at the authentication. Rate limits are off: the fuzzer
sends hundreds of requests a minute. ``AQUASTREAM_FUZZ_EXAMPLES`` (default 10 per operation)
digs deeper on a local run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    CheckContext,
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup

from tests.api.live_server import cli, served

PASSWORD = "Fuzz-The-Rapids-2030!"
ADMIN = "fuzz-admin@example.com"
EXAMPLES = int(os.environ.get("AQUASTREAM_FUZZ_EXAMPLES", "10"))
ALL_CHECKS = list(HealthCheck)
PROBLEM = "application/problem+json"


def problem_code_is_declared(
    ctx: CheckContext, response: schemathesis.Response, case: schemathesis.Case
) -> bool:
    """An error's ``code`` is one the operation lists (as an example) for its status."""
    if not response.headers.get("content-type", [""])[0].startswith(PROBLEM):
        return True
    declared = case.operation.definition.raw.get("responses", {}).get(str(response.status_code), {})
    codes = set(declared.get("content", {}).get(PROBLEM, {}).get("examples", {}))
    code = response.json().get("code")
    if code not in codes:
        raise AssertionError(
            f"{response.status_code} {code!r} is not among the declared codes {sorted(codes)}"
        )
    return True


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    problem_code_is_declared,
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("fuzz")
    with served(folder, AQUASTREAM_RATE_LIMIT_ENABLED="false") as base:
        for command in (("create-admin", "--email", ADMIN, "--password", PASSWORD), ("demo-data",)):
            done = cli(folder, *command)
            assert done.returncode == 0, done.stderr
        yield base


@pytest.fixture(scope="module")
def admin_headers(server: str) -> dict[str, str]:
    login = httpx.post(f"{server}/api/v1/auth/login", json={"email": ADMIN, "password": PASSWORD})
    return {"Authorization": f"Bearer {login.json()['accessToken']}"}


@pytest.fixture(scope="module")
def api_schema(server: str) -> schemathesis.BaseSchema:
    schema = schemathesis.openapi.from_url(f"{server}/api/v1/openapi.json")
    # What would end the admin's session for the operations after it.
    return schema.exclude(path_regex=r"/(users/me|auth/logout-all|auth/logout)$", method="DELETE").exclude(
        path_regex=r"/auth/logout(-all)?$"
    )


def test_every_operation_answers_as_the_document_says(
    api_schema: schemathesis.BaseSchema, admin_headers: dict[str, str]
) -> None:
    failures: dict[str, str] = {}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=ALL_CHECKS, database=None)
        def fuzz(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=admin_headers, checks=CHECKS)

        try:
            fuzz()
        # Every failing operation is reported, not only the first (schemathesis raises its
        # findings as a group, which is no ``Exception``).
        except (Exception, FailureGroup) as failure:
            failures[operation.label] = str(failure)[:2000]
    assert len(operations) > 50
    assert failures == {}
