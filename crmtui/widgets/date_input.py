"""A date field that understands what people type (2026-12-01, today, +3d, fri…) and says, beside
itself, which day that is or what is wrong with it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static, TextArea

from crmtui.i18n import _, explain
from crmtui.labels import weekday_name
from crmtui.plaintext import strip_controls
from crmtui.present.time import MOMENT, span
from crmtui.rules import DateInputError, parse_date, parse_datetime


class FormInput(Input):
    """A form's text input. Entering it selects what it holds, so typing replaces a pre-filled
    value (a Quantity of 1 and a typed 3 is 3, not 13); sent back to it to correct a refused
    value, the cursor goes to the end of the text instead, nothing selected."""

    def __init__(self, value: str = "", **options) -> None:
        super().__init__(value, select_on_focus=True, **options)
        self._correcting = False

    def correct(self) -> None:
        """Focus to fix what was typed: the cursor at its end."""
        self._correcting = True
        self.focus()

    def on_focus(self) -> None:
        # runs before Input's own focus handler, which selects the text when asked to
        if self._correcting:
            self.select_on_focus = False
            self.call_after_refresh(self._corrected)

    def _corrected(self) -> None:
        self._correcting = False
        self.select_on_focus = True
        self.cursor_position = len(self.value)


class FormTextArea(TextArea):
    """A form's text area (summaries, notes): entering it selects what it holds, as FormInput
    does, so typing replaces a filled one; sent back to correct it, the cursor goes to the end."""

    def __init__(self, text: str = "", **options) -> None:
        super().__init__(
            text,
            soft_wrap=True,
            compact=True,
            tab_behavior="focus",
            show_line_numbers=False,
            **options,
        )
        self._correcting = False

    def correct(self) -> None:
        self._correcting = True
        self.focus()

    def on_focus(self) -> None:
        if self._correcting:
            self._correcting = False
            self.move_cursor(self.document.end)
        else:
            self.select_all()


def describe_day(day: date, today: date) -> str:
    """'Fri 2026-11-27 · in 4 days' — the resolved date with its distance from today."""
    delta = (day - today).days
    if delta == 0:
        when = _("today")
    elif delta == 1:
        when = _("tomorrow")
    elif delta == -1:
        when = _("yesterday")
    elif delta > 0:
        when = _("in {n} days").format(n=delta)
    else:
        when = _("{n} days ago").format(n=-delta)
    return f"{weekday_name(day)} {day.isoformat()} · {when}"


@dataclass(frozen=True)
class Resolution:
    day: date | None
    error: str | None


DateParser = Callable[[str, date], "date | None"]
"""Reads typed text as a day (None when empty), raising ValueError with the reason. The forms
pass the services' validation.clean_date, so the note says what saving would."""


def parse_typed_date(text: str, today: date) -> date | None:
    """The rules' date parser on the text as typed (one line, control characters dropped)."""
    raw = " ".join(strip_controls(text).split())
    if not raw:
        return None
    try:
        return parse_date(raw, today)
    except DateInputError as error:
        raise ValueError(explain(error)) from None


def resolve_date(
    text: str, today: date, *, required: bool = False, parse: DateParser = parse_typed_date
) -> Resolution:
    """The day typed text names, read by `parse`."""
    try:
        day = parse(text, today)
    except ValueError as error:
        return Resolution(None, str(error))
    if day is None and required:
        return Resolution(None, _("required"))
    return Resolution(day, None)


