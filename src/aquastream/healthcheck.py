"""The container's health check, ``python -m aquastream.healthcheck`` (the image's ``HEALTHCHECK``).

It follows what the container runs, read from its main process's command line (PID 1:
``aquastream serve …`` or ``aquastream worker …``), or from its own arguments
(``python -m aquastream.healthcheck serve --port 9000``, ``… worker``):

- ``serve``: ``GET http://127.0.0.1:<port>/health/ready`` answers 200 (``--port`` of the
  serve command, 8000 by default): the database answers and is migrated to this release, and
  Redis answers when configured;
- ``worker``: the worker's heartbeat (``HEARTBEAT_FILE``) is younger than
  ``HEARTBEAT_STALE_SECONDS``; a worker touches it after each pass of the event spine that
  reached the database, so a database that is down or not migrated leaves it stale.

Exit code 0 when healthy, 1 (with one line on stderr saying why) when not. It imports nothing
of the application: a check every 30 s must stay cheap.
"""

from __future__ import annotations

import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

HEARTBEAT_FILE = Path(tempfile.gettempdir()) / "aquastream-worker.heartbeat"
HEARTBEAT_STALE_SECONDS = 60.0
DEFAULT_PORT = 8000
TIMEOUT_SECONDS = 3.0


def what_runs(command_line: Sequence[str]) -> tuple[str, int]:
    """The mode (``serve`` or ``worker``) and the port of a command line, ``aquastream`` first."""
    words = list(command_line)
    mode = next((word for word in words if word in ("serve", "worker")), "")
    port = DEFAULT_PORT
    for index, word in enumerate(words):
        if word == "--port" and index + 1 < len(words):
            port = int(words[index + 1])
        elif word.startswith("--port="):
            port = int(word.removeprefix("--port="))
    return mode, port


def _main_process_command_line() -> list[str]:
    try:
        raw = Path("/proc/1/cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def check(mode: str, port: int) -> str | None:
    """None when healthy, else why not."""
    if mode == "serve":
        url = f"http://127.0.0.1:{port}/health/ready"
        try:
            with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
                return None if response.status == 200 else f"{url} answered {response.status}"
        except urllib.error.HTTPError as error:
            return f"{url} answered {error.code}"
        except OSError as error:
            return f"{url} did not answer: {error}"
    if mode == "worker":
        try:
            age = time.time() - HEARTBEAT_FILE.stat().st_mtime
        except FileNotFoundError:
            return f"no worker heartbeat yet ({HEARTBEAT_FILE})"
        if age > HEARTBEAT_STALE_SECONDS:
            return f"the worker's last pass that reached the database was {age:.0f} s ago"
        return None
    return "neither `aquastream serve` nor `aquastream worker` runs here; pass one: serve [--port N] | worker"


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        mode, port = what_runs(arguments or _main_process_command_line())
    except ValueError:
        print("healthcheck: --port takes a number", file=sys.stderr)
        return 1
    problem = check(mode, port)
    if problem is not None:
        print(f"healthcheck: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
