"""A command that cannot start says why in one line: the real ``aquastream`` command in a
subprocess, as an operator runs it.

Every failure here is exit status 2, exactly one line on standard error that names the
variable or option, no traceback, and never the password of a URL. Most fail before the
application is imported (about a second each).
"""

from __future__ import annotations

import os
import pty
import select
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy.engine import make_url

from tests.api.live_server import environment, free_port

PASSWORD = "s3cret-pw"
ADMIN_PASSWORD = "Paddle-Hard-2030!"
OTHER_PASSWORD = "Kayak-Steady-2031?"
DOMAIN_URL_VARIABLES = [
    f"AQUASTREAM_DATABASE_URL_{domain.upper()}"
    for domain in (
        "identity",
        "catalog",
        "booking",
        "payments",
        "notifications",
        "crews",
        "media",
        "webhooks",
        "tickets",
    )
]


def run(
    folder: Path, *args: str, stdin: str | None = "", **settings: str
) -> subprocess.CompletedProcess[str]:
    """``python -m aquastream <args>``; ``stdin`` is what standard input holds (a pipe, not a
    terminal), None for no standard input at all."""
    return subprocess.run(
        [sys.executable, "-m", "aquastream", *args],
        env=environment(folder, **settings),
        cwd=folder,
        input=stdin,
        stdin=subprocess.DEVNULL if stdin is None else None,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def assert_one_line_failure(result: subprocess.CompletedProcess[str], *named: str) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    [line] = lines
    assert line.startswith("aquastream")
    for name in named:
        assert name in line, line
    assert PASSWORD not in result.stderr + result.stdout
    return line


# (command, variable, value, words of the line): one bad setting per case, spread over the
# commands that read settings, so each command's path to the one line is taken.
BAD_SETTINGS = [
    ("migrate", "AQUASTREAM_DATABASE_URL", f"postgresql+asyncpg://u:{PASSWORD}@db:notaport/x", "port"),
    ("serve", "AQUASTREAM_DATABASE_URL", f"postgres://u:{PASSWORD}@db/x", "unsupported scheme 'postgres'"),
    ("worker", "AQUASTREAM_DATABASE_URL", "nonsense", "is not a URL"),
    *[
        (command, variable, f"mysql://u:{PASSWORD}@db/x", "unsupported scheme 'mysql'")
        for command, variable in zip(
            [
                "serve",
                "worker",
                "migrate",
                "create-admin",
                "demo-data",
                "serve",
                "worker",
                "migrate",
                "serve",
            ],
            DOMAIN_URL_VARIABLES,
            strict=True,
        )
    ],
    ("serve", "AQUASTREAM_ACCESS_TOKEN_TTL_SECONDS", "soon", "whole number of seconds"),
    ("worker", "AQUASTREAM_LOG_JSON", "maybe", "true or false"),
    ("demo-data", "AQUASTREAM_BOOKING_HOLD_SECONDS", "10", ">= 60"),
    ("worker", "AQUASTREAM_OUTBOX_POLL_SECONDS", "fast", "a number of seconds"),
    ("worker", "AQUASTREAM_LOG_LEVEL", "LOUD", "DEBUG, INFO, WARNING, ERROR, CRITICAL"),
    ("serve", "AQUASTREAM_LOG_LEVEL", "verbose", "DEBUG, INFO, WARNING, ERROR, CRITICAL"),
    ("serve", "AQUASTREAM_REDIS_URL", f"redis://:{PASSWORD}@cache:63x79/0", "expected redis://"),
    ("serve", "AQUASTREAM_RATE_LIMIT_AUTH", "lots", "10/minute"),
    ("serve", "AQUASTREAM_TRUSTED_PROXIES", "the-proxy", "not an IP address"),
    ("create-admin", "AQUASTREAM_ENV", "staging", "development, production, test"),
]


@pytest.mark.parametrize(
    ("command", "variable", "value", "words"),
    BAD_SETTINGS,
    ids=[f"{command}-{variable[11:].lower()}" for command, variable, _, _ in BAD_SETTINGS],
)
def test_a_bad_setting_is_one_line_naming_the_variable(
    tmp_path: Path, command: str, variable: str, value: str, words: str
) -> None:
    args = [command, "--email", "root@example.com"] if command == "create-admin" else [command]
    failed = run(tmp_path, *args, **{variable: value})
    line = assert_one_line_failure(failed, variable, words)
    assert "expected" in line
    assert not (tmp_path / "aquastream.db").exists()


UNREACHABLE = f"postgresql+asyncpg://aquastream:{PASSWORD}@127.0.0.1:{{port}}/aquastream"


@pytest.mark.parametrize(
    ("command", "variable", "url"),
    [
        ("migrate", "AQUASTREAM_DATABASE_URL", UNREACHABLE),
        ("create-admin", "AQUASTREAM_DATABASE_URL_BOOKING", UNREACHABLE),
        ("worker", "AQUASTREAM_DATABASE_URL", "sqlite+aiosqlite:///{folder}/no-such-folder/aquastream.db"),
    ],
    ids=["migrate-postgresql", "create-admin-postgresql-booking", "worker-sqlite"],
)
def test_a_database_that_cannot_be_reached_is_one_line_naming_the_url_without_its_password(
    tmp_path: Path, command: str, variable: str, url: str
) -> None:
    url = url.format(port=free_port(), folder=tmp_path)
    args = [command, "--email", "root@example.com"] if command == "create-admin" else [command]
    failed = run(tmp_path, *args, **{variable: url})
    line = assert_one_line_failure(failed, variable, "cannot reach the database")
    assert f"at {url.replace(PASSWORD, '***')} (" in line


@pytest.mark.postgres
@pytest.mark.parametrize("command", ["serve", "worker"])
def test_serving_with_a_database_that_does_not_exist_is_one_line(
    tmp_path: Path, postgres_server_url: str, command: str
) -> None:
    url = (
        make_url(postgres_server_url)
        .set(database="aqs_no_such_database")
        .render_as_string(hide_password=False)
    )
    failed = run(tmp_path, command, AQUASTREAM_DATABASE_URL=url)
    assert_one_line_failure(failed, "AQUASTREAM_DATABASE_URL", "cannot reach the database")


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield int(listener.getsockname()[1])


def test_serve_on_a_port_in_use_is_one_line(tmp_path: Path, taken_port: int) -> None:
    failed = run(tmp_path, "serve", "--port", str(taken_port))
    assert_one_line_failure(failed, f"--port {taken_port}", "already in use")


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["serve", "--port", "http"], "--port"),
        (["serve", "--port", "70000"], "--port"),
        (["serve", "--workers", "0"], "--workers"),
        (["serve", "--host", "no-such-host.invalid"], "--host"),
        (["worker", "--domains", "notifications,mail"], "--domains"),
        (["migrate", "--revision", "nosuch"], "--revision nosuch"),
        (["create-admin"], "--email"),
        (["domain-roles", "--prefix"], "--prefix"),
        (["config", "--verbose"], "--verbose"),
    ],
    ids=lambda value: "-".join(value) if isinstance(value, list) else value,
)
def test_a_bad_option_is_one_line_naming_it(tmp_path: Path, args: list[str], named: str) -> None:
    assert_one_line_failure(run(tmp_path, *args), named)


