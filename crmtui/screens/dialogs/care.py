"""A care date (`c` on the profile): a birthday, anniversary or other yearly day, solar or lunar
(农历). The date is typed as 03-15, 1985-03-15, 农历八月十五 or lunar leap 4-15, and the dialog
shows the day it falls on next in both calendars."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from crmtui.errors import InvalidInput
from crmtui.i18n import N_, _
from crmtui.labels import labelled, lunar_text, weekday_name
from crmtui.rules import next_lunar_occurrence, next_occurrence, solar_to_lunar
from crmtui.screens.dialogs.corrections import care_text
from crmtui.screens.dialogs.form import CustomerDialog
from crmtui.services.interactions import add_care_date
from crmtui.services.transfer.values import CareSpec, parse_care_text
from crmtui.services.validation import CARE_KINDS, FieldError, choice, optional_text
from crmtui.widgets.form import FieldRow


def clean_care_day(value: Any, today: date) -> CareSpec:
    spec = parse_care_text(str(value or ""), today)
    if spec is None:
        raise FieldError(_("required"))
    return spec


class CareDialog(CustomerDialog[Any]):
    """Add a care date, or correct one (`record`: services.corrections.EditableRecord)."""

    TITLE_TEXT = N_("Add a care date")
    FIELDS = {"kind": choice(CARE_KINDS), "date": clean_care_day, "note": optional_text(200)}

    def __init__(self, customer_id: int, name: str, record: Any = None) -> None:
        super().__init__(customer_id, name)
        self.record = record
        self.shown = (
            {
                "kind": record.values["kind"],
                "date": care_text(record.values),
                "lunar": bool(record.values["lunar"]),
                "note": record.values["note"],
            }
            if record is not None
            else {}
        )

    def title_text(self) -> str:
        if self.record is None:
            return super().title_text()
        return _("Edit care date #{id}").format(id=self.record.id)

    def compose_fields(self) -> ComposeResult:
        shown = self.shown
        yield self.select_row(
            "kind", _("Kind"), labelled("care", CARE_KINDS), shown.get("kind", "birthday")
        )
        yield self.text_row(
            "date",
            _("Date"),
            shown.get("date", ""),
            required=True,
            placeholder=_("03-15 or 农历八月十五"),
            hint=_("with the year: 1985-03-15; a leap month: 闰四月初一"),
        )
        yield self.check_row("lunar", _("Lunar calendar (农历)"), shown.get("lunar", False))
        yield self.text_row("note", _("Note"), shown.get("note", ""), wide=True)
        yield Static("", id="outcome")

    def on_mount(self) -> None:
        self._preview()

    def field_changed(self, row: FieldRow) -> None:
        self._preview()

    def spec(self, values: dict[str, Any]) -> CareSpec | None:
        """The typed date, lunar when the box is ticked; None while it is not a date."""
        try:
            spec = clean_care_day(values.get("date"), self.today)
        except FieldError:
            return None
        if values.get("lunar") and not spec.lunar:
            if not 1 <= spec.day <= 30:
                return None
            spec = CareSpec(spec.kind, spec.month, spec.day, spec.year, True, spec.leap)
        return spec

    def _preview(self) -> None:
        outcome = self.query_one("#outcome", Static)
        spec = self.spec(self.values())
        if spec is None:
            outcome.update("")
            return
        if spec.lunar:
            when = next_lunar_occurrence(spec.month, spec.day, self.today, leap=spec.leap)
        else:
            when = next_occurrence(spec.month, spec.day, self.today)
        lunar = solar_to_lunar(when)
        text = Text(
            "→ " + _("next on {day}").format(day=f"{weekday_name(when)} {when.isoformat()}")
        )
        text.append(" · " + lunar_text(lunar.month, lunar.day, lunar.leap), style="bold")
        outcome.update(text)

    def save(self, values: dict[str, Any]):
        # on first use: kept out of the app's start-up imports
        from crmtui.services.corrections import edit_care_date

        record = self.record
        if record is not None and not self.changed(values, self.shown):
            return None  # nothing changed: as if cancelled
        spec = self.spec(values)
        if spec is None:  # e.g. a solar 31 with the lunar box ticked
            raise InvalidInput.one("date", _("not a lunar date"))
        fields = dict(
            month=spec.month,
            day=spec.day,
            kind=values["kind"],
            year=spec.year,
            lunar=spec.lunar,
            leap=spec.leap,
            note=values["note"],
        )
        try:
            if record is not None:
                return edit_care_date(
                    self.ctx,
                    record.id,
                    fields,
                    expected_version=record.version,
                    expected=record.expected,
                )
            return add_care_date(self.ctx, self.customer_id, **fields)
        except InvalidInput as error:  # the service names month and day; here they are one
            raise InvalidInput(
                {
                    ("date" if name in ("month", "day") else name): reason
                    for name, reason in error.errors.items()
                }
            ) from None
