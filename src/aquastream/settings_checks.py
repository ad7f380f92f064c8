"""Checks of the settings whose form a type cannot say, and of the variables' names.

Each check returns ``None`` or one sentence: what is wrong and the form expected (the
caller puts the variable's name in front). None of them ever repeats a password: URLs
are shown through ``redact_url``.

- database URLs: only the two drivers the service ships with (``postgresql+asyncpg``,
  ``sqlite+aiosqlite``), since any other would fail later, deep inside the engine, with a
  driver's import error; a port that is a number; a database named on PostgreSQL. Read
  with ``urllib`` rather than SQLAlchemy, whose import costs every command a second;
- Redis URLs: ``redis://`` or ``rediss://`` with a host, a port that is a number and a
  database that is one (the rate limiter adds its own ``async+`` to the same URL, which
  rules out ``unix://``);
- the log level is one of the five standard names, in any case;
- rate limits are in ``limits`` notation (``10/minute``), proxies IPs or networks;
- a variable with the prefix that is no setting is named with the closest known name
  (``difflib``), so a typo is seen at once; it is a warning, not a refusal, since a stray
  or newer variable in a shared environment must not stop a service.
"""

from __future__ import annotations

import difflib
import ipaddress
import re
from collections.abc import Collection, Iterable
from urllib.parse import urlsplit

from limits import parse as parse_rate_limit

DATABASE_DRIVERS = ("postgresql+asyncpg", "sqlite+aiosqlite")
DATABASE_URL_FORM = (
    "postgresql+asyncpg://user:password@host:5432/database or sqlite+aiosqlite:///path/file.db"
)
REDIS_URL_FORM = "redis://[:password@]host:6379/0 (or rediss:// for TLS)"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
RATE_LIMIT_FORM = "an amount per period such as 10/minute, 100/hour or 5/5minutes"


def redact_url(url: str) -> str:
    """``url`` with the password of its user part (and any ``password=`` parameter) shown as
    ``***``, however malformed the rest: everything between the first ``:`` after the scheme
    and the last ``@`` is taken for the password, so a password with an unescaped ``/`` or
    ``@`` is hidden too (at worst, more than the password is)."""
    scheme, separator, rest = url.partition("://") if "://" in url else ("", "", url)
    userinfo, at, location = rest.rpartition("@")
    if at and ":" in userinfo:
        user = userinfo.split(":", 1)[0]
        rest = f"{user}:***@{location}"
    redacted = f"{scheme}{separator}{rest}"
    return re.sub(r"(?i)(password=)[^&]*", r"\1***", redacted)


def database_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a database URL of the service, or None."""
    shown = redact_url(url)
    if "://" not in url:
        return f"is not a URL ({shown}); expected {DATABASE_URL_FORM}"
    try:
        urlsplit(url).port  # noqa: B018 - read for its check
    except ValueError:
        return (
            f"has a port that is not a number from 1 to 65535 ({shown}; special characters in the "
            f"password must be percent-encoded); expected {DATABASE_URL_FORM}"
        )
    scheme = url.partition("://")[0]
    if scheme not in DATABASE_DRIVERS:
        return f"has the unsupported scheme {scheme!r} ({shown}); expected {DATABASE_URL_FORM}"
    if scheme.startswith("postgresql") and not urlsplit(url).path.strip("/"):
        return f"names no database ({shown}); expected {DATABASE_URL_FORM}"
    return None


def redis_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be the Redis URL of the service, or None."""
    shown = redact_url(url)
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 - read for its check
    except ValueError:
        return f"has a port that is not a number from 1 to 65535 ({shown}); expected {REDIS_URL_FORM}"
    if parts.scheme not in ("redis", "rediss"):
        return f"has the unsupported scheme {parts.scheme!r} ({shown}); expected {REDIS_URL_FORM}"
    if not parts.hostname:
        return f"names no host ({shown}); expected {REDIS_URL_FORM}"
    database = parts.path.strip("/")
    if database and not database.isdigit():
        return f"names the database {database!r}, not a number ({shown}); expected {REDIS_URL_FORM}"
    return None


def log_level_problem(level: str) -> str | None:
    if level.upper() in LOG_LEVELS:
        return None
    return f"is {level!r}, not a log level; expected one of {', '.join(LOG_LEVELS)}"


def rate_limit_problem(text: str) -> str | None:
    try:
        parse_rate_limit(text)
    except ValueError:
        return f"is {text!r}, not a rate limit; expected {RATE_LIMIT_FORM}"
    return None


def proxies_problem(entries: Iterable[str]) -> str | None:
    for entry in entries:
        try:
            ipaddress.ip_network(entry.strip(), strict=False)
        except ValueError:
            return (
                f"lists {entry!r}, which is not an IP address or network; "
                "expected comma-separated IPs or CIDRs such as 10.0.0.0/8,::1"
            )
    return None


def closest_name(name: str, known: Collection[str]) -> str:
    """The known name most like ``name`` (there is always one: ``known`` is not empty)."""
    return difflib.get_close_matches(name, known, n=1, cutoff=0.0)[0]
