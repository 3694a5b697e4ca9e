"""The complaint dialogs: acknowledge (the time promised to the customer), resolve, close,
severity, owner, reopen, a note, and a new complaint.

Each action passes the version of the complaint the dialog was opened on. When someone else
changed it meanwhile, the dialog says who and when, reads the complaint again and keeps what was
typed: saving again applies it to their version (if the workflow still allows it).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Protocol

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Static

from crmtui.errors import Conflict
from crmtui.i18n import N_, _, pgettext
from crmtui.present.complaint import complaint_heading, status_word
from crmtui.present.text import plain
from crmtui.present.time import moment, span
from crmtui.rules import Severity, SlaPolicy
from crmtui.screens.dialogs.form import Cleaner, FormDialog, choices
from crmtui.services.complaints import (
    COMPLAINT_FIELDS,
    SEVERITIES,
    QueueRow,
    acknowledge,
    add_note,
    assign,
    close,
    complaint_row,
    open_complaint,
    reopen,
    resolve,
    set_severity,
)
from crmtui.services.context import Context
from crmtui.services.customers import find_customers
from crmtui.services.validation import CHANNELS, FieldError, choice
from crmtui.widgets.customer_picker import CustomerMatch, CustomerPicker
from crmtui.widgets.date_input import DateTimeInput, resolve_moment
from crmtui.widgets.form import FieldRow

CUSTOMER_MATCHES = 8


def targets_hint(policy: SlaPolicy, severity: str) -> str:
    """'answer within 4h00, resolve within 3d' for a severity under the team's policy."""
    if severity not in SEVERITIES:
        return ""
    hint = _("answer within {respond}, resolve within {resolve}").format(
        respond=span(policy.respond[Severity(severity)]),
        resolve=span(policy.resolve[Severity(severity)]),
    )
    if policy.business_hours is not None:
        hint += " " + _("(business hours)")
    return hint


class ComplaintDialog(FormDialog[object]):
    """An action on one complaint; subclasses give the fields and `act`, whose result (the
    complaint or its new event) the dialog dismisses with."""

    def __init__(self, row: QueueRow) -> None:
        super().__init__()
        self.row = row

    def intro_text(self) -> Text:
        return complaint_heading(self.row)

    def act(self, values: dict[str, Any], expected_version: int) -> object:
        """The service call (in a worker thread)."""
        raise NotImplementedError

    def save(self, values: dict[str, Any]) -> object:
        return self.act(values, self.row.version)

    def on_conflict(self, error: Conflict) -> None:
        self.show_notice(
            str(error) + ". " + _("Reading it again; what you typed is kept."), error=True
        )
        self.call_service(
            complaint_row,
            self.ctx,
            self.row.id,
            done=lambda row: self._reread(row, str(error)),
            group="reread",
        )

    def _reread(self, row: QueueRow, conflict: str) -> None:
        self.row = row
        self.query_one("#intro", Static).update(self.intro_text())
        self.show_notice(
            conflict
            + ". "
            + _(
                "It is now {status}; what you typed is kept: ctrl+s applies it to their version."
            ).format(status=status_word(row.status)),
            error=True,
        )


class AcknowledgeDialog(ComplaintDialog):
    TITLE_TEXT = N_("Acknowledge")

    def cleaners(self) -> Mapping[str, Cleaner]:
        return {"promise": self._clean_promise, "note": COMPLAINT_FIELDS["note"]}

    def save_label(self) -> str:
        return _("Acknowledge")

    def _now(self) -> datetime:
        return self.ctx.local(self.ctx.now())

    def _clean_promise(self, value: Any, today: date | None = None) -> datetime | None:
        resolution = resolve_moment(str(value or ""), self._now(), required=True, future=True)
        if resolution.error:
            raise FieldError(resolution.error)
        return resolution.moment

    def compose_fields(self) -> ComposeResult:
        control = DateTimeInput(
            now=self._now, required=True, future=True, placeholder="+4h", id="field-promise"
        )
        yield FieldRow("promise", _("Promised"), control, required=True)
        yield self.text_row(
            "note",
            _("Note"),
            wide=True,
            lines=3,
            placeholder=_("what the customer was told (optional)"),
        )

    def intro_text(self) -> Text:
        text = super().intro_text()
        text.append(
            "\n" + _("When will the customer hear back? (+4h, tomorrow 10:00, 2026-12-01 14:00)"),
            style="italic",
        )
        return text

    def act(self, values: dict[str, Any], expected_version: int) -> object:
        return acknowledge(
            self.ctx,
            self.row.id,
            values["promise"],
            note=values["note"],
            expected_version=expected_version,
        )


