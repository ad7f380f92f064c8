"""The per-domain import contracts of pyproject.toml are written alike: every domain has one,
and each forbids exactly the code of the other domains. lint-imports checks each contract as it
is written; a domain left out of another's forbidden list, or a new domain without a contract,
would weaken the rule without breaking anything it runs."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SHARED = {"shared", "__pycache__"}


def _domains() -> set[str]:
    return {p.name for p in (ROOT / "src/aquastream/domain").iterdir() if p.is_dir()} - SHARED


def _domain_contracts() -> dict[str, dict[str, Any]]:
    """The contracts whose sources are one domain's code (``aquastream.*.<domain>``), by domain."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    found = {}
    for contract in config["tool"]["importlinter"]["contracts"]:
        for module in contract.get("source_modules", []):
            if module.startswith("aquastream.*."):
                found[module.removeprefix("aquastream.*.")] = contract
    return found


def test_every_domain_has_its_import_contract() -> None:
    assert set(_domain_contracts()) == _domains()


def test_each_domain_is_forbidden_the_code_of_every_other_domain() -> None:
    contracts = _domain_contracts()
    for domain, contract in contracts.items():
        others = {m for d, c in contracts.items() if d != domain for m in c["source_modules"]}
        assert set(contract["forbidden_modules"]) == others, domain
