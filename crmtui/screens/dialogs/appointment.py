"""Appointments from the app: book one with a customer (`b` on Today and the profile), move one
(`m`) and cancel one (`d`, asked first) on Today's schedule."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Protocol, TypeVar

from rich.text import Text
from textual.app import ComposeResult

from crmtui.i18n import N_, _
from crmtui.present.schedule import ShownAppointment, appointment_heading
from crmtui.present.text import plain
from crmtui.screens.dialogs.form import Cleaner, CustomerDialog, FormDialog, choices
from crmtui.screens.dialogs.log import LogChoices, log_choices
from crmtui.services.appointments import (
    add_appointment,
    cancel_appointment,
    clean_start,
    move_appointment,
)
from crmtui.services.validation import APPOINTMENT_FIELDS, APPOINTMENT_KINDS, PURPOSES
from crmtui.widgets.date_input import DateTimeInput
from crmtui.widgets.form import FieldRow


class Booked(Protocol):
    """What the screens read of an appointment booked, moved or cancelled."""

    @property
    def starts_at(self) -> datetime: ...


Result = TypeVar("Result")


class _TimeFields(FormDialog[Result]):
    """The time field shared by booking and moving: typed in the user's zone, refused when it
    has passed (the service's own check, as you type)."""

    def _now(self) -> datetime:
        return self.ctx.local(self.ctx.now())

    def _clean_at(self, value: Any, today: date | None = None) -> datetime:
        return clean_start(self.ctx, value)

    def time_row(self, value: str = "") -> FieldRow:
        control = DateTimeInput(
            value,
            now=self._now,
            required=True,
            future=True,
            placeholder=_("tomorrow 10:00"),
            id="field-at",
        )
        return FieldRow("at", _("When"), control, required=True)


class BookDialog(_TimeFields[Booked], CustomerDialog[Booked]):
    """Book a visit, call or meeting with the customer at a time."""

    TITLE_TEXT = N_("Book an appointment")

    def __init__(self, customer_id: int, name: str, *, day_word: str = "") -> None:
        super().__init__(customer_id, name)
        self.day_word = day_word
        """What the time field starts with ('tomorrow ' from the evening view)."""

    def cleaners(self) -> Mapping[str, Cleaner]:
        return {"at": self._clean_at, **APPOINTMENT_FIELDS}

    def intro_text(self) -> Text:
        return plain(_("When do you see {name}, and why?").format(name=self.name_text))

    def save_label(self) -> str:
        return _("Book")

    def on_mount(self) -> None:
        self.call_service(
            log_choices, self.ctx, self.customer_id, done=self._offer_contacts, group="choices"
        )

    def _offer_contacts(self, found: LogChoices) -> None:
        row = self.rows.get("contact")
        if found.contacts and row is not None:
            row.set_options(found.contacts)
            row.display = True

    def compose_fields(self) -> ComposeResult:
        yield self.time_row(self.day_word)
        yield self.text_row("minutes", _("Minutes"), "60", placeholder="60")
        yield self.select_row(
            "kind", _("Kind"), choices(APPOINTMENT_KINDS, "appointment_kind"), "visit"
        )
        yield self.select_row(
            "purpose", _("Purpose"), choices(PURPOSES, "purpose"), blank=_("(not set)")
        )
        yield self.text_row("place", _("Place"), wide=True, placeholder=_("where (optional)"))
        yield self.text_row(
            "prep",
            _("Preparation"),
            wide=True,
            lines=3,
            placeholder=_("what to bring or prepare (optional)"),
        )
        contact = self.select_row("contact", _("Meet"), [], blank=_("(not named)"))
        contact.display = False  # shown once the customer's contacts are read
        yield contact

    def save(self, values: dict[str, Any]) -> Booked:
        return add_appointment(
            self.ctx,
            self.customer_id,
            at=values.get("at"),
            minutes=values.get("minutes"),
            kind=values.get("kind"),
            purpose=values.get("purpose") or None,
            place=values.get("place"),
            prep=values.get("prep"),
            contact=values.get("contact") or None,
        )


class MoveDialog(_TimeFields[Booked]):
    """Move a planned appointment to another time (and length)."""

    TITLE_TEXT = N_("Move the appointment")

    def __init__(self, view: ShownAppointment) -> None:
        super().__init__()
        self.view = view

    def cleaners(self) -> Mapping[str, Cleaner]:
        return {"at": self._clean_at, "minutes": APPOINTMENT_FIELDS["minutes"]}

    def intro_text(self) -> Text:
        return appointment_heading(self.view, self.ctx.zone)

    def save_label(self) -> str:
        return _("Move")

    def compose_fields(self) -> ComposeResult:
        start = self.view.starts_at.astimezone(self.ctx.zone)
        yield self.time_row(start.strftime("%Y-%m-%d %H:%M"))
        yield self.text_row("minutes", _("Minutes"), str(self.view.minutes))

    def save(self, values: dict[str, Any]) -> Booked:
        return move_appointment(self.ctx, self.view.id, at=values["at"], minutes=values["minutes"])


class CancelAppointmentDialog(FormDialog[Booked]):
    """Cancel a planned appointment, once asked: it stays in the customer's history."""

    TITLE_TEXT = N_("Cancel the appointment")

    def __init__(self, view: ShownAppointment) -> None:
        super().__init__()
        self.view = view

    def intro_text(self) -> Text:
        text = appointment_heading(self.view, self.ctx.zone)
        text.append(
            "\n\n"
            + _("Cancel it? It stays in the customer's history as cancelled and frees the time.")
        )
        return text

    def save_label(self) -> str:
        return _("Cancel it")

    def cancel_label(self) -> str:
        return _("Keep it")

    def save(self, values: dict[str, Any]) -> Booked:
        return cancel_appointment(self.ctx, self.view.id)


__all__ = ["BookDialog", "MoveDialog", "CancelAppointmentDialog"]