class ResolveDialog(ComplaintDialog):
    TITLE_TEXT = N_("Resolve")
    FIELDS = {
        "resolution": COMPLAINT_FIELDS["resolution"],
        "root_cause": COMPLAINT_FIELDS["root_cause"],
    }

    def save_label(self) -> str:
        return _("Resolve")

    def compose_fields(self) -> ComposeResult:
        yield self.text_row(
            "resolution",
            _("Resolution"),
            required=True,
            wide=True,
            lines=4,
            placeholder=_("what was done"),
        )
        yield self.text_row(
            "root_cause", _("Root cause"), wide=True, placeholder=_("why it happened")
        )

    def act(self, values: dict[str, Any], expected_version: int) -> object:
        return resolve(
            self.ctx,
            self.row.id,
            values["resolution"],
            values["root_cause"],
            expected_version=expected_version,
        )


class CloseDialog(ComplaintDialog):
    TITLE_TEXT = N_("Close")
    FIELDS = {"satisfaction": COMPLAINT_FIELDS["satisfaction"], "note": COMPLAINT_FIELDS["note"]}

    def save_label(self) -> str:
        return _("Close")

    def compose_fields(self) -> ComposeResult:
        yield self.text_row(
            "satisfaction",
            _("Satisfaction"),
            hint=_("1 (very unhappy) to 5 (very happy); empty if not given"),
        )
        yield self.text_row("note", _("Note"), wide=True, lines=3)

    def act(self, values: dict[str, Any], expected_version: int) -> object:
        return close(
            self.ctx,
            self.row.id,
            values["satisfaction"],
            note=values["note"],
            expected_version=expected_version,
        )


class SeverityDialog(ComplaintDialog):
    TITLE_TEXT = N_("Severity")
    FIELDS = {"severity": choice(SEVERITIES), "note": COMPLAINT_FIELDS["note"]}

    def compose_fields(self) -> ComposeResult:
        yield self.select_row(
            "severity",
            _("Severity"),
            choices(SEVERITIES, "severity"),
            self.row.severity,
            hint=targets_hint(self.ctx.config.sla, self.row.severity),
        )
        yield self.text_row("note", _("Why"), wide=True, lines=3)

    def intro_text(self) -> Text:
        text = super().intro_text()
        text.append(
            "\n" + _("Both deadlines are worked out again from when it was opened."), style="italic"
        )
        return text

    def field_changed(self, row: FieldRow) -> None:
        if row.field == "severity":
            row.set_hint(targets_hint(self.ctx.config.sla, row.value))

    def act(self, values: dict[str, Any], expected_version: int) -> object:
        return set_severity(
            self.ctx,
            self.row.id,
            values["severity"],
            note=values["note"],
            expected_version=expected_version,
        )


class OwnerDialog(ComplaintDialog):
    TITLE_TEXT = N_("Owner")

    def __init__(self, row: QueueRow, handlers: list[tuple[str, str]]) -> None:
        """handlers: (label, login) of the support staff and managers."""
        super().__init__(row)
        self.handlers = handlers

    def compose_fields(self) -> ComposeResult:
        yield self.select_row("owner", _("Owner"), self.handlers, self.row.owner, blank=_("nobody"))

    def act(self, values: dict[str, Any], expected_version: int) -> object:
        return assign(
            self.ctx, self.row.id, values["owner"] or "-", expected_version=expected_version
        )


class ReopenDialog(ComplaintDialog):
    TITLE_TEXT = N_("Reopen")
    FIELDS = {"note": COMPLAINT_FIELDS["note"]}

    def save_label(self) -> str:
        return _("Reopen")

    def intro_text(self) -> Text:
        text = super().intro_text()
        text.append("\n" + _("It keeps its original deadlines."), style="italic")
        return text

    def compose_fields(self) -> ComposeResult:
        yield self.text_row(
            "note", _("Why"), wide=True, lines=3, placeholder=_("what did not hold (optional)")
        )

    def act(self, values: dict[str, Any], expected_version: int) -> object:
        return reopen(self.ctx, self.row.id, note=values["note"], expected_version=expected_version)


