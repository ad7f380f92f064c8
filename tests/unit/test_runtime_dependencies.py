"""Every library the application imports is one its package declares, directly or through a
declared package's own requirements: the container installs the runtime dependencies alone
(``uv sync --no-dev``), where a library present only for the tests is missing.

(``cryptography`` was imported by the ticket signer and the sealed secrets while only the
test tools brought it: the container could not have started.)
"""

from __future__ import annotations

import ast
import sys
from importlib.metadata import PackageNotFoundError, distribution, packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

SOURCE = Path(__file__).resolve().parents[2] / "src" / "aquastream"


def _runtime_distributions() -> set[str]:
    """The distributions ``aquastream`` needs at run time, with the extras it asks for."""
    found: set[str] = set()
    pending: list[tuple[str, frozenset[str]]] = [("aquastream", frozenset())]
    seen: set[tuple[str, frozenset[str]]] = set()
    while pending:
        name, extras = pending.pop()
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        found.add(name)
        try:
            requirements = distribution(name).requires or []
        except PackageNotFoundError:
            continue  # declared for another platform or Python: not installed here
        for text in requirements:
            requirement = Requirement(text)
            marker = requirement.marker
            if marker is not None and not any(marker.evaluate({"extra": extra}) for extra in extras or {""}):
                continue
            pending.append((canonicalize_name(requirement.name), frozenset(requirement.extras)))
    return found


def _run_time_nodes(tree: ast.AST) -> list[ast.AST]:
    """The nodes of ``tree`` but those under ``if TYPE_CHECKING:`` (read by the type checker
    alone: the stubs it needs are development dependencies)."""
    nodes: list[ast.AST] = []
    pending = [tree]
    while pending:
        node = pending.pop()
        nodes.append(node)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            pending.extend(node.orelse)
            continue
        pending.extend(ast.iter_child_nodes(node))
    return nodes


def _imported_top_level_modules() -> dict[str, Path]:
    """Each third-party top-level module the source imports at run time (at the top of a
    module or in a function), with a file that imports it."""
    modules: dict[str, Path] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        for node in _run_time_nodes(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top != "aquastream" and top not in sys.stdlib_module_names:
                    modules.setdefault(top, path)
    return modules


def test_every_imported_library_is_a_declared_runtime_dependency() -> None:
    runtime = _runtime_distributions()
    providers = packages_distributions()
    imported = _imported_top_level_modules()
    assert {"litestar", "sqlalchemy", "cryptography"} <= set(imported)

    undeclared = {
        module: str(path.relative_to(SOURCE.parent))
        for module, path in imported.items()
        if not {canonicalize_name(d) for d in providers.get(module, [])} & runtime
    }

    assert undeclared == {}
