"""crmtui uses Textual's public API only (issue 17 item 7): no private Textual module or name is
imported, no class of crmtui overrides or touches a private name its Textual base defines, and no
private Textual attribute is read through another object. A Textual upgrade may change anything
private without notice; the version is pinned, but an upgrade should be a one-line change.

Textual calls `_on_*`, `_watch_*`, `_validate_*` and `_compute_*` methods by naming convention as
it does the public forms; a crmtui class may define them for names of its own (they are not
flagged unless a Textual base defines the same name). crmtui uses the public forms.
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import pkgutil
import textwrap
from collections.abc import Iterator
from pathlib import Path

import textual
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

import crmtui
from crmtui.app import CrmApp
from crmtui.rules import DueItem
from crmtui.screens.today import TodayScreen
from crmtui.services.worklist import snooze_refusal
from crmtui.widgets.due_list import DueList
from crmtui.widgets.localized import own_bindings_of_key
from tests.app.conftest import press, settle

TEXTUAL = Path(textual.__file__).parent
CRMTUI = Path(crmtui.__file__).parent

# Uses that remain, each with why; the test fails when one more appears and when one of these
# goes (then strike it here).
KNOWN = {
    # the bindings' descriptions in the interface language, chosen at start-up: Textual merges
    # BINDINGS into each node's private map when the class is made, with no public way to change
    # a description afterwards
    "crmtui.app.CrmApp._bindings",
    "crmtui.widgets.localized.LocalizedBindings._bindings",
}


def private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def crmtui_modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(CRMTUI.rglob("*.py")):
        parts = path.relative_to(CRMTUI.parent).with_suffix("").parts
        yield ".".join(parts), parsed(path)


def on_self(node: ast.AST) -> str | None:
    """The private attribute `node` reads or writes on self or cls, if it does."""
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in ("self", "cls")
        and private(node.attr)
    ):
        return node.attr
    return None


def members(statements: list[ast.stmt]) -> set[str]:
    """The names a class body (or a module) defines itself: functions, classes, attributes."""
    names: set[str] = set()
    for statement in statements:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(statement.name)
        elif isinstance(statement, (ast.Assign, ast.AnnAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            names.update(target.id for target in targets if isinstance(target, ast.Name))
    return names


def names_in(tree: ast.AST) -> set[str]:
    """Private names `tree` gives classes and their objects: what its class bodies define and
    what its methods use on self/cls."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            names |= members(node.body)
        elif attribute := on_self(node):
            names.add(attribute)
    return {name for name in names if private(name)}


@functools.cache
def class_names(cls: type) -> frozenset[str]:
    """The private names of a class's own source: its members and what it uses on self/cls."""
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):
        return frozenset()
    (definition,) = ast.parse(source).body
    assert isinstance(definition, ast.ClassDef)
    return frozenset(names_in(definition))


def from_textual(cls: type) -> bool:
    return cls.__module__.split(".")[0] == "textual"


def textual_private_names(cls: type) -> set[str]:
    """Private names the Textual classes among `cls`'s bases define or keep on their objects."""
    names: set[str] = set()
    for base in cls.__mro__:
        if from_textual(base):
            names.update(name for name in vars(base) if private(name))
            names.update(class_names(base))
    return names


@functools.cache
def every_textual_private_name() -> frozenset[str]:
    names: set[str] = set()
    for path in TEXTUAL.rglob("*.py"):
        names |= names_in(parsed(path))
    return frozenset(names)


def imports_textual(tree: ast.Module) -> bool:
    return any(
        (isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "textual")
        or (
            isinstance(node, ast.Import)
            and any(alias.name.split(".")[0] == "textual" for alias in node.names)
        )
        for node in ast.walk(tree)
    )


def crmtui_classes() -> list[type]:
    classes = []
    for module_info in pkgutil.walk_packages(crmtui.__path__, "crmtui."):
        if module_info.name.endswith("__main__"):  # importing it runs crmtui
            continue
        module = importlib.import_module(module_info.name)
        classes += [
            value
            for value in vars(module).values()
            if inspect.isclass(value) and value.__module__ == module.__name__
        ]
    return classes