class NoteDialog(ComplaintDialog):
    """A note on the timeline; notes never conflict, so no version is passed."""

    TITLE_TEXT = N_("Note")
    FIELDS = {"note": COMPLAINT_FIELDS["timeline_note"]}

    def compose_fields(self) -> ComposeResult:
        yield self.text_row("note", _("Note"), required=True, wide=True, lines=6)

    def act(self, values: dict[str, Any], expected_version: int) -> object:
        return add_note(self.ctx, self.row.id, values["note"])


# -- a new complaint ------------------------------------------------------------------------------


def customer_matches(ctx: Context, text: str) -> list[CustomerMatch]:
    """The customers typed text finds (runs in a worker)."""
    found = []
    for customer in find_customers(ctx, text, limit=CUSTOMER_MATCHES):
        label = f"#{customer.id} {customer.name}" + (
            f" · {customer.company}" if customer.company else ""
        )
        found.append(CustomerMatch(customer.id, label, customer.name))
    return found


class OpenedComplaint(Protocol):
    """What the screens read of a complaint just recorded."""

    @property
    def id(self) -> int: ...
    @property
    def respond_by(self) -> datetime: ...
    @property
    def resolve_by(self) -> datetime: ...


def opened_message(ctx: Context, complaint: OpenedComplaint | None) -> str:
    """What the user is told once a complaint is recorded."""
    if complaint is None:
        return ""
    return _("Complaint #{id} opened: respond by {respond}, resolve by {resolve}.").format(
        id=complaint.id,
        respond=moment(complaint.respond_by, ctx.zone),
        resolve=moment(complaint.resolve_by, ctx.zone),
    )


def _chosen_customer(value: Any, today: date | None = None) -> int:
    if not value:
        raise FieldError(_("pick one: type part of a name, then enter"))
    return int(value)


class NewComplaintDialog(FormDialog[OpenedComplaint]):
    """Record a complaint; for a customer given, or one chosen by searching."""

    TITLE_TEXT = N_("New complaint")
    FIELDS = {
        "customer": _chosen_customer,
        "severity": choice(SEVERITIES),
        "summary": COMPLAINT_FIELDS["summary"],
        "channel": choice(CHANNELS),
        "category": COMPLAINT_FIELDS["category"],
        "description": COMPLAINT_FIELDS["description"],
    }

    def __init__(self, customer_id: int | None = None, name: str = "") -> None:
        super().__init__()
        self.customer_id = customer_id
        """None: chosen in the form."""
        self.name_text = name

    def intro_text(self) -> Text:
        if self.customer_id is None:
            return Text(_("Choose the customer by name, company, phone or pinyin initials."))
        return plain(self.name_text)

    def save_label(self) -> str:
        return pgettext("button", "Open")

    def compose_fields(self) -> ComposeResult:
        if self.customer_id is None:
            picker = CustomerPicker(
                placeholder=_("name, company, phone, pinyin…"), id="field-customer"
            )
            yield FieldRow("customer", _("Customer"), picker, required=True)
        # what happened first: typing straight after `x` or `n` writes the summary
        yield self.text_row("summary", _("Summary"), required=True, wide=True, lines=2)
        yield self.select_row(
            "severity",
            _("Severity"),
            choices(SEVERITIES, "severity"),
            "normal",
            hint=targets_hint(self.ctx.config.sla, "normal"),
        )
        yield self.select_row("channel", _("Channel"), choices(CHANNELS, "channel"), "phone")
        yield self.text_row("category", _("Category"), placeholder=_("delivery, quality…"))
        yield self.text_row("description", _("Description"), wide=True, lines=5)

    def field_changed(self, row: FieldRow) -> None:
        if row.field == "severity":
            row.set_hint(targets_hint(self.ctx.config.sla, row.value))

    @on(CustomerPicker.Search)
    def _search(self, event: CustomerPicker.Search) -> None:
        picker, text = event.picker, event.text
        self.call_service(
            customer_matches,
            self.ctx,
            text,
            done=lambda found: picker.show_matches(text, found),
            failed=lambda error: True,
            group="search",
        )

    @on(CustomerPicker.Chosen)
    def _chosen(self, event: CustomerPicker.Chosen) -> None:
        row = self.rows["customer"]
        if event.match is None:
            row.set_hint("")
        else:
            row.set_error(None)
            row.set_hint("→ " + event.match.label)

    def save(self, values: dict[str, Any]) -> OpenedComplaint:
        customer = self.customer_id if self.customer_id is not None else int(values["customer"])
        return open_complaint(
            self.ctx,
            customer,
            values["severity"],
            values["summary"],
            channel=values["channel"],
            category=values["category"],
            description=values["description"],
        )
