"""The revisions a serving process reads from the scripts' text are Alembic's, and reading
them (the schema check at start) does not import Alembic."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from alembic.script import ScriptDirectory

from aquastream.adapters.sql.migrate import migration_config
from aquastream.adapters.sql.revisions import heads, script_revisions


def test_the_revisions_read_from_the_scripts_are_alembic_s() -> None:
    script = ScriptDirectory.from_config(migration_config())
    alembic_s = {
        revision.revision: frozenset(revision._all_down_revisions) for revision in script.walk_revisions()
    }

    assert script_revisions() == alembic_s
    assert heads(script_revisions()) == frozenset(script.get_heads())


def test_a_branch_point_and_a_merge_are_read(tmp_path: Path) -> None:
    versions = tmp_path / "versions"
    versions.mkdir()
    scripts = {
        "a": 'revision = "a"\ndown_revision = None\n',
        "b": 'revision: str = "b"\ndown_revision: str | None = "a"\n',
        "c": 'revision = "c"\ndown_revision = "a"\n',
        "d": 'revision = "d"\ndown_revision = ("b", "c")\n',
        "e": 'revision = "e"\ndown_revision = "d"\n',
        "f": 'revision = "f"\ndown_revision = "d"\n',
    }
    for name, text in scripts.items():
        (versions / f"{name}.py").write_text('"""A script."""\nimport sqlalchemy\n' + text)

    revisions = script_revisions(tmp_path)

    assert revisions["d"] == {"b", "c"}
    assert revisions["a"] == frozenset()
    assert heads(revisions) == {"e", "f"}


def test_the_schema_check_does_not_import_alembic() -> None:
    program = textwrap.dedent(
        """
        import asyncio, sys
        from sqlalchemy.ext.asyncio import create_async_engine
        from aquastream.adapters.sql.schema_check import SchemaCheck

        async def main():
            engine = create_async_engine("sqlite+aiosqlite://")
            try:
                await SchemaCheck(engine).check()
            except Exception as error:
                print(type(error).__name__)
            await engine.dispose()

        asyncio.run(main())
        print("alembic" in sys.modules)
        """
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["SchemaBehind", "False"]