class DateInput(Horizontal):
    """An input for one date plus a note beside it: the resolved day, or why it is not a date."""

    DEFAULT_CSS = """
    DateInput {
        height: auto;
        width: 1fr;
    }
    DateInput > Input {
        width: 16;
    }
    DateInput > .date-note {
        width: 1fr;
        padding: 0 1;
        color: $text-muted;
    }
    DateInput > .date-note.-error {
        color: $text-error;
    }
    """

    class Changed(Message):
        """The text changed; `day` is the resolved date or None, `error` the reason if any."""

        def __init__(self, date_input: DateInput, day: date | None, error: str | None) -> None:
            super().__init__()
            self.date_input = date_input
            self.day = day
            self.error = error

        @property
        def control(self) -> DateInput:
            return self.date_input

    def __init__(
        self,
        value: str = "",
        *,
        today: date,
        required: bool = False,
        parse: DateParser = parse_typed_date,
        placeholder: str = "",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.today = today
        self.required = required
        self.parse = parse
        self._initial = value
        self._placeholder = placeholder
        self._forced_error: str | None = None

    def compose(self) -> ComposeResult:
        yield FormInput(self._initial, placeholder=self._placeholder, compact=True)
        yield Static("", classes="date-note", markup=False)

    def on_mount(self) -> None:
        self._show(self.resolution)

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def value(self) -> str:
        return self.input.value

    @value.setter
    def value(self, text: str) -> None:
        self.input.value = text

    @property
    def resolution(self) -> Resolution:
        return resolve_date(
            self.input.value if self.is_mounted else self._initial,
            self.today,
            required=self.required,
            parse=self.parse,
        )

    @property
    def day(self) -> date | None:
        return self.resolution.day

    def set_error(self, message: str | None) -> None:
        """Show a reason from a save (e.g. 'must come after the contact') until the next edit."""
        self._forced_error = message
        self._show(self.resolution)

    def focus(self, scroll_visible: bool = True) -> DateInput:
        self.input.focus(scroll_visible)
        return self

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self._forced_error = None
        resolution = self.resolution
        self._show(resolution)
        self.post_message(self.Changed(self, resolution.day, resolution.error))

    def _show(self, resolution: Resolution) -> None:
        note = self.query_one(".date-note", Static)
        error = self._forced_error or resolution.error
        if error:
            note.update(error)
        elif resolution.day is not None:
            note.update(describe_day(resolution.day, self.today))
        else:
            note.update(_("e.g. +3d, fri, 2026-12-01"))
        note.set_class(bool(error), "-error")


@dataclass(frozen=True)
class MomentResolution:
    moment: datetime | None
    error: str | None

    @property
    def day(self) -> date | None:
        return self.moment.date() if self.moment else None


def describe_moment(moment: datetime, now: datetime) -> str:
    """'Tue 2026-11-24 10:00 · in 16h00' — the resolved time with its distance from now."""
    delta = moment - now
    when = (_("in {span}") if delta.total_seconds() >= 0 else _("{span} ago")).format(
        span=span(delta)
    )
    return f"{weekday_name(moment)} {moment.strftime(MOMENT)} · {when}"


def resolve_moment(
    text: str, now: datetime, *, required: bool = False, future: bool = False, past: bool = False
) -> MomentResolution:
    """The time typed text names (rules.parse_datetime, as the services read it), in now's zone;
    with `future`, a time not after now is refused; with `past`, a time after now."""
    if not text.strip():
        return MomentResolution(None, _("required") if required else None)
    try:
        moment = parse_datetime(text, now)
    except DateInputError as error:
        return MomentResolution(None, str(error))
    if future and moment <= now:
        return MomentResolution(
            None,
            _("{when} is not in the future; pick a later time").format(
                when=moment.strftime(MOMENT)
            ),
        )
    if past and moment > now:
        return MomentResolution(
            None,
            _("{when} is still to come; a contact is logged when it happened").format(
                when=moment.strftime(MOMENT)
            ),
        )
    return MomentResolution(moment, None)


class DateTimeInput(DateInput):
    """A date-and-time field (+4h, tomorrow 10:00, 2026-12-01 14:00): beside it the time it
    resolves to, or why it is not one. `now` gives the current local time at each keystroke."""

    DEFAULT_CSS = """
    DateTimeInput > Input {
        width: 20;
    }
    """

    def __init__(
        self,
        value: str = "",
        *,
        now: Callable[[], datetime],
        required: bool = False,
        future: bool = False,
        past: bool = False,
        placeholder: str = "",
        empty_hint: str = "",
        id: str | None = None,
    ) -> None:
        super().__init__(
            value, today=now().date(), required=required, placeholder=placeholder, id=id
        )
        self.now = now
        self.future = future
        self.past = past
        self.empty_hint = empty_hint
        """What the note says while the field is empty (the examples, unless given)."""

    @property
    def resolution(self) -> MomentResolution:  # type: ignore[override]
        return resolve_moment(
            self.input.value if self.is_mounted else self._initial,
            self.now(),
            required=self.required,
            future=self.future,
            past=self.past,
        )

    @property
    def moment(self) -> datetime | None:
        return self.resolution.moment

    def _show(self, resolution: MomentResolution) -> None:  # type: ignore[override]
        note = self.query_one(".date-note", Static)
        error = self._forced_error or resolution.error
        if error:
            note.update(error)
        elif resolution.moment is not None:
            note.update(describe_moment(resolution.moment, self.now()))
        else:
            note.update(self.empty_hint or _("e.g. +4h, tomorrow 10:00, 2026-12-01 14:00"))
        note.set_class(bool(error), "-error")
