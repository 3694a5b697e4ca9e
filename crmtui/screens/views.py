"""The top-level screens, each a Textual mode with a key of its own.

Adding a screen is one line here (and its module): the app builds its modes, the keys that switch
to them, the command palette's `view:` entries and the help page from this list.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from textual.screen import Screen

from crmtui.i18n import N_


@dataclass(frozen=True)
class View:
    name: str
    """The mode's name, also the binding id `view-<name>` for remapping its key."""
    title: str
    """An English msgid: shown as _(title)."""
    key: str
    """The default key that switches to it."""
    screen: str
    """Where the screen class lives, as `module:Class` (imported when first shown)."""
    description: str = ""
    roles: frozenset[str] | None = None
    """Roles that may open it; None for everyone."""

    def screen_class(self) -> type[Screen]:
        module, _sep, name = self.screen.partition(":")
        return getattr(importlib.import_module(module), name)

    def make(self) -> Screen:
        return self.screen_class()()

    def allows(self, role: str) -> bool:
        return self.roles is None or role in self.roles


VIEWS: tuple[View, ...] = (
    View("today", N_("Today"), "1", "crmtui.screens.today:TodayScreen", N_("what is due today")),
    View(
        "customers",
        N_("Customers"),
        "2",
        "crmtui.screens.customers:CustomersScreen",
        N_("every customer, sorted and filtered"),
    ),
    View(
        "interactions",
        N_("Interactions"),
        "3",
        "crmtui.screens.interactions:InteractionsScreen",
        N_("the contact log across customers"),
    ),
    View(
        "complaints",
        N_("Complaints"),
        "4",
        "crmtui.screens.complaints:ComplaintsScreen",
        N_("the complaints queue, most urgent first"),
    ),
    View(
        "dashboard",
        N_("Dashboard"),
        "5",
        "crmtui.screens.dashboard:DashboardScreen",
        N_("grades, movement, 80/20, conversion, satisfaction, service levels"),
    ),
)


def view_named(name: str) -> View:
    return next(view for view in VIEWS if view.name == name)
