"""The migration revisions this release knows, read from the scripts' text.

Every process start asks which revisions exist and which are the heads (``schema_check``).
Alembic's ``ScriptDirectory`` answers by importing Alembic, Mako and every script: about
8 MB of a server process that never migrates. Each script declares ``revision`` and
``down_revision`` as a literal assignment on a line of its own (Alembic's template), so
those two lines are read without running the script (a whole syntax tree of every script
would cost the memory this saves). ``tests/contract/test_migrations.py`` checks that the answer
is Alembic's.
"""

from __future__ import annotations

import ast
from pathlib import Path


def _migrations_dir() -> Path:
    """The top-level ``migrations/`` of a source checkout, or the copy the wheel packs into
    the installed package (``aquastream/migrations``)."""
    packaged = Path(__file__).resolve().parents[2] / "migrations"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[4] / "migrations"


MIGRATIONS_DIR = _migrations_dir()


def script_revisions(directory: Path = MIGRATIONS_DIR) -> dict[str, frozenset[str]]:
    """Each revision and the revisions it follows."""
    found: dict[str, frozenset[str]] = {}
    for path in sorted((directory / "versions").glob("*.py")):
        declared = _declared(path.read_text(encoding="utf-8"))
        revision = declared.get("revision")
        if not isinstance(revision, str):
            raise ValueError(f"{path.name} declares no revision")
        follows = declared.get("down_revision")
        if follows is None:
            found[revision] = frozenset()
        elif isinstance(follows, str):
            found[revision] = frozenset({follows})
        elif isinstance(follows, tuple | list):
            found[revision] = frozenset(str(earlier) for earlier in follows)
        else:
            raise ValueError(f"{path.name} declares an unreadable down_revision")
    return found


def heads(revisions: dict[str, frozenset[str]]) -> frozenset[str]:
    """The revisions nothing follows yet: what a database of this release is migrated to."""
    followed = {earlier for follows in revisions.values() for earlier in follows}
    return frozenset(revisions) - followed


def _declared(text: str) -> dict[str, object]:
    values: dict[str, object] = {}
    for line in text.splitlines():
        name, equals, value = line.partition("=")
        name = name.split(":")[0].strip()
        if equals and name in ("revision", "down_revision") and not line[:1].isspace():
            values[name] = ast.literal_eval(value.strip())
    return values
