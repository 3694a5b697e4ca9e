"""Filtering in place: `/` opens a one-line bar; free words search, `key:value` words filter
(grade:A,B owner:li.na since:-7d). What a token means, or why it is refused, shows beside it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label, Static

from crmtui.i18n import N_, _, explain

KeyParser = Callable[[str], Any]
"""Turns a token's value into a filter value, or raises ValueError with the reason."""


@dataclass(frozen=True)
class FilterQuery:
    text: str = ""
    """The words that are not key:value tokens, for a search."""
    values: Mapping[str, Any] = field(default_factory=dict)
    errors: Mapping[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def describe(self) -> str:
        parts = [
            f"{key}:{','.join(map(str, value)) if isinstance(value, tuple) else value}"
            for key, value in self.values.items()
        ]
        if self.text:
            parts.append(f'"{self.text}"')
        return " ".join(parts)


def one_of(options: tuple[str, ...]) -> KeyParser:
    """A key whose value is one of `options`, typed in full or as an unambiguous start."""

    def parse(text: str) -> str:
        text = text.lower()
        found = [option for option in options if option.startswith(text)]
        if text in options:
            return text
        if len(found) != 1:
            raise ValueError(_("one of {options}").format(options=", ".join(options)))
        return found[0]

    return parse


def some_of(options: tuple[str, ...]) -> KeyParser:
    """A key taking one or more of `options`, comma-separated (severity:high,critical), each
    typed in full or as an unambiguous start."""
    one = one_of(options)

    def parse(text: str) -> tuple[str, ...]:
        found = tuple(dict.fromkeys(one(part) for part in text.split(",") if part.strip()))
        if not found:
            raise ValueError(_("one or more of {options}").format(options=", ".join(options)))
        return found

    return parse


def grades(text: str) -> tuple[str, ...]:
    """grade:A or grade:A,B."""
    found = tuple(dict.fromkeys(g.strip().upper() for g in text.split(",") if g.strip()))
    if not found or any(g not in ("A", "B", "C", "D", "E") for g in found):
        raise ValueError(_("grades A–E, e.g. grade:A,B"))
    return found


def parse_filter(text: str, keys: Mapping[str, KeyParser]) -> FilterQuery:
    """Split typed filter text into search words and checked key:value filters."""
    words, values, errors = [], {}, {}
    for token in (text or "").split():
        key, sep, raw = token.partition(":")
        if sep and key.lower() in keys:
            key = key.lower()
            if not raw:
                errors[key] = _("{key}: needs a value").format(key=key)
                continue
            try:
                values[key] = keys[key](raw)
            except ValueError as error:
                errors[key] = f"{key}: {explain(error)}"
        elif sep and key and not key.isdigit() and key.isascii() and key.isalpha():
            errors[key] = _("unknown filter {key}:; use {keys}").format(
                key=key, keys=", ".join(f"{k}:" for k in keys)
            )
        else:
            words.append(token)
    return FilterQuery(text=" ".join(words), values=values, errors=errors)


class FilterBar(Horizontal):
    """A hidden-until-used filter line. Posts Changed as you type, Done on enter or escape."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear", N_("Clear filter"), id="filter-clear"),
    ]

    DEFAULT_CSS = """
    FilterBar {
        height: 1;
        display: none;
        background: $boost;
    }
    FilterBar.-open {
        display: block;
    }
    FilterBar > Label {
        width: 2;
        color: $text-accent;
        padding-left: 1;
    }
    FilterBar > Input {
        width: 1fr;
    }
    FilterBar > .filter-note {
        width: auto;
        max-width: 50%;
        padding: 0 1;
        color: $text-muted;
    }
    FilterBar > .filter-note.-error {
        color: $text-error;
    }
    """

    class Changed(Message):
        def __init__(self, bar: FilterBar, query: FilterQuery) -> None:
            super().__init__()
            self.bar = bar
            self.query = query

        @property
        def control(self) -> FilterBar:
            return self.bar

    class Done(Message):
        """Enter (keep the filter) or escape (cleared): give the list its focus back."""

        def __init__(self, bar: FilterBar) -> None:
            super().__init__()
            self.bar = bar

        @property
        def control(self) -> FilterBar:
            return self.bar

    def __init__(
        self,
        keys: Mapping[str, KeyParser] | None = None,
        *,
        placeholder: str = "",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.keys = dict(keys or {})
        self.placeholder = placeholder
        self.current = FilterQuery()

    def compose(self) -> ComposeResult:
        yield Label("/")
        yield Input(placeholder=self.placeholder, compact=True, select_on_focus=False)
        yield Static("", classes="filter-note", markup=False)

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def open(self) -> None:
        self.add_class("-open")
        self.input.focus()

    def toggle_word(self, word: str) -> None:
        """Add a filter word, or take it out if it is there; the bar shows, the focus stays."""
        words = self.input.value.split()
        kept = [w for w in words if w.lower() != word.lower()]
        self.input.value = " ".join(kept if len(kept) < len(words) else [*words, word])
        self.set_class(bool(self.input.value), "-open")

    def action_clear(self) -> None:
        had_text = bool(self.input.value)
        self.input.value = ""
        self.remove_class("-open")
        if not had_text:
            self._changed("")
        self.post_message(self.Done(self))

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._changed(event.value)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not self.input.value:
            self.remove_class("-open")
        self.post_message(self.Done(self))

    def _changed(self, text: str) -> None:
        self.current = parse_filter(text, self.keys)
        note = self.query_one(".filter-note", Static)
        if self.current.errors:
            note.update("; ".join(self.current.errors.values()))
        elif self.keys and not text:
            note.update(" ".join(f"{k}:" for k in self.keys))
        else:
            note.update("")
        note.set_class(bool(self.current.errors), "-error")
        self.post_message(self.Changed(self, self.current))
