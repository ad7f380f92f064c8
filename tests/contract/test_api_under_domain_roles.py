"""Proof by the database: the API suites pass with one PostgreSQL role per domain, each
granted only its own schema, so no domain's code reads or writes another's tables.

The suites run in a pytest of their own with ``AQUASTREAM_TEST_DOMAIN_ROLES=1`` (see
``tests/api/domain_roles.py``): any cross-schema statement fails with ``permission
denied`` and fails its test. That the roles do deny is shown by
``tests/api/test_domain_roles_harness.py``.
"""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.api.domain_roles import VARIABLE
from tests.conftest import DATABASE_URL_VARIABLE

ROOT = Path(__file__).resolve().parents[2]
# Every API suite of a domain, the privacy one that crosses them all, the outbox's admin
# routes (every domain's dead letters) and the spine run in the API process. The others under
# tests/api (health, CLI, rate limits, OpenAPI…) are about the process, not the domains.
# In groups of about equal length, each a pytest of its own: the outer run spreads them over
# its workers, so the proof takes a quarter of the time it took as one serial run.
GROUPS = {
    "identity-booking": ["tests/api/identity", "tests/api/booking"],
    "catalog": ["tests/api/catalog"],
    "payments-notifications-crews": ["tests/api/payments", "tests/api/notifications", "tests/api/crews"],
    "media-tickets-webhooks-privacy-spine": [
        "tests/api/media",
        "tests/api/tickets",
        "tests/api/webhooks",
        "tests/api/privacy",
        "tests/api/test_outbox_admin.py",
        "tests/api/test_worker_in_process.py",
    ],
}
# Well under the tests each group has today (156, 166, 142, 85): a run that collects far
# fewer proves little.
AT_LEAST = {
    "identity-booking": 130,
    "catalog": 140,
    "payments-notifications-crews": 120,
    "media-tickets-webhooks-privacy-spine": 70,
}
TIMEOUT_SECONDS = 15 * 60


def _counts(output: str) -> dict[str, int]:
    """The counts of pytest's last summary line (``350 passed, 2 failed in 300.00s``)."""
    summary = next(line for line in reversed(output.splitlines()) if re.search(r" in [\d.]+s", line))
    return {word: int(count) for count, word in re.findall(r"(\d+) (\w+)", summary)}


@pytest.mark.postgres
@pytest.mark.parametrize("group", list(GROUPS))
def test_the_api_suites_pass_with_one_role_per_domain(postgres_server_url: str, group: str) -> None:
    environment = {
        name: value
        for name, value in os.environ.items()
        # This session's own (xdist's worker, the running test) mean nothing to the inner one.
        if not name.startswith(("PYTEST_XDIST_", "PYTEST_CURRENT_TEST"))
    }
    environment.update({VARIABLE: "1", DATABASE_URL_VARIABLE: postgres_server_url})
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *GROUPS[group]]
    run = subprocess.run(
        command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=TIMEOUT_SECONDS
    )
    assert run.returncode == 0, _failures(run.stdout + run.stderr)
    assert _counts(run.stdout).get("passed", 0) >= AT_LEAST[group], run.stdout[-2000:]


def test_every_suite_of_a_domain_is_in_a_group() -> None:
    """A new domain's API suite joins the proof (tests/api/<domain>/ directories)."""
    grouped = {path for paths in GROUPS.values() for path in paths}
    domains = {
        f"tests/api/{folder.name}"
        for folder in (ROOT / "tests" / "api").iterdir()
        if folder.is_dir() and (folder / "__init__.py").exists()
    }
    assert domains <= grouped, sorted(domains - grouped)


def _failures(output: str) -> str:
    """Each statement the roles refused (once), then pytest's short summary."""
    lines = output.splitlines()
    refused = sorted(
        {
            f"permission denied for {line.partition('permission denied for ')[2]}: {following[:160]}"
            for line, following in itertools.pairwise(lines)
            if "permission denied" in line and following.startswith("[SQL:")
        }
    )
    start = output.rfind("short test summary info")
    return "\n".join([*refused, output[start:] if start >= 0 else output[-4000:]])
