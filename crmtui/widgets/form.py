"""One labelled row of a form: the label, the control as wide as the form, and beside it what
is wrong (or a hint) when there is something to say."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import RenderableType
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from crmtui.present.text import safe
from crmtui.widgets.date_input import DateInput, FormInput, FormTextArea


class FieldRow(Horizontal):
    """A form row for the field `field`; `value` reads its control as text (or bool)."""

    DEFAULT_CSS = """
    FieldRow {
        height: auto;
        margin-bottom: 0;
    }
    FieldRow > .field-label {
        width: 15;
        padding-right: 1;
        color: $text-muted;
    }
    FieldRow.-required > .field-label {
        color: $text;
    }
    FieldRow > Input, FieldRow > Select, FieldRow > CustomerPicker, FieldRow > TextArea {
        width: 1fr;
    }
    FieldRow > TextArea {
        height: auto;
        min-height: 2;
        max-height: 6;
    }
    FieldRow > Checkbox {
        width: auto;
        max-width: 50;
    }
    FieldRow > DateInput {
        width: 1fr;
    }
    FieldRow > .field-note {
        width: auto;
        max-width: 50%;
        padding: 0 1;
        color: $text-muted;
    }
    FieldRow > .field-note.-empty {
        display: none;
    }
    FieldRow > .field-note.-error {
        color: $text-error;
    }
    """

    def __init__(
        self,
        field: str,
        label: str,
        control: Widget,
        *,
        hint: str = "",
        required: bool = False,
        wide: bool = False,
    ) -> None:
        super().__init__(classes="field-row", id=f"row-{field}")
        self.field = field
        self.label = label
        self.control = control
        self.hint = hint
        self.required = required
        self.error: str | None = None
        self.set_class(required, "-required")
        self.set_class(wide, "-wide")

    def compose(self) -> ComposeResult:
        yield Label(self.label + (" *" if self.required else ""), classes="field-label")
        yield self.control
        if not isinstance(self.control, DateInput):
            yield Static(
                self.hint, classes="field-note" + ("" if self.hint else " -empty"), markup=False
            )

    @property
    def value(self) -> Any:
        control = self.control
        if isinstance(control, Select):
            return "" if control.value is Select.NULL else control.value
        if isinstance(control, Checkbox):
            return control.value
        if isinstance(control, TextArea):
            return control.text
        if isinstance(control, (Input, DateInput)) or hasattr(control, "value"):
            return control.value  # a control of crmtui's own (a customer picker)
        raise TypeError(f"no value for {type(control).__name__}")

    @value.setter
    def value(self, value: Any) -> None:
        control = self.control
        if isinstance(control, Select):
            control.value = value if value not in (None, "") else Select.NULL
        elif isinstance(control, Checkbox):
            control.value = bool(value)
        elif isinstance(control, TextArea):
            control.text = safe(value, multiline=True)
        elif isinstance(control, (Input, DateInput)):
            # stored text, shown as text (an Input would show control characters raw)
            control.value = safe(value)
        else:
            raise TypeError(f"no value to set for {type(control).__name__}")

    def set_options(self, options: Iterable[tuple[RenderableType, Any]]) -> None:
        """The choices of a select field, read after the form opened."""
        if not isinstance(self.control, Select):
            raise TypeError(f"no options for {type(self.control).__name__}")
        self.control.set_options(options)

    def set_error(self, message: str | None) -> None:
        """Show why the field was refused (None clears it and shows the hint again)."""
        self.error = message or None
        if isinstance(self.control, DateInput):
            self.control.set_error(message)
            return
        note = self.query_one(".field-note", Static)
        note.update(message or self.hint)
        note.set_class(bool(message), "-error")
        note.set_class(not (message or self.hint), "-empty")

    def set_hint(self, hint: str) -> None:
        self.hint = hint
        if self.error is None and not isinstance(self.control, DateInput):
            note = self.query_one(".field-note", Static)
            note.update(hint)
            note.set_class(not hint, "-empty")

    def focus_control(self) -> None:
        """Back to the field to correct it (after a refused save)."""
        control = self.control.input if isinstance(self.control, DateInput) else self.control
        if isinstance(control, (FormInput, FormTextArea)):
            control.correct()
        else:
            self.control.focus()
