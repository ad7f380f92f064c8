"""The README's configuration table is the one the code documents (it cannot drift)."""

from __future__ import annotations

from pathlib import Path

from aquastream.settings import settings_table

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_lists_every_setting_as_the_code_documents_it() -> None:
    assert settings_table() in README.read_text(encoding="utf-8")
