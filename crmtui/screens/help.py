"""`?`: every key, written from the one key table (crmtui.keys) with the config file's [keys]
remappings; it opens at the section of the screen it was called from, and `/` searches it."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from crmtui.i18n import N_, _
from crmtui.keys import KEY_TABLE, SECTIONS, KeyUse, section_entries
from crmtui.widgets.footer import KeysFooter


def known_binding_ids() -> set[str]:
    """Every binding id the [keys] table of the config file may remap."""
    return {binding_id for use in KEY_TABLE if not use.planned for binding_id in use.ids}


def shown_keys(app, use: KeyUse) -> str:
    """The entry's keys as the user presses them: remapped when the config file remaps one of
    its bindings."""
    keymap = getattr(app, "keymap", {}) or {}
    keys: list[str] = list(use.keys)
    remapped = [keymap[binding_id] for binding_id in use.ids if binding_id in keymap]
    if remapped:
        keys = [key.strip() for key in remapped[0].split(",") if key.strip()]
    binding = Binding(keys[0], "")
    return " ".join(app.get_key_display(replace(binding, key=key)) for key in keys)


class HelpScreen(ModalScreen[None]):
    """Every key, section by section, opened at `section`."""

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
    HelpScreen #help-search {
        display: none;
        margin: 0 1;
    }
    HelpScreen.-searching #help-search {
        display: block;
    }
    HelpScreen VerticalScroll {
        padding: 0 1;
    }
    HelpScreen .help-section {
        margin-bottom: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark", "close", N_("Close"), id="help-close"),
        Binding(
            "slash",
            "search",
            N_("Search"),
            id="help-search",
            tooltip=N_("show only the keys whose words match"),
        ),
        Binding("j,down", "scroll_down", N_("Down"), show=False, id="help-down"),
        Binding("k,up", "scroll_up", N_("Up"), show=False, id="help-up"),
    ]

    def __init__(self, section: str = "everywhere") -> None:
        super().__init__()
        self.section = section if any(s.name == section for s in SECTIONS) else "everywhere"
        self.words: list[str] = []

    def compose(self) -> ComposeResult:
        box = Vertical(id="help")
        box.border_title = _("Keys")
        with box:
            yield Input(
                placeholder=_("search the keys: words or a key"), id="help-search", compact=True
            )
            with VerticalScroll(id="help-scroll"):
                for section in SECTIONS:
                    yield Static("", id=f"keys-{section.name}", classes="help-section")
                yield Static(
                    Text(
                        _(
                            "Remap a key in the config file's [keys] table by its id, "
                            'e.g. log = "L". Ids: {ids}'
                        ).format(ids=", ".join(sorted(known_binding_ids()))),
                        style="dim",
                    ),
                    id="help-ids",
                )
        yield KeysFooter()

    def on_mount(self) -> None:
        self._fill()
        self.query_one("#help-scroll").focus()
        self.call_after_refresh(self._open_at_section)

    def _open_at_section(self) -> None:
        target = self.query_one(f"#keys-{self.section}", Static)
        self.query_one("#help-scroll", VerticalScroll).scroll_to_widget(
            target, animate=False, top=True, immediate=True
        )

    def _matches(self, use: KeyUse, keys: str, meaning: str) -> bool:
        if not self.words:
            return True
        haystack = " ".join(
            (
                keys,
                meaning,
                _(use.meaning) if meaning != use.meaning else "",
                use.meaning,
                " ".join(use.ids),
            )
        ).casefold()
        return all(word in haystack for word in self.words)

    def section_table(self, name: str) -> Table | None:
        """The section's keys that match the search, or None when none does."""
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True, style="bold", min_width=10)
        table.add_column()
        rows = 0
        for use in section_entries(name):
            keys, meaning = shown_keys(self.app, use), _(use.meaning)
            if self._matches(use, keys, meaning):
                table.add_row(keys, Text(meaning))
                rows += 1
        return table if rows else None

    def _fill(self) -> None:
        for section in SECTIONS:
            static = self.query_one(f"#keys-{section.name}", Static)
            table = self.section_table(section.name)
            static.display = table is not None
            if table is None:
                continue
            title = Text(_(section.title), style="bold underline")
            if section.name == self.section and not self.words:
                title.append("  " + _("(this screen)"), style="dim")
            grid = Table.grid()
            grid.add_row(title)
            grid.add_row(table)
            static.update(grid)

    # -- keys -------------------------------------------------------------------------------
    def action_close(self) -> None:
        search = self.query_one("#help-search", Input)
        if self.has_class("-searching") and self.focused is search:
            # escape in the search box ends the search first
            self._end_search()
            return
        self.dismiss(None)

    def action_search(self) -> None:
        self.add_class("-searching")
        self.query_one("#help-search", Input).focus()

    def _end_search(self) -> None:
        search = self.query_one("#help-search", Input)
        search.value = ""
        self.remove_class("-searching")
        self.query_one("#help-scroll").focus()

    @on(Input.Changed, "#help-search")
    def _searched(self, event: Input.Changed) -> None:
        self.words = event.value.casefold().split()
        self._fill()
        self.query_one("#help-scroll", VerticalScroll).scroll_home(animate=False)

    @on(Input.Submitted, "#help-search")
    def _search_done(self) -> None:
        self.query_one("#help-scroll").focus()

    def action_scroll_down(self) -> None:
        self.query_one("#help-scroll", VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        self.query_one("#help-scroll", VerticalScroll).scroll_up()
