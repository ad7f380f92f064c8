"""The npm tools of ``tests/clients/typescript`` (openapi-typescript, openapi-fetch, tsc), installed
from its package-lock.json with ``npm ci`` when missing or out of date."""

from __future__ import annotations

import fcntl
import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

TYPESCRIPT = Path(__file__).parent / "typescript"
NODE_MODULES = TYPESCRIPT / "node_modules"
# The lock file node_modules was installed from, by its hash: a changed lock reinstalls.
INSTALLED_STAMP = NODE_MODULES / ".aquastream-installed-lock"


def node_tools() -> Path:
    """``tests/clients/typescript/node_modules``, installed first if needed (one installer at a
    time: parallel test workers wait for each other). Fails, never skips, without Node.js."""
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if missing:
        pytest.fail(
            "The TypeScript client tests need Node.js (18 or newer) and npm on PATH "
            f"({', '.join(missing)} not found): install them (Debian: apt-get install nodejs npm) "
            "and run the tests again."
        )
    wanted = hashlib.sha256((TYPESCRIPT / "package-lock.json").read_bytes()).hexdigest()
    with (TYPESCRIPT / ".install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not INSTALLED_STAMP.exists() or INSTALLED_STAMP.read_text() != wanted:
            done = run(["npm", "ci", "--no-audit", "--no-fund"], TYPESCRIPT)
            assert done.returncode == 0, f"npm ci failed:\n{done.stdout}{done.stderr}"
            INSTALLED_STAMP.write_text(wanted)
    return NODE_MODULES


def run(command: list[str], folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=600, check=False)
