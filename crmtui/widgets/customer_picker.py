"""Choosing a customer in a form by typing part of a name, company, phone or pinyin initials:
the matches show under the field; `enter` takes the highlighted one (the first, unless ↓/↑
moved), so `zs` `enter` is enough when 张三 comes first.

The picker only asks (Search); the form runs the search and hands back the matches."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from crmtui.cells import clip
from crmtui.i18n import N_
from crmtui.present.text import plain

MATCH_WIDTH = 34
"""Cells of a match when the picker has no size yet."""


@dataclass(frozen=True)
class CustomerMatch:
    id: int
    label: str
    """Name, company and more, as the list shows it."""
    name: str


class CustomerPicker(Vertical):
    """A search input with its matches below. `value` is the chosen customer's id as text
    ('' until one is chosen)."""

    DEFAULT_CSS = """
    CustomerPicker {
        height: auto;
        width: 1fr;
    }
    CustomerPicker > OptionList {
        display: none;
        height: auto;
        max-height: 6;
        border: none;
        padding: 0;
    }
    CustomerPicker.-matches > OptionList {
        display: block;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", N_("Next match"), show=False, id="picker-down"),
        Binding("up", "move(-1)", N_("Previous match"), show=False, id="picker-up"),
    ]

    class Search(Message):
        """The typed text changed: find the customers it matches."""

        def __init__(self, picker: CustomerPicker, text: str) -> None:
            super().__init__()
            self.picker = picker
            self.text = text

        @property
        def control(self) -> CustomerPicker:
            return self.picker

    class Chosen(Message):
        """A customer was chosen (None: the choice was cleared by typing)."""

        def __init__(self, picker: CustomerPicker, match: CustomerMatch | None) -> None:
            super().__init__()
            self.picker = picker
            self.match = match

        @property
        def control(self) -> CustomerPicker:
            return self.picker

    def __init__(self, *, placeholder: str = "", id: str | None = None) -> None:
        super().__init__(id=id)
        self.placeholder = placeholder
        self.matches: list[CustomerMatch] = []
        self.chosen: CustomerMatch | None = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder=self.placeholder, compact=True, select_on_focus=False)
        matches = OptionList(compact=True)
        matches.can_focus = False  # tab goes on to the next field; ↓/↑ move in the matches
        yield matches

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def options(self) -> OptionList:
        return self.query_one(OptionList)

    @property
    def value(self) -> str:
        return str(self.chosen.id) if self.chosen else ""

    def focus(self, scroll_visible: bool = True) -> CustomerPicker:
        self.input.focus(scroll_visible)
        return self

    def show_matches(self, text: str, matches: list[CustomerMatch]) -> None:
        """The search's answer for `text` (ignored when the field says something else now)."""
        if text != self.input.value or self.chosen is not None:
            return
        self.matches = matches
        options = self.options
        options.clear_options()
        width = max(8, (self.size.width or MATCH_WIDTH) - 1)  # one line each, cut to fit
        options.add_options(
            [Option(plain(clip(match.label, width)), id=str(match.id)) for match in matches]
        )
        if matches:
            options.highlighted = 0
        self.set_class(bool(matches), "-matches")

    def choose(self, match: CustomerMatch) -> None:
        self.chosen = match
        self.matches = []
        self.set_class(False, "-matches")
        with self.input.prevent(Input.Changed):
            self.input.value = match.name
        self.input.cursor_position = len(match.name)
        self.post_message(self.Chosen(self, match))

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if self.chosen is not None:
            self.chosen = None
            self.post_message(self.Chosen(self, None))
        text = event.value.strip()
        if not text:
            self.matches = []
            self.set_class(False, "-matches")
            return
        self.post_message(self.Search(self, event.value))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        # enter takes the highlighted match; the form then moves on as after any field
        if self.chosen is None and self.matches:
            index = self.options.highlighted or 0
            self.choose(self.matches[index])

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index < len(self.matches):
            self.choose(self.matches[event.option_index])
        self.input.focus()

    def action_move(self, step: int) -> None:
        if not self.matches:
            return
        options = self.options
        current = options.highlighted or 0
        options.highlighted = max(0, min(len(self.matches) - 1, current + step))
