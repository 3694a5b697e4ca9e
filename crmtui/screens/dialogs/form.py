"""The base of every form dialog: validate as you type with the services' own field tables, save
in a thread worker, and on any refusal keep the dialog open with everything typed in it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Select, Static, TextArea

from crmtui.errors import Conflict, CrmError, InvalidInput
from crmtui.i18n import N_, _
from crmtui.labels import labelled
from crmtui.present.text import plain, safe
from crmtui.screens.base import ServiceCalls
from crmtui.services.validation import FieldError, clean_date
from crmtui.widgets.date_input import DateInput, FormInput, FormTextArea
from crmtui.widgets.footer import KeysFooter
from crmtui.widgets.form import FieldRow

if TYPE_CHECKING:  # the app imports the screens
    from textual import getters

    from crmtui.app import CrmApp
    from crmtui.services.context import Context

Result = TypeVar("Result")
Cleaner = Callable[[Any, date], Any]

BUSY_NOTICE_AFTER = 0.4
"""Seconds a save may take before the dialog says it is waiting for the database."""


def choices(values: Iterable[str], kind: str) -> list[tuple[str, str]]:
    """Select options from stored values, shown with their label (crmtui.labels) of `kind`."""
    return labelled(kind, values)


class FormDialog(ServiceCalls, ModalScreen[Result]):
    """A modal form. Subclasses give `compose_fields` and `save` (run in a worker thread, it may
    only use the Context and plain values), and may refine `on_conflict`.

    It always dismisses: with the saved result, or None on escape or Cancel.
    """

    if TYPE_CHECKING:  # what `self.app` is, for the type checker (the app's own attributes)
        app = getters.app(CrmApp)

    DEFAULT_CSS = """
    FormDialog {
        align: center middle;
        background: $background 60%;
    }
    FormDialog > #dialog {
        width: 100%;
        max-width: 104;
        height: auto;
        max-height: 100%;
        border: round $primary;
        border-title-color: $text;
        border-title-style: bold;
        background: $surface;
        padding: 0 1;
    }
    FormDialog #intro {
        color: $text-muted;
        margin-bottom: 1;
    }
    FormDialog #fields {
        height: auto;
        max-height: 60vh;
    }
    FormDialog #notice {
        display: none;
        color: $text-warning;
        margin-top: 1;
    }
    FormDialog #notice.-shown {
        display: block;
    }
    FormDialog #notice.-error {
        color: $text-error;
    }
    FormDialog #buttons {
        height: auto;
        align-horizontal: right;
        margin-top: 1;
    }
    FormDialog #buttons Button {
        margin-left: 2;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save"), id="form-save", priority=True),
        Binding("escape", "cancel", N_("Cancel"), id="form-cancel"),
    ]

    AUTO_FOCUS = "FieldRow Input, FieldRow TextArea, FieldRow Select, FieldRow Checkbox"
    KEYS_SECTION = "forms"
    TITLE_TEXT: ClassVar[str] = ""
    """An English msgid (N_), shown translated."""
    FIELDS: ClassVar[Mapping[str, Cleaner]] = {}
    """Field name -> the cleaner the service uses, for validating as you type."""

    def __init__(self) -> None:
        super().__init__()
        self.saving = False
        self._busy_timer: Timer | None = None
        self._start: dict[str, Any] | None = None

    def on_mount(self) -> None:
        self.call_after_refresh(self.remember_values)

    def remember_values(self) -> None:
        """What the form holds before the user types (a form that reads its values in a
        worker calls this once they are in): escape asks before throwing away changes."""
        self._start = self.values()

    @property
    def has_changes(self) -> bool:
        """Whether the user typed or chose something since the form opened."""
        return self._start is not None and self.values() != self._start

    # -- layout ---------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        dialog = Vertical(id="dialog")
        dialog.border_title = self.title_text()
        with dialog:
            intro = self.intro_text()
            if intro:
                yield Static(intro, id="intro")
            with VerticalScroll(id="fields", can_focus=False):
                yield from self.compose_fields()
            yield Static("", id="notice", markup=False)
            with Horizontal(id="buttons"):
                yield Button(self.save_label(), id="save", variant="primary", compact=True)
                yield Button(self.cancel_label(), id="cancel", compact=True)
        yield KeysFooter()

    def title_text(self) -> str:
        return _(self.TITLE_TEXT) if self.TITLE_TEXT else ""

    def intro_text(self) -> Any:
        return ""

    def save_label(self) -> str:
        return _("Save")

    def cancel_label(self) -> str:
        return _("Cancel")

    def compose_fields(self) -> ComposeResult:
        yield from ()

    @property
    def ctx(self) -> Context:
        return self.app.ctx

    @property
    def today(self) -> date:
        return self.ctx.today()

    # -- field helpers --------------------------------------------------------------------------
    def text_row(
        self,
        field: str,
        label: str,
        value: Any = "",
        *,
        required: bool = False,
        hint: str = "",
        placeholder: str = "",
        wide: bool = False,
        lines: int = 1,
    ) -> FieldRow:
        """A text field; with `lines` > 1 a text area that wraps and grows to that many lines
        (summaries, notes, descriptions)."""
        control: Widget
        if lines > 1:
            control = FormTextArea(
                safe(value, multiline=True), placeholder=placeholder, id=f"field-{field}"
            )
            control.styles.max_height = lines
        else:
            control = FormInput(
                safe(value), placeholder=placeholder, compact=True, id=f"field-{field}"
            )
        return FieldRow(field, label, control, hint=hint, required=required, wide=wide)

    def date_row(
        self, field: str, label: str, value: Any = "", *, required: bool = False
    ) -> FieldRow:
        text = value.isoformat() if isinstance(value, date) else (value or "")
        control = DateInput(
            text, today=self.today, required=required, parse=clean_date, id=f"field-{field}"
        )
        return FieldRow(field, label, control, required=required)

    def select_row(
        self,
        field: str,
        label: str,
        options: list[tuple[str, str]],
        value: Any = None,
        *,
        blank: str | None = None,
        hint: str = "",
    ) -> FieldRow:
        control: Select = Select(
            options,
            value=value if value not in (None, "") else Select.NULL,
            allow_blank=blank is not None,
            prompt=blank or "",
            compact=True,
            id=f"field-{field}",
        )
        return FieldRow(field, label, control, hint=hint)

    def check_row(self, field: str, label: str, value: bool = False, *, hint: str = "") -> FieldRow:
        control = Checkbox(plain(label), value=value, compact=True, id=f"field-{field}")
        return FieldRow(field, "", control, hint=hint)

    @property
    def rows(self) -> dict[str, FieldRow]:
        return {row.field: row for row in self.query(FieldRow)}

    def values(self) -> dict[str, Any]:
        return {name: row.value for name, row in self.rows.items()}

    @staticmethod
    def changed(values: dict[str, Any], shown: dict[str, Any]) -> dict[str, Any]:
        """The fields of a correction form whose value differs from what it showed."""
        return {
            name: value for name, value in values.items() if name in shown and value != shown[name]
        }

    # -- validation -----------------------------------------------------------------------------
    def cleaners(self) -> Mapping[str, Cleaner]:
        """Field name -> cleaner: FIELDS, or (overridden) cleaners that need the dialog itself
        (the user's zone and clock)."""
        return self.FIELDS

    def validate_row(self, row: FieldRow) -> bool:
        cleaner = self.cleaners().get(row.field)
        if cleaner is None:
            return True
        try:
            cleaner(row.value, self.today)
        except FieldError as error:
            row.set_error(str(error))
            return False
        row.set_error(None)
        return True

    def field_changed(self, row: FieldRow) -> None:
        """Hook for live previews; called after a field was validated."""

    def _row_of(self, widget: Widget) -> FieldRow | None:
        for node in widget.ancestors_with_self:
            if isinstance(node, FieldRow):
                return node
        return None

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(DateInput.Changed)
    def _field_edited(self, event) -> None:
        row = self._row_of(event.control)
        if row is None:
            return
        if self.query_one("#notice").has_class("-error") and not self.saving:
            self.show_notice("")
        self.validate_row(row)
        self.field_changed(row)

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    # -- notices --------------------------------------------------------------------------------
    def show_notice(self, text: str, *, error: bool = False) -> None:
        notice = self.query_one("#notice", Static)
        notice.update(text)
        notice.set_class(bool(text), "-shown")
        notice.set_class(error, "-error")

    # -- save -----------------------------------------------------------------------------------
    def action_save(self) -> None:
        if self.saving:
            return
        rows = self.rows
        # Checks that need several fields together (a promise needs a due date) are the
        # service's: its reasons come back beside the fields below, in _failed.
        bad = [row for row in rows.values() if not self.validate_row(row)]
        values = self.values()
        if bad:
            first = min(bad, key=lambda row: list(rows).index(row.field))
            first.focus_control()
            self.show_notice(_("Not saved: fix the fields marked in red."), error=True)
            return
        self.saving = True
        self.show_notice("")
        self.query_one("#save", Button).disabled = True
        self._busy_timer = self.set_timer(BUSY_NOTICE_AFTER, self._still_saving)
        self.call_service(self.save, values, done=self._saved, failed=self._failed, group="save")

    def save(self, values: dict[str, Any]) -> Any:
        """Store the values (runs in a worker thread); return what the dialog dismisses with."""
        raise NotImplementedError

    def _still_saving(self) -> None:
        if self.saving:
            self.show_notice(_("Saving… waiting for the database (someone else is saving)."))

    def _finish_saving(self) -> None:
        self.saving = False
        if self._busy_timer is not None:
            self._busy_timer.stop()
        self.query_one("#save", Button).disabled = False

    def _saved(self, result: Any) -> None:
        self._finish_saving()
        self.dismiss(result)

    def _failed(self, error: BaseException) -> bool:
        self._finish_saving()
        if isinstance(error, InvalidInput):
            rows = self.rows
            loose = []
            for field, reason in error.errors.items():
                if field in rows:
                    rows[field].set_error(reason)
                else:
                    loose.append(f"{field}: {reason}")
            marked = [rows[f] for f in error.errors if f in rows]
            if marked:
                marked[0].focus_control()
            self.show_notice(
                _("Not saved: ")
                + ("; ".join(loose) if loose else _("fix the fields marked in red.")),
                error=True,
            )
            return True
        if isinstance(error, Conflict):
            self.on_conflict(error)
            return True
        if isinstance(error, CrmError):
            self.show_notice(
                _("Not saved: {reason}").format(reason=error)
                + " "
                + _("Your input is kept; try again."),
                error=True,
            )
            self.app.notify(str(error), title=_("Not saved"), severity="error")
            return True
        self.show_notice(_("Not saved: an unexpected error; your input is kept."), error=True)
        return False

    def on_conflict(self, error: Conflict) -> None:
        self.show_notice(str(error), error=True)

    def action_cancel(self) -> None:
        if self.saving:
            self.show_notice(_("Saving… wait a moment; the save either lands or is refused."))
            return
        if self.has_changes:

            def discarded(discard: bool | None) -> None:
                if discard:
                    self.dismiss(None)

            self.app.push_screen(DiscardDialog(self.title_text()), discarded)
            return
        self.dismiss(None)


