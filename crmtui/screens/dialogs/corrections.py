"""Correcting what was recorded, from the profile's tabs: the creation dialogs open in edit mode
with the record's values (`shown_values`), and save only the fields changed; `d` asks before
removing a record (RemoveRecordDialog); `u` shows the change it would undo and asks
(UndoDialog)."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult

from crmtui.i18n import N_, _
from crmtui.labels import label
from crmtui.present.history import record_text, undo_text
from crmtui.present.text import plain
from crmtui.screens.dialogs.form import CustomerDialog, FormDialog
from crmtui.services.customers import reassign
from crmtui.services.owners import owner_choices
from crmtui.views.customers import SavedCustomer

if TYPE_CHECKING:  # loaded when a record is corrected or a change undone, not before
    from crmtui.services.corrections import EditableRecord, Removed
    from crmtui.services.undo import UndoPlan


def form_text(value: Any, zone: tzinfo | None = None) -> str:
    """A stored value as a form's text field shows it (what typing it again would store)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, datetime):
        return value.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def care_text(values: dict[str, Any]) -> str:
    """A care date as its dialog's date field reads it: 1985-03-15, 03-15, lunar leap 04-15."""
    day = f"{values['month']:02d}-{values['day']:02d}"
    if values.get("year"):
        day = f"{values['year']}-{day}"
    if values.get("lunar"):
        return ("lunar leap " if values.get("leap") else "lunar ") + day
    return day


def removal_text(record: EditableRecord, zone: tzinfo) -> str:
    """What a record is, in a few words, for the question before removing it."""
    if record.kind == "survey":
        return record_text("survey", {"scores": record.values.get("scores") or {}}, zone)
    return record_text(record.kind, record.values, zone)


class RemoveRecordDialog(CustomerDialog["Removed"]):
    """Remove an interaction, order, promise, care date or survey, once asked."""

    TITLE_TEXT = N_("Remove")

    def __init__(self, record: EditableRecord) -> None:
        super().__init__(record.customer_id, record.customer)
        self.record = record

    def title_text(self) -> str:
        return _("Remove {record}").format(record=label("record", self.record.kind))

    def intro_text(self) -> Text:
        record = self.record
        text = plain(self.name_text, "bold")
        text.append("\n")
        text.append(
            plain(
                _("Remove {record} #{id}: {what}?").format(
                    record=label("record", record.kind),
                    id=record.id,
                    what=removal_text(record, self.ctx.zone),
                )
            )
        )
        text.append(
            "\n"
            + _(
                "What followed from it follows again (next due, grade, revenue); "
                "u undoes the removal."
            ),
            style="dim",
        )
        return text

    def save_label(self) -> str:
        return _("Remove")

    def save(self, values: dict[str, Any]) -> Removed:
        # on first use: kept out of the app's start-up imports
        from crmtui.services.corrections import remove_record

        record = self.record
        return remove_record(
            self.ctx,
            record.kind,
            record.id,
            expected_version=record.version,
            expected=record.expected,
        )


class UndoDialog(FormDialog["UndoPlan"]):
    """`u`: the user's last change in the app, shown before it is undone."""

    TITLE_TEXT = N_("Undo")

    def __init__(self, plan: UndoPlan) -> None:
        super().__init__()
        self.plan = plan

    def intro_text(self) -> Text:
        ctx = self.ctx
        text = Text()
        text.append(
            plain(
                _("Undo: {what}").format(what=undo_text(self.plan, ctx.zone, ctx.today())), "bold"
            )
        )
        text.append(
            "\n"
            + _(
                "What it added is removed, what it removed comes back, and what "
                "it changed gets its earlier value."
            ),
            style="dim",
        )
        return text

    def save_label(self) -> str:
        return _("Undo")

    def save(self, values: dict[str, Any]) -> UndoPlan:
        # on first use: kept out of the app's start-up imports
        from crmtui.services.undo import undo

        return undo(self.ctx, self.plan.change_id)


class ReassignDialog(CustomerDialog[SavedCustomer]):
    """`O` (managers): give the customer to another owner; audited and kept in the history."""

    TITLE_TEXT = N_("Reassign")

    def __init__(self, customer_id: int, name: str, owner: str) -> None:
        super().__init__(customer_id, name)
        self.owner = owner

    def compose_fields(self) -> ComposeResult:
        # the owners are read once the dialog shows (blank until then: nothing changes)
        yield self.select_row("owner", _("Owner"), [], blank="…", hint=_("reps and managers"))

    def on_mount(self) -> None:
        self.call_service(owner_choices, self.ctx, done=self._offer, group="choices")

    def _offer(self, owners: list[tuple[str, str]]) -> None:
        row = self.rows["owner"]  # names are stored text: shown plain, never as markup
        row.set_options([(plain(shown), login) for shown, login in owners])
        row.value = self.owner

    def save_label(self) -> str:
        return _("Reassign")

    def save(self, values: dict[str, Any]) -> SavedCustomer | None:
        if not values.get("owner") or values["owner"] == self.owner:
            return None  # the same owner: as if cancelled
        return reassign(self.ctx, self.customer_id, values["owner"])


__all__ = ["form_text", "care_text", "RemoveRecordDialog", "UndoDialog", "ReassignDialog"]