def test_demo_data_in_production_is_one_line(tmp_path: Path) -> None:
    refused = run(
        tmp_path,
        "demo-data",
        AQUASTREAM_ENV="production",
        AQUASTREAM_JWT_SECRET="s" * 64,
        AQUASTREAM_PAYMENTS_PROVIDER="stripe",
        AQUASTREAM_STRIPE_SECRET_KEY="sk_live_x",
        AQUASTREAM_STRIPE_WEBHOOK_SECRET="whsec_x",
    )
    assert_one_line_failure(refused, "AQUASTREAM_ENV=production", "not loaded in production")


def test_unknown_variables_are_one_warning_each_and_the_command_runs(tmp_path: Path) -> None:
    migrated = run(
        tmp_path,
        "migrate",
        AQUASTREAM_DATABSE_URL="sqlite+aiosqlite:///./elsewhere.db",
        AQUASTREAM_TEST_DATABASE_URL="postgresql+asyncpg://postgres@127.0.0.1:5432/postgres",
        AQUASTREAM_TEST_REDIS_URL="redis://127.0.0.1:6379/0",
        AQUASTREAM_ADMIN_PASSWORD=ADMIN_PASSWORD,
    )
    assert migrated.returncode == 0, migrated.stderr
    assert "database migrated" in migrated.stdout
    assert migrated.stderr.splitlines() == [
        "aquastream: warning: AQUASTREAM_DATABSE_URL is not a known setting and is ignored; "
        "the closest one is AQUASTREAM_DATABASE_URL (see `aquastream config`)."
    ]


