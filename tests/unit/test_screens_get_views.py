"""Screens and widgets get view objects from the services, never live database rows (issue 17,
item 5): a screen that holds a peewee model can follow its relations and query the database
from the interface thread, and only sees what the service happened to join.

The check reads every `from crmtui.services… import name` in crmtui/screens, crmtui/widgets, the
app and the palette (deferred imports included: they are where most calls are made) and follows each service
function's return annotation through unions, containers, dataclasses and named tuples down to
its leaves; a peewee Model anywhere in there fails. Annotations are what mypy holds the services
to (strict), so reading them is as exact as the type checker, and it needs no database."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import types
import typing
from collections.abc import Iterator
from pathlib import Path

import peewee

from crmtui.db import Customer

ROOT = Path(__file__).resolve().parents[2]
INTERFACE = ("crmtui/screens", "crmtui/widgets", "crmtui/app.py", "crmtui/palette.py")


def service_imports() -> Iterator[tuple[str, str, str]]:
    """(file, module, name) for each service name the interface imports."""
    for folder in INTERFACE:
        top = ROOT / folder
        for path in sorted(top.rglob("*.py")) if top.is_dir() else [top]:
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                where = str(path.relative_to(ROOT))
                if isinstance(node, ast.Import):
                    for alias in node.names:
                        assert not alias.name.startswith("crmtui.services"), (
                            f"{where}: import service names (from … import f), so this check "
                            "can see them"
                        )
                elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "crmtui.services"
                ):
                    for alias in node.names:
                        yield where, node.module or "", alias.name


def models_in(hint: object, seen: set[int] | None = None) -> Iterator[str]:
    """The peewee models a type hint can carry, following containers and view classes."""
    seen = set() if seen is None else seen
    if id(hint) in seen:
        return
    seen.add(id(hint))
    if isinstance(hint, list):  # a Callable's parameters
        for argument in hint:
            yield from models_in(argument, seen)
        return
    if isinstance(hint, type) and issubclass(hint, peewee.Model):
        yield hint.__name__
        return
    for argument in typing.get_args(hint):
        yield from models_in(argument, seen)
    origin = typing.get_origin(hint)
    if origin is not None or not isinstance(hint, type):
        return
    if dataclasses.is_dataclass(hint) or (issubclass(hint, tuple) and hasattr(hint, "_fields")):
        for field_hint in hints_of(hint).values():
            yield from models_in(field_hint, seen)


def checking_only_names(module: types.ModuleType) -> dict[str, object]:
    """The names a module imports only for the type checker (under `if TYPE_CHECKING:`)."""
    names: dict[str, object] = {}
    tree = ast.parse(inspect.getsource(module))
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            exec(compile(ast.Module(body=node.body, type_ignores=[]), module.__name__, "exec"),
                 names)
    names.pop("__builtins__", None)
    return names


def hints_of(value: object) -> dict[str, object]:
    module = inspect.getmodule(value)
    assert module is not None, value
    return typing.get_type_hints(value, localns=checking_only_names(module))


def returned_models(function: types.FunctionType) -> list[str]:
    hints = hints_of(function)
    assert "return" in hints, f"{function.__qualname__} has no return annotation"
    return sorted(set(models_in(hints["return"])))


@dataclasses.dataclass
class Holder:
    rows: list[Customer | None]


def test_the_check_finds_a_model_behind_a_container_or_a_view() -> None:
    assert list(models_in(dict[str, tuple[int, Holder]])) == ["Customer"]
    assert list(models_in(int | str | None)) == []


def test_service_functions_the_screens_call_return_no_models() -> None:
    crossing: dict[str, list[str]] = {}
    checked = 0
    for where, module_name, name in service_imports():
        value = getattr(importlib.import_module(module_name), name)
        if not inspect.isfunction(value):
            continue  # classes, constants and exceptions are not results
        checked += 1
        if models := returned_models(value):
            crossing[f"{module_name}.{name}"] = models
    assert checked > 50, checked  # the walk found the screens' service calls
    assert crossing == {}, f"service functions that hand the screens a model: {crossing}"
