"""The short dialogs: regrade (`R`), order (`o`, with the credit limit's confirmation),
promise (`p`) and snooze (`s`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from crmtui.errors import InvalidInput
from crmtui.i18n import N_, _, explain
from crmtui.labels import stored_text
from crmtui.present.styles import grade_style
from crmtui.present.text import plain
from crmtui.rules import GRADE_ORDER, DueItem, Need, grade_explanation, grade_for
from crmtui.screens.dialogs.corrections import form_text
from crmtui.screens.dialogs.form import CustomerDialog, FormDialog, choices
from crmtui.services.customers import regrade
from crmtui.services.interactions import add_promise, record_order
from crmtui.services.validation import (
    ORDER_FIELDS,
    PROMISE_FIELDS,
    FieldError,
    choice,
    clean_date,
    grade_value,
    optional_text,
)
from crmtui.widgets.date_input import resolve_date
from crmtui.widgets.form import FieldRow

NEEDS = tuple(n.value for n in Need)
PROMISE_STATUSES = ("open", "done", "broken")


def clean_pin(value: Any, today: date | None = None) -> str | None:
    """A grade to pin, or None to follow the rules."""
    if not value:
        return None
    try:
        return grade_value(value).value
    except InvalidInput as error:
        raise FieldError(error.errors["grade"]) from None


@dataclass(frozen=True)
class GradeFacts:
    """The grading facts of a customer as the profile shows them."""

    customer_id: int
    name: str
    need: str
    expected_close: date | None
    grade: str
    pinned: bool
    pin_reason: str
    version: int


class RegradeDialog(FormDialog[Any]):
    """Change need and expected close (the grade follows the rules), or pin a grade by hand."""

    TITLE_TEXT = N_("Regrade")
    FIELDS = {
        "need": choice(NEEDS),
        "expected_close": clean_date,
        "pin": clean_pin,
        "reason": optional_text(500),
    }

    def __init__(self, facts: GradeFacts) -> None:
        super().__init__()
        self.facts = facts

    def intro_text(self) -> Text:
        facts = self.facts
        text = plain(facts.name + " · " + _("now") + " ")
        text.append(facts.grade, style=grade_style(facts.grade))
        if facts.pinned:
            text.append(
                plain(" " + _("(pinned: {reason})").format(reason=stored_text(facts.pin_reason)))
            )
        return text

    def compose_fields(self) -> ComposeResult:
        facts = self.facts
        yield self.select_row("need", _("Need"), choices(NEEDS, "need"), facts.need)
        yield self.date_row("expected_close", _("Expected close"), facts.expected_close)
        yield self.select_row(
            "pin",
            _("Pin grade"),
            [(g.value, g.value) for g in GRADE_ORDER],
            facts.grade if facts.pinned else None,
            blank=_("follow the rules"),
        )
        yield self.text_row(
            "reason",
            _("Reason"),
            facts.pin_reason if facts.pinned else "",
            wide=True,
            placeholder=_("why (needed to pin)"),
        )
        yield Static("", id="outcome")

    def on_mount(self) -> None:
        self._preview()

    def field_changed(self, row: FieldRow) -> None:
        self._preview()

    def _preview(self) -> None:
        values = self.values()
        outcome = self.query_one("#outcome", Static)
        close = resolve_date(values.get("expected_close", ""), self.today, parse=clean_date)
        if close.error or values.get("need") not in NEEDS:
            outcome.update("")
            return
        text = Text("→ " + _("grade") + " ")
        if values.get("pin"):
            pin = values["pin"]
            text.append(pin, style=grade_style(pin))
            text.append(" " + _("pinned by hand"))
        else:
            grade = grade_for(values["need"], close.day, self.today).value
            text.append(grade, style=grade_style(grade))
            text.append(" · " + explain(grade_explanation(values["need"], close.day, self.today)))
        outcome.update(text)

    def save(self, values: dict[str, Any]):
        facts = self.facts
        close = values["expected_close"]
        return regrade(
            self.ctx,
            facts.customer_id,
            need=values["need"],
            expected_close=close or None,
            clear_close=not close,
            pin=values["pin"] or None,
            unpin=facts.pinned and not values["pin"],
            reason=values["reason"],
            expected_version=facts.version,
        )


ORDER_EDITS = ("amount", "product", "on", "quantity", "cost", "gift", "note")


class OrderDialog(CustomerDialog[Any]):
    """Record an order, or correct one (`record`: services.corrections.EditableRecord). A new
    order past the customer's credit limit says by how much and is recorded only when saved
    again (the confirmation)."""

    TITLE_TEXT = N_("Record an order")
    FIELDS = ORDER_FIELDS
    over_limit_confirmed = False

    def __init__(self, customer_id: int, name: str, record: Any = None) -> None:
        super().__init__(customer_id, name)
        self.record = record
        self.shown = (
            {name: form_text(record.values.get(name)) for name in ORDER_EDITS}
            if record is not None
            else {}
        )

    def title_text(self) -> str:
        if self.record is None:
            return super().title_text()
        return _("Edit order #{id}").format(id=self.record.id)

    def compose_fields(self) -> ComposeResult:
        shown = self.shown
        yield self.text_row(
            "amount", _("Amount"), shown.get("amount", ""), required=True, placeholder="12000.00"
        )
        yield self.text_row("product", _("Product"), shown.get("product", ""), wide=True)
        yield self.date_row("on", _("Date"), shown.get("on", "today"))
        yield self.text_row("quantity", _("Quantity"), shown.get("quantity", "1"))
        yield self.text_row("cost", _("Cost"), shown.get("cost", ""), placeholder=_("for profit"))
        if self.record is None:
            yield self.date_row("next_close", _("Next close"))
            yield self.date_row("deliver_on", _("Delivery"))
        yield self.text_row("gift", _("Gift"), shown.get("gift", ""), wide=True)
        yield self.text_row("note", _("Note"), shown.get("note", ""), wide=True, lines=3)

    def field_changed(self, row: FieldRow) -> None:
        if row.field == "amount":  # a confirmation holds for the amount it was given for
            self.over_limit_confirmed = False

    def _failed(self, error: BaseException) -> bool:
        # on first use: kept out of the app's start-up imports
        from crmtui.services.receivables import OverCreditLimit

        if isinstance(error, OverCreditLimit):
            self._finish_saving()
            self.over_limit_confirmed = True
            self.show_notice(
                _("Not saved: {reason}. Press ctrl+s again to record it past the limit.").format(
                    reason=error
                ),
                error=True,
            )
            return True
        return super()._failed(error)

    def save(self, values: dict[str, Any]):
        # on first use: kept out of the app's start-up imports
        from crmtui.services.corrections import edit_order

        record = self.record
        if record is None:
            return record_order(
                self.ctx, self.customer_id, over_limit=self.over_limit_confirmed, **values
            )
        changes = self.changed(values, self.shown)
        if not changes:
            return None  # nothing changed: as if cancelled
        return edit_order(
            self.ctx, record.id, changes, expected_version=record.version, expected=record.expected
        )


class PromiseDialog(CustomerDialog[Any]):
    """Record a promise, or correct one (`record`): its text, due date or status."""

    TITLE_TEXT = N_("Record a promise")
    FIELDS = {**PROMISE_FIELDS, "status": choice(PROMISE_STATUSES)}

    def __init__(self, customer_id: int, name: str, record: Any = None) -> None:
        super().__init__(customer_id, name)
        self.record = record
        self.shown = (
            {
                "promise": form_text(record.values["text"]),
                "promise_due": form_text(record.values["due"]),
                "status": record.values["status"],
            }
            if record is not None
            else {}
        )

    def title_text(self) -> str:
        if self.record is None:
            return super().title_text()
        return _("Edit promise #{id}").format(id=self.record.id)

    def intro_text(self) -> Text:
        if self.record is not None:
            return plain(self.name_text)
        return plain(_("What did you promise {name}, and by when?").format(name=self.name_text))

    def compose_fields(self) -> ComposeResult:
        shown = self.shown
        yield self.text_row(
            "promise", _("Promise"), shown.get("promise", ""), required=True, wide=True
        )
        yield self.date_row("promise_due", _("Due"), shown.get("promise_due", ""), required=True)
        if self.record is not None:
            yield self.select_row(
                "status", _("Status"), choices(PROMISE_STATUSES, "promise"), shown["status"]
            )

    def save(self, values: dict[str, Any]):
        # on first use: kept out of the app's start-up imports
        from crmtui.services.corrections import edit_promise

        record = self.record
        if record is None:
            return add_promise(self.ctx, self.customer_id, values["promise"], values["promise_due"])
        changes = self.changed(values, self.shown)
        if not changes:
            return None
        fields = {
            "text": changes.get("promise"),
            "due": changes.get("promise_due"),
            "status": changes.get("status"),
        }
        try:
            return edit_promise(
                self.ctx,
                record.id,
                fields,
                expected_version=record.version,
                expected=record.expected,
            )
        except InvalidInput as error:  # the service's names for the form's fields
            names = {"text": "promise", "due": "promise_due"}
            raise InvalidInput({names.get(k, k): v for k, v in error.errors.items()}) from None


class SnoozeDialog(FormDialog[Any]):
    """Move a due item to a later day."""

    TITLE_TEXT = N_("Snooze")
    FIELDS = {"until": clean_date}

    def __init__(self, item: DueItem) -> None:
        super().__init__()
        self.item = item

    def intro_text(self) -> Text:
        return plain(f"{self.item.customer} · {self.item.detail}")

    def save_label(self) -> str:
        return _("Snooze")

    def compose_fields(self) -> ComposeResult:
        yield self.date_row("until", _("Until"), "tomorrow", required=True)

    def save(self, values: dict[str, Any]):
        # on first use: kept out of the app's start-up imports
        from crmtui.services.worklist import snooze_due_item

        item = self.item
        return snooze_due_item(self.ctx, item.kind, item.customer_id, item.ref_id, values["until"])
