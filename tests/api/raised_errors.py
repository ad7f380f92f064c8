"""What a function can raise, read from its source: the domain errors in its ``raise``
statements and in those of the functions and methods it calls, followed through the
project's own code.

A test's tool, to hold the errors the OpenAPI document declares (``raises`` of use cases,
``opt["raises"]`` of routes) to what the code really raises. It reads calls it can resolve
without running anything: module functions and classes by name, ``self.method``,
``Class(...).method``, ``self._attribute.method`` where ``__init__`` annotates the attribute
with a concrete class. A call through a port (a ``Protocol``) is not followed: errors that
adapters raise (unique indexes, providers) are declared by hand next to the use case.
An ``except`` clause is not read either: an error raised and caught inside counts, which
errs on the safe side (declared but never sent).
"""

from __future__ import annotations

import ast
import builtins
import functools
import inspect
import textwrap
import typing
from collections.abc import Callable, Iterator
from types import FunctionType, ModuleType
from typing import Any

from aquastream.domain.shared.errors import DomainError

# Whose code is followed: the project's (and its tests', which check this module).
PROJECT = ("aquastream.", "tests.")


def raised_by(function: Callable[..., Any], owner: type | None = None) -> set[type[DomainError]]:
    """The domain errors ``function`` (a method of ``owner``, when given) may raise."""
    found: set[type[DomainError]] = set()
    _walk(function, owner, found, set())
    return found


def _walk(function: Any, owner: type | None, found: set[type[DomainError]], seen: set[Any]) -> None:
    function = inspect.unwrap(getattr(function, "__dishka_orig_func__", function))
    if not isinstance(function, FunctionType) or function in seen:
        return
    if not function.__module__.startswith(PROJECT):
        return
    seen.add(function)
    tree = _tree(function)
    if tree is None:
        return
    names = _names(function)
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None:
            target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            error = _resolve(target, names)
            if isinstance(error, type) and issubclass(error, DomainError):
                found.add(error)
        elif isinstance(node, ast.Call):
            for callee, callee_owner in _callees(node.func, names, owner):
                _walk(callee, callee_owner, found, seen)


def _callees(func: ast.expr, names: dict[str, Any], owner: type | None) -> Iterator[tuple[Any, type | None]]:
    if isinstance(func, ast.Name):
        target = names.get(func.id)
        if isinstance(target, type) and target.__module__.startswith(PROJECT):
            yield from _methods(target, "__init__", "__call__")
        elif target is not None:
            yield target, None
        return
    if not isinstance(func, ast.Attribute):
        return
    base = func.value
    cls: type | None = None
    if isinstance(base, ast.Name) and base.id in ("self", "cls") and owner is not None:
        cls = owner
    elif isinstance(base, ast.Call):
        made = _resolve(base.func, names)
        cls = made if isinstance(made, type) else None
    elif (
        isinstance(base, ast.Attribute)
        and isinstance(base.value, ast.Name)
        and base.value.id == "self"
        and owner is not None
    ):
        cls = _attribute_type(owner, base.attr)
    else:
        resolved = _resolve(base, names)
        if isinstance(resolved, type):
            cls = resolved
        elif isinstance(resolved, ModuleType):
            yield getattr(resolved, func.attr, None), None
            return
    if cls is not None and cls.__module__.startswith(PROJECT) and not _is_protocol(cls):
        yield from _methods(cls, func.attr)
    # ``self._collaborator(...)``: the collaborator's ``__call__``.
    if isinstance(base, ast.Name) and base.id == "self" and owner is not None:
        called = _attribute_type(owner, func.attr)
        if called is not None and called.__module__.startswith(PROJECT) and not _is_protocol(called):
            yield from _methods(called, "__call__")


def _methods(cls: type, *names: str) -> Iterator[tuple[Any, type]]:
    for name in names:
        for klass in cls.__mro__:
            if name in vars(klass):
                member = vars(klass)[name]
                yield getattr(member, "__func__", member), cls
                break


def _is_protocol(cls: type) -> bool:
    return bool(getattr(cls, "_is_protocol", False))


@functools.cache
def _attribute_type(owner: type, attribute: str) -> type | None:
    """The class ``__init__`` annotates ``self.<attribute>`` with (through its parameter)."""
    init = vars(owner).get("__init__")
    if not isinstance(init, FunctionType):
        for base in owner.__mro__[1:]:
            if isinstance(vars(base).get("__init__"), FunctionType) and base.__module__.startswith(PROJECT):
                return _attribute_type(base, attribute)
        return None
    tree = _tree(init)
    if tree is None:
        return None
    try:
        hints = typing.get_type_hints(init)
    except Exception:  # an annotation that names what only type checkers see
        return None
    names = _names(init)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            if (
                isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and target.value.id == "self"
                and target.attr == attribute
            ):
                # ``self._x = x`` (the parameter's annotation) or ``self._x = Made(...)``.
                if isinstance(node.value, ast.Name):
                    made = hints.get(node.value.id)
                elif isinstance(node.value, ast.Call):
                    made = _resolve(node.value.func, names)
                else:
                    made = None
                return made if isinstance(made, type) else None
    return None


def _resolve(node: ast.expr, names: dict[str, Any]) -> Any:
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.Attribute):
        base = _resolve(node.value, names)
        return getattr(base, node.attr, None) if base is not None else None
    return None


def _names(function: FunctionType) -> dict[str, Any]:
    names: dict[str, Any] = dict(vars(builtins))
    names.update(function.__globals__)
    closure = inspect.getclosurevars(function)
    names.update(closure.nonlocals)
    return names


@functools.cache
def _tree(function: FunctionType) -> ast.AST | None:
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return None
    return ast.parse(textwrap.dedent(source))
