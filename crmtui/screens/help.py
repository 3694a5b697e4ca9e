"""`?`: every key of every screen, as remapped by the config file's [keys] table."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar, Iterable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from crmtui.i18n import N_, _
from crmtui.screens.views import VIEWS
from crmtui.widgets.localized import LocalizedBindings


def _bindings(*classes: type[DOMNode]) -> list[Binding]:
    """The described bindings crmtui's own classes define (subclasses first), not Textual's."""
    seen: dict[str, Binding] = {}
    for cls in classes:
        for base in cls.__mro__:
            if not base.__module__.startswith("crmtui"):
                continue
            for binding in base.__dict__.get("BINDINGS", []):
                if isinstance(binding, Binding) and binding.description and not binding.system:
                    for key in binding.key.split(","):
                        seen.setdefault(key.strip(), binding)
    unique: dict[int, Binding] = {}
    for binding in seen.values():
        unique.setdefault(id(binding), binding)
    return list(unique.values())


def key_sections() -> list[tuple[str, list[Binding]]]:
    """(section title, bindings) for the app, every view, the profile, lists, filters, forms;
    the bindings' descriptions are English msgids."""
    from crmtui.app import CrmApp
    from crmtui.screens.complaint import ComplaintScreen
    from crmtui.screens.dialogs.customer import CustomerForm
    from crmtui.screens.dialogs.form import FormDialog
    from crmtui.screens.profile import ProfileScreen
    from crmtui.widgets.due_list import DueList
    from crmtui.widgets.filter_bar import FilterBar
    from crmtui.widgets.lists import ListTable

    everywhere = _bindings(CrmApp) + [
        Binding("ctrl+p", "command_palette", N_("Command palette: screens, actions, customers")),
        Binding("ctrl+q", "quit", N_("Quit (also from a form)")),
    ]
    sections = [(_("Everywhere"), everywhere)]
    for view in VIEWS:
        screen = view.screen_class()
        sections.append((_(view.title), _bindings(screen, *getattr(screen, "HELP_WIDGETS", ()))))
    sections += [
        (_("Complaint"), _bindings(ComplaintScreen)),
        (_("Customer profile"), _bindings(ProfileScreen)),
        (_("Lists"), _bindings(ListTable, DueList) + [
            Binding("up,down", "", N_("Move")),
            Binding("pageup,pagedown", "", N_("Page up / down")),
        ]),
        (_("Filter bar"), _bindings(FilterBar) + [
            Binding("enter", "", N_("Keep the filter, back to the list")),
        ]),
        (_("Forms"), _bindings(FormDialog, CustomerForm) + [
            Binding("tab,enter", "", N_("Next field")),
            Binding("shift+tab", "", N_("Previous field")),
        ]),
    ]
    return sections


def known_binding_ids() -> set[str]:
    """Every binding id the [keys] table of the config file may remap."""
    return {binding.id for _title, bindings in key_sections() for binding in bindings
            if binding.id}


class HelpScreen(LocalizedBindings, ModalScreen[None]):
    """Every key, screen by screen."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        background: $background 60%;
    }
    HelpScreen > #help {
        width: 100%;
        max-width: 100;
        height: 100%;
        border: round $primary;
        border-title-style: bold;
        background: $surface;
    }
    HelpScreen VerticalScroll {
        padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", N_("Close"), id="help-close"),
        Binding("j,down", "scroll_down", N_("Down"), show=False, id="help-down"),
        Binding("k,up", "scroll_up", N_("Up"), show=False, id="help-up"),
    ]

    def compose(self) -> ComposeResult:
        box = Vertical(id="help")
        box.border_title = _("Keys")
        with box:
            with VerticalScroll():
                yield Static(self._table(), id="help-text")
                yield Static(Text(_("Remap a key in the config file's [keys] table by its id, "
                                    "e.g. log = \"L\". Ids: {ids}").format(
                    ids=", ".join(sorted(known_binding_ids()))), style="dim"), id="help-ids")
        yield Footer()

    def _display(self, binding: Binding) -> str:
        keymap = getattr(self.app, "keymap", {}) or {}
        if binding.id and binding.id in keymap:
            binding = replace(binding, key=keymap[binding.id], key_display=None)
        keys: Iterable[str] = [key.strip() for key in binding.key.split(",")]
        return " ".join(self.app.get_key_display(replace(binding, key=key, key_display=None))
                        for key in keys)

    def _table(self) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True, style="bold", min_width=14)
        table.add_column()
        for title, bindings in key_sections():
            table.add_row(Text(title, style="bold underline"), "")
            for binding in bindings:
                line = Text(_(binding.description))
                if binding.tooltip:
                    line.append(" — " + _(binding.tooltip), style="dim")
                table.add_row(self._display(binding), line)
            table.add_row("", "")
        return table

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll_down(self) -> None:
        self.query_one(VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        self.query_one(VerticalScroll).scroll_up()