def test_create_admin_takes_a_new_password_from_the_environment_or_a_piped_line_and_promotes_without_one(
    tmp_path: Path,
) -> None:
    by_environment = run(
        tmp_path,
        "create-admin",
        "--email",
        "root@example.com",
        stdin=None,
        AQUASTREAM_ADMIN_PASSWORD=ADMIN_PASSWORD,
    )
    assert by_environment.returncode == 0, by_environment.stderr
    assert (by_environment.stderr, "created") == ("", by_environment.stdout.split()[2])
    assert PasswordHasher().verify(_user(tmp_path, "root@example.com")[0], ADMIN_PASSWORD)

    piped = run(tmp_path, "create-admin", "--email", "olga@example.com", stdin=f"{OTHER_PASSWORD}\nignored\n")
    assert piped.returncode == 0, piped.stderr
    assert "created" in piped.stdout
    assert PasswordHasher().verify(_user(tmp_path, "olga@example.com")[0], OTHER_PASSWORD)

    # Olga is a plain user again; promoting her needs no password, no terminal, no input.
    with sqlite3.connect(tmp_path / "aquastream.db") as connection:
        connection.execute("UPDATE users SET role = 'USER' WHERE email = 'olga@example.com'")
    promoted = run(tmp_path, "create-admin", "--email", "olga@example.com", stdin=None)
    assert promoted.returncode == 0, promoted.stderr
    assert (promoted.stderr, "promoted") == ("", promoted.stdout.split()[2])
    password_hash, role = _user(tmp_path, "olga@example.com")
    assert role == "ADMIN"
    assert PasswordHasher().verify(password_hash, OTHER_PASSWORD)


def test_create_admin_of_a_new_account_without_a_usable_password_is_one_line(tmp_path: Path) -> None:
    nothing = run(tmp_path, "create-admin", "--email", "root@example.com", stdin=None)
    assert_one_line_failure(nothing, "--password", "AQUASTREAM_ADMIN_PASSWORD", "standard input")
    weak = run(tmp_path, "create-admin", "--email", "root@example.com", "--password", "weak")
    assert_one_line_failure(weak, "--password", "at least 12 characters")
    with sqlite3.connect(tmp_path / "aquastream.db") as connection:
        assert connection.execute("SELECT count(*) FROM users").fetchone() == (0,)


def _user(folder: Path, email: str) -> tuple[str, str]:
    """The password hash and role of ``email``'s account."""
    with sqlite3.connect(folder / "aquastream.db") as connection:
        row = connection.execute("SELECT password_hash, role FROM users WHERE email = ?", (email,)).fetchone()
    assert row is not None, email
    return str(row[0]), str(row[1])


def test_create_admin_asks_a_new_password_on_the_terminal(tmp_path: Path) -> None:
    """Standard input a terminal: the password is typed at a prompt (a pseudo-terminal here);
    nothing typed (Ctrl-D) is the one line of no password."""
    exit_code, shown = _on_a_terminal(tmp_path, "root@example.com", f"{ADMIN_PASSWORD}\n".encode())
    assert exit_code == 0, shown
    assert b"admin root@example.com created" in shown
    assert ADMIN_PASSWORD.encode() not in shown  # not echoed
    assert PasswordHasher().verify(_user(tmp_path, "root@example.com")[0], ADMIN_PASSWORD)

    exit_code, shown = _on_a_terminal(tmp_path, "olga@example.com", b"\x04")
    assert exit_code == 2, shown
    assert b"Traceback" not in shown
    assert b"\naquastream: --password: a new account needs a password and none was given" in shown


def _on_a_terminal(folder: Path, email: str, typed: bytes) -> tuple[int, bytes]:
    """``create-admin --email <email>`` on a pseudo-terminal: its exit code and what it showed,
    ``typed`` typed at its prompt."""
    pid, terminal = pty.fork()
    if pid == 0:  # the child: the command, with the pseudo-terminal as its terminal
        try:
            os.chdir(folder)
            command = [sys.executable, "-m", "aquastream", "create-admin", "--email", email]
            os.execve(sys.executable, command, environment(folder))
        finally:
            os._exit(127)
    try:
        shown = _read_until(terminal, b"Password of the new admin: ")
        os.write(terminal, typed)
        shown += _read_until(terminal, None)
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(terminal)
    return os.waitstatus_to_exitcode(status), shown


def _read_until(terminal: int, end: bytes | None, seconds: float = 60) -> bytes:
    """What the terminal shows until ``end`` appears (None: until the command closes it)."""
    shown = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and (end is None or end not in shown):
        ready, _, _ = select.select([terminal], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(terminal, 1024)
        except OSError:  # EIO: the command has ended and closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    else:
        if end is not None and end not in shown:
            pytest.fail(f"no {end!r} within {seconds} s: {shown!r}")
    return shown
