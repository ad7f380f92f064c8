"""Each setting whose form a type cannot say is checked at start, in one sentence that names
the variable and the form expected, and never shows a password; every variable the README
names is one the settings accept."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import msgspec
import pytest

from aquastream.settings import (
    DOMAINS,
    OTHER_PREFIXES,
    OTHER_VARIABLES,
    Settings,
    SettingsError,
    load_settings,
)
from aquastream.settings_checks import redact_url

README = Path(__file__).resolve().parents[2] / "README.md"
PASSWORD = "s3cret-pw"
DATABASE_URL_VARIABLES = ["AQUASTREAM_DATABASE_URL"] + [
    f"AQUASTREAM_DATABASE_URL_{domain.upper()}" for domain in sorted(DOMAINS)
]
MALFORMED_DATABASE_URLS = {
    "port": (f"postgresql+asyncpg://aquastream:{PASSWORD}@db:notaport/aquastream", "port"),
    "scheme": (
        f"mysql+aiomysql://aquastream:{PASSWORD}@db/aquastream",
        "unsupported scheme 'mysql+aiomysql'",
    ),
    "no driver": (f"postgres://aquastream:{PASSWORD}@db/aquastream", "unsupported scheme 'postgres'"),
    "no scheme": (f"aquastream:{PASSWORD}@db/aquastream", "is not a URL"),
    "no database": (f"postgresql+asyncpg://aquastream:{PASSWORD}@db:5432/", "names no database"),
    "slash in password": ("postgresql+asyncpg://aquastream:s3cret/pw@db/aquastream", "port"),
}


def refusal(environ: dict[str, str]) -> str:
    with pytest.raises(SettingsError) as refused:
        load_settings(environ, env_file=None)
    return str(refused.value)


@pytest.mark.parametrize("variable", DATABASE_URL_VARIABLES)
@pytest.mark.parametrize("case", MALFORMED_DATABASE_URLS)
def test_each_database_url_is_checked_and_its_password_never_shown(variable: str, case: str) -> None:
    url, problem = MALFORMED_DATABASE_URLS[case]
    message = refusal({variable: url})
    assert message.startswith(f"{variable} ")
    assert problem in message
    assert "expected postgresql+asyncpg://user:password@host:5432/database" in message
    assert "s3cret" not in message
    assert "\n" not in message


def test_the_two_database_drivers_are_accepted(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "AQUASTREAM_DATA_DIR": str(tmp_path),
            "AQUASTREAM_DATABASE_URL": "postgresql+asyncpg://aquastream:pw@db:5432/aquastream",
            "AQUASTREAM_DATABASE_URL_MEDIA": "sqlite+aiosqlite:///./media.db",
        },
        env_file=None,
    )
    assert settings.database_url_of("media") == "sqlite+aiosqlite:///./media.db"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        (f"redis://:{PASSWORD}@cache:63x79/0", "port"),
        ("http://cache:6379/0", "unsupported scheme 'http'"),
        ("cache:6379", "unsupported scheme"),
        ("redis:///0", "names no host"),
        (f"redis://user:{PASSWORD}@cache:6379/sessions", "names the database 'sessions'"),
    ],
)
def test_the_redis_url_is_checked_and_its_password_never_shown(url: str, problem: str) -> None:
    message = refusal({"AQUASTREAM_REDIS_URL": url})
    assert message.startswith("AQUASTREAM_REDIS_URL ")
    assert problem in message
    assert "expected redis://" in message
    assert PASSWORD not in message


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        (
            "AQUASTREAM_ACCESS_TOKEN_TTL_SECONDS",
            "soon",
            "expected a whole number of seconds >= 60 (default 900)",
        ),
        ("AQUASTREAM_ACCESS_TOKEN_TTL_SECONDS", "30", "expected a whole number of seconds >= 60"),
        ("AQUASTREAM_OUTBOX_POLL_SECONDS", "fast", "expected a number of seconds (default 1.0)"),
        ("AQUASTREAM_ACCESS_REVOCATION_POLL_SECONDS", "3", "expected a number of seconds > 0 and <= 2"),
        ("AQUASTREAM_DATABASE_LOCK_TIMEOUT_MS", "1s", "expected a whole number of milliseconds >= 100"),
        ("AQUASTREAM_MEDIA_MAX_BYTES", "25MB", "expected a whole number of bytes >= 1024"),
        ("AQUASTREAM_LOG_JSON", "maybe", "expected true or false (or 1 or 0) (default true)"),
        (
            "AQUASTREAM_MIGRATE_ON_START",
            "perhaps",
            "expected true or false (or 1 or 0), or empty for the default",
        ),
        ("AQUASTREAM_ENV", "staging", "expected one of development, production, test"),
        ("AQUASTREAM_LOG_LEVEL", "LOUD", "expected one of DEBUG, INFO, WARNING, ERROR, CRITICAL"),
        ("AQUASTREAM_RATE_LIMIT_AUTH", "lots", "expected an amount per period such as 10/minute"),
        ("AQUASTREAM_RATE_LIMIT_DEFAULT", "100 per minute please", "expected an amount per period"),
        ("AQUASTREAM_TRUSTED_PROXIES", "10.0.0.0/8,the-proxy", "lists 'the-proxy'"),
    ],
)
def test_a_bad_value_names_the_variable_its_value_and_the_form_expected(
    variable: str, value: str, expected: str
) -> None:
    message = refusal({variable: value})
    assert message.startswith(variable)
    assert repr(value) in message or "the-proxy" in message
    assert expected in message


def test_a_url_pasted_into_a_number_setting_keeps_its_password_hidden() -> None:
    message = refusal({"AQUASTREAM_SMTP_PORT": f"smtp://mailer:{PASSWORD}@mail:587"})
    assert message == (
        "AQUASTREAM_SMTP_PORT='smtp://mailer:***@mail:587' is not valid; "
        "expected a whole number (default 587)."
    )


def test_the_log_level_is_taken_in_any_case(tmp_path: Path) -> None:
    settings = load_settings(
        {"AQUASTREAM_DATA_DIR": str(tmp_path), "AQUASTREAM_LOG_LEVEL": "debug"}, env_file=None
    )
    assert settings.log_level == "debug"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql+asyncpg://u:pw@db/x", "postgresql+asyncpg://u:***@db/x"),
        ("postgresql+asyncpg://u:p/w@d@db:x/x", "postgresql+asyncpg://u:***@db:x/x"),
        ("u:pw@db", "u:***@db"),
        ("postgresql+asyncpg://db/x?user=u&password=pw", "postgresql+asyncpg://db/x?user=u&password=***"),
        ("sqlite+aiosqlite:///./a.db", "sqlite+aiosqlite:///./a.db"),
    ],
)
def test_a_url_is_shown_without_its_password_however_malformed(url: str, shown: str) -> None:
    assert redact_url(url) == shown


# Values that differ from the default and pass every check, for the settings whose kind
# alone does not give one.
SAMPLES = {
    "env": "test",
    "database_url": "postgresql+asyncpg://aquastream:pw@db:5432/aquastream",
    **{
        f"database_url_{domain}": f"postgresql+asyncpg://aquastream_{domain}:pw@db/aquastream"
        for domain in DOMAINS
    },
    "redis_url": "redis://cache:6379/1",
    "jwt_secret": "k" * 64,
    "cors_origins": "https://a.example",
    "trusted_proxies": "10.0.0.0/8",
    "log_level": "DEBUG",
    "worker_domains": "media",
    "media_storage": "s3",
    "media_variant_sizes": "128, 512",
    "payments_provider": "stripe",
}
SAMPLES |= {
    f"rate_limit_{name}": "7/minute"
    for name in ("auth", "recovery", "booking", "payments", "check_in", "default")
}
# What a sample needs beside it.
COMPANIONS = {"media_storage": {"AQUASTREAM_S3_BUCKET": "media"}}


def _sample(field: msgspec.structs.FieldInfo) -> str:
    if field.name in SAMPLES:
        return SAMPLES[field.name]
    default: Any = field.default
    if isinstance(default, bool):
        return str(not default).lower()
    if isinstance(default, int):
        return str(default + 1)
    if isinstance(default, float):
        return str(default / 2)
    if default is None and "bool" in str(field.type):
        return "false"
    return "a-sample-value"


def _readme_names() -> set[str]:
    return set(re.findall(r"AQUASTREAM_[A-Z0-9_]+", README.read_text(encoding="utf-8")))


def test_every_variable_the_readme_names_is_accepted_without_warning_and_takes_effect(tmp_path: Path) -> None:
    fields = {f"AQUASTREAM_{f.name.upper()}": f for f in msgspec.structs.fields(Settings)}
    names = _readme_names()
    assert len(names) > 90  # the table, the test variables, the admin password
    for name in sorted(names):
        if name.endswith("_"):  # a family written `AQUASTREAM_QR_*`: settings, or read elsewhere
            if name not in OTHER_PREFIXES:
                assert any(known.startswith(name) for known in fields), name
                continue
            name += "SAMPLE"
        field = fields.get(name)
        value = _sample(field) if field is not None else "a-sample-value"
        if name == "AQUASTREAM_DATA_DIR":
            value = str(tmp_path / "elsewhere")
        environ = {"AQUASTREAM_DATA_DIR": str(tmp_path), name: value}
        if field is not None:
            environ |= COMPANIONS.get(field.name, {})
        warnings: list[str] = []
        try:
            settings = load_settings(environ, env_file=None, warn=warnings.append)
        except SettingsError as refused:
            pytest.fail(f"{name}={value!r} refused: {refused}")
        if field is None:
            assert name in OTHER_VARIABLES or name.startswith(OTHER_PREFIXES), name
        else:
            assert getattr(settings, field.name) != field.default, f"{name}={value!r} had no effect"
        assert warnings == [], name


def test_the_readme_shows_the_line_a_malformed_database_url_gives() -> None:
    message = refusal(
        {"AQUASTREAM_DATABASE_URL": "postgresql+asyncpg://aquastream:secret@db:5432x/aquastream"}
    )
    assert f"\naquastream: {message}\n" in README.read_text(encoding="utf-8")