class DiscardDialog(ModalScreen[bool]):
    """Asked before a form with changes is closed (escape) or the app quits (ctrl+q): True to
    throw the changes away. `Keep editing` is focused, so enter and escape both keep them."""

    DEFAULT_CSS = """
    DiscardDialog {
        align: center middle;
        background: $background 60%;
    }
    DiscardDialog > #discard {
        width: 60;
        max-width: 100%;
        height: auto;
        border: round $warning;
        background: $surface;
        padding: 0 1;
    }
    DiscardDialog #discard-buttons {
        height: auto;
        align-horizontal: right;
        margin-top: 1;
    }
    DiscardDialog #discard-buttons Button {
        margin-left: 2;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "keep", N_("Keep editing"), id="back"),
    ]

    def __init__(self, form_title: str, *, quitting: bool = False) -> None:
        super().__init__()
        self.form_title = form_title
        self.quitting = quitting

    def compose(self) -> ComposeResult:
        box = Vertical(id="discard")
        box.border_title = _("Unsaved changes")
        with box:
            question = (
                _("Quit and lose what you typed in “{form}”?")
                if self.quitting
                else _("Close “{form}” and lose what you typed?")
            )
            yield Static(question.format(form=self.form_title), markup=False)
            with Horizontal(id="discard-buttons"):
                yield Button(
                    _("Quit without saving") if self.quitting else _("Discard"),
                    id="discard-yes",
                    variant="error",
                    compact=True,
                )
                yield Button(_("Keep editing"), id="discard-no", variant="primary", compact=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#discard-no", Button).focus()

    @on(Button.Pressed, "#discard-yes")
    def _discard(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#discard-no")
    def action_keep(self) -> None:
        self.dismiss(False)


class CustomerDialog(FormDialog[Result]):
    """A form about one customer, whose name heads it."""

    def __init__(self, customer_id: int, name: str) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.name_text = name

    def intro_text(self) -> Any:
        return plain(self.name_text)
