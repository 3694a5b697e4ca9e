"""The short dialogs: regrade (`R`), order (`o`), promise (`p`) and snooze (`s`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from crmtui.i18n import N_, _, explain
from crmtui.present.styles import grade_style
from crmtui.present.text import plain
from crmtui.rules import GRADE_ORDER, DueItem, Need, grade_explanation, grade_for
from crmtui.screens.dialogs.form import CustomerDialog, FormDialog, choices
from crmtui.errors import InvalidInput
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
from crmtui.labels import stored_text

NEEDS = tuple(n.value for n in Need)


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
    FIELDS = {"need": choice(NEEDS), "expected_close": clean_date,
              "pin": clean_pin,
              "reason": optional_text(500)}

    def __init__(self, facts: GradeFacts) -> None:
        super().__init__()
        self.facts = facts

    def intro_text(self) -> Text:
        facts = self.facts
        text = plain(facts.name + " · " + _("now") + " ")
        text.append(facts.grade, style=grade_style(facts.grade))
        if facts.pinned:
            text.append(plain(" " + _("(pinned: {reason})").format(
                reason=stored_text(facts.pin_reason))))
        return text

    def compose_fields(self) -> ComposeResult:
        facts = self.facts
        yield self.select_row("need", _("Need"), choices(NEEDS, "need"), facts.need)
        yield self.date_row("expected_close", _("Expected close"), facts.expected_close)
        yield self.select_row("pin", _("Pin grade"), [(g.value, g.value) for g in GRADE_ORDER],
                              facts.grade if facts.pinned else None, blank=_("follow the rules"))
        yield self.text_row("reason", _("Reason"), facts.pin_reason if facts.pinned else "",
                            wide=True, placeholder=_("why (needed to pin)"))
        yield Static("", id="outcome")

    def on_mount(self) -> None:
        self._preview()

    def field_changed(self, row: FieldRow) -> None:
        self._preview()

    def _preview(self) -> None:
        values = self.values()
        outcome = self.query_one("#outcome", Static)
        close = resolve_date(values.get("expected_close", ""), self.today)
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
        from crmtui.services.customers import regrade

        facts = self.facts
        close = values["expected_close"]
        return regrade(self.ctx, facts.customer_id, need=values["need"],
                       expected_close=close or None, clear_close=not close,
                       pin=values["pin"] or None,
                       unpin=facts.pinned and not values["pin"], reason=values["reason"],
                       expected_version=facts.version)


class OrderDialog(CustomerDialog[Any]):
    TITLE_TEXT = N_("Record an order")
    FIELDS = ORDER_FIELDS

    def compose_fields(self) -> ComposeResult:
        yield self.text_row("amount", _("Amount"), required=True, placeholder="12000.00")
        yield self.text_row("product", _("Product"), wide=True)
        yield self.date_row("on", _("Date"), "today")
        yield self.text_row("quantity", _("Quantity"), "1")
        yield self.text_row("cost", _("Cost"), placeholder=_("for profit"))
        yield self.date_row("next_close", _("Next close"))
        yield self.text_row("gift", _("Gift"), wide=True)
        yield self.text_row("note", _("Note"), wide=True, lines=3)

    def save(self, values: dict[str, Any]):
        from crmtui.services.interactions import record_order

        return record_order(self.ctx, self.customer_id, **values)


class PromiseDialog(CustomerDialog[Any]):
    TITLE_TEXT = N_("Record a promise")
    FIELDS = PROMISE_FIELDS

    def intro_text(self) -> Text:
        return plain(_("What did you promise {name}, and by when?").format(name=self.name_text))

    def compose_fields(self) -> ComposeResult:
        yield self.text_row("promise", _("Promise"), required=True, wide=True)
        yield self.date_row("promise_due", _("Due"), required=True)

    def save(self, values: dict[str, Any]):
        from crmtui.services.interactions import add_promise

        return add_promise(self.ctx, self.customer_id, values["promise"], values["promise_due"])


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
        from crmtui.services.worklist import snooze_due_item

        item = self.item
        return snooze_due_item(self.ctx, item.kind, item.customer_id, item.ref_id,
                               values["until"])