def test_no_private_textual_module_or_name_is_imported():
    found = []
    for module, tree in crmtui_modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [
                    f"{module}: import {alias.name}"
                    for alias in node.names
                    if alias.name.split(".")[0] == "textual"
                    and any(private(part) for part in alias.name.split("."))
                ]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                parts = node.module.split(".")
                if parts[0] != "textual":
                    continue
                found += [
                    f"{module}: from {node.module} import {alias.name}"
                    for alias in node.names
                    if any(private(part) for part in parts) or private(alias.name)
                ]
    assert found == []


def test_no_class_overrides_or_uses_a_private_name_of_its_textual_base():
    found = set()
    for cls in crmtui_classes():
        textual_names = textual_private_names(cls)
        if not textual_names:
            continue
        for own in cls.__mro__:  # crmtui's mixins too (LocalizedBindings)
            if own.__module__.split(".")[0] != "crmtui":
                continue
            found.update(
                f"{own.__module__}.{own.__qualname__}.{name}"
                for name in class_names(own) & textual_names
            )
    assert sorted(found - KNOWN) == [], "a private Textual name; use the public API"
    assert sorted(KNOWN - found) == [], "no longer used: strike it from KNOWN"


def test_no_private_textual_attribute_is_read_through_another_object():
    """`screen._binding_chain`, `app._exception`: a private name of Textual's, read on something
    other than self, where crmtui defines no name like it."""
    modules = list(crmtui_modules())
    crmtui_names = set().union(*(names_in(tree) for _module, tree in modules))
    textual_names = every_textual_private_name() - crmtui_names
    found = []
    for module, tree in modules:
        if not imports_textual(tree):
            continue
        found += [
            f"{module}:{node.lineno}: .{node.attr}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute)
            and node.attr in textual_names
            and on_self(node) is None
        ]
    assert found == []


# -- what replaced Screen._binding_chain ---------------------------------------------------------

class BaseKeys(Screen):
    BINDINGS = [
        Binding("s", "snooze", "Snooze", id="snooze"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("d", "drop", "Drop", id="drop"),
    ]


class HidingKeys(BaseKeys):
    BINDINGS = [Binding("d", "delete", "Delete", id="delete"), Binding("n", "new", "New")]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "snooze"  # hidden from the footer, and from active_bindings


class RemappedApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.keymap = {"snooze": "z, ctrl+s", "help": "!"}  # as the config file's [keys]

    def on_mount(self) -> None:
        self.set_keymap(self.keymap)
        self.push_screen(HidingKeys())


def actions(screen: Screen, key: str) -> list[str]:
    return [binding.action for binding in own_bindings_of_key(screen, key)]


async def test_a_screens_own_keys_follow_the_keymap_hidden_or_not():
    app = RemappedApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        screen = app.screen
        assert actions(screen, "z") == actions(screen, "ctrl+s") == ["snooze"]
        assert actions(screen, "s") == []  # remapped away
        assert actions(screen, "exclamation_mark") == ["help"]
        assert actions(screen, "d") == ["delete"]  # the subclass's binding of the key wins
        assert actions(screen, "x") == []
        # the bindings Textual offers now are among them, key for key
        offered = {
            key: active.binding.action
            for key, active in screen.active_bindings.items()
            if active.node is screen
        }
        assert {"exclamation_mark": "help", "d": "delete", "n": "new"}.items() <= offered.items()
        assert "z" not in offered  # check_action hides it: the reason for the helper
        for key, action in offered.items():
            assert actions(screen, key) == [action]


async def test_on_today_snooze_left_out_of_the_footer_still_says_why(world_ctx):
    app = CrmApp(world_ctx)
    said: list[str] = []
    notify = app.notify
    app.notify = lambda message, **options: (said.append(message), notify(message, **options))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        due = screen.query_one(DueList)
        for _step in range(len(due.items)):
            item = due.highlighted_item
            if isinstance(item, DueItem) and snooze_refusal(item.kind):
                break
            await press(pilot, "j")
        else:
            raise AssertionError("no item on Today that cannot be snoozed")
        assert "s" not in screen.active_bindings  # left out of the footer
        await press(pilot, "s")
        assert app.screen is screen
        assert said == [snooze_refusal(item.kind)]
