"""Logging a contact (`l`): channel, summary, outcome, next step and date, an optional promise,
the person spoken to (one of the customer's contacts) and, after a visit to a customer with an
account plan, a line of the plan's progress; from a due item, settling the item too (promise
kept, greeting sent, referral asked, next review). When the contact holds an appointment (the
one logged from Today's schedule, or the user's open one with the customer today), it closes it
and asks the review's questions: was the purpose met, were the manager's instructions carried
out (when there are any), what is still open."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from crmtui.i18n import N_, _
from crmtui.labels import label
from crmtui.present.schedule import appointment_heading
from crmtui.present.styles import grade_style
from crmtui.present.text import plain
from crmtui.rules import VISIT_CHANNELS, DueItem, DueKind, Grade
from crmtui.screens.dialogs.corrections import form_text
from crmtui.screens.dialogs.form import Cleaner, FormDialog, choices
from crmtui.services.appointment_views import AppointmentView
from crmtui.services.appointments import (
    appointment,
    open_appointment_id,
    open_instructions,
)
from crmtui.services.contacts import contacts_of
from crmtui.services.context import Context
from crmtui.services.interactions import log_interaction
from crmtui.services.validation import (
    CHANNELS,
    DIRECTIONS,
    INTERACTION_FIELDS,
    OUTCOMES,
    REVIEW_ANSWERS,
    REVIEW_FIELDS,
    FieldError,
    clean_date,
)
from crmtui.views.interactions import LogResult
from crmtui.widgets.date_input import DateTimeInput, resolve_moment
from crmtui.widgets.form import FieldRow

if TYPE_CHECKING:  # loaded with the services that read them, not at the app's start
    from crmtui.services.corrections import EditableRecord
    from crmtui.services.instructions import InstructionRow

LOG_FIELDS = (
    "summary",
    "at",
    "channel",
    "outcome",
    "next_step",
    "next_on",
    "promise",
    "promise_due",
    "referral_ask",
    "contact",
    "plan_progress",
)
REVIEW = ("purpose_met", "instructions_done", "still_open")
CHANNEL_OF_KIND = {"visit": "visit", "call": "phone", "meeting": "meeting"}
"""The channel a held appointment's contact is logged with, by the appointment's kind."""


@dataclass(frozen=True)
class LogChoices:
    """The customer's contacts to name (label, id), whether they have an account plan, the
    appointment the contact closes (if any) and the manager's open instructions to review."""

    contacts: list[tuple[str, int]]
    has_plan: bool
    appointment: AppointmentView | None = None
    instructions: tuple[InstructionRow, ...] = ()


def log_choices(ctx: Context, customer_id: int, appointment_id: int | None = None) -> LogChoices:
    """Runs in a worker: what the log form offers for this customer."""
    # on first use: kept out of the app's start-up imports
    from crmtui.services.plans import has_plan

    people = [
        (f"{c.name} · {label('contact_role', c.role)}" + (f" · {c.title}" if c.title else ""), c.id)
        for c in contacts_of(ctx, customer_id)
    ]
    if appointment_id is None:
        appointment_id = open_appointment_id(ctx, customer_id, ctx.today(), at=ctx.now())
    held = appointment(ctx, appointment_id) if appointment_id is not None else None
    return LogChoices(
        contacts=people,
        has_plan=has_plan(customer_id),
        appointment=held,
        instructions=tuple(open_instructions(ctx, customer_id)),
    )


@dataclass(frozen=True)
class LogTarget:
    """Whom the contact was with, and the due item it answers (if logged from Today)."""

    customer_id: int
    name: str
    company: str = ""
    grade: str | None = None
    item: DueItem | None = None
    appointment_id: int | None = None
    """An appointment of the schedule being logged as held."""
    channel: str = "phone"

    @classmethod
    def from_item(cls, item: DueItem) -> LogTarget:
        return cls(
            item.customer_id,
            item.customer,
            item.company,
            item.grade.value if item.grade else None,
            item,
        )

    @classmethod
    def for_appointment(cls, view: AppointmentView) -> LogTarget:
        """Logging an appointment of the schedule (a visit, call or meeting held)."""
        return cls(
            view.customer_id,
            view.customer,
            view.company,
            appointment_id=view.id,
            channel=CHANNEL_OF_KIND.get(view.kind, "phone"),
        )


@dataclass(frozen=True)
class Logged:
    result: LogResult
    settled: bool
    """True when the due item it was logged for is done and leaves the list."""


def settles(kind: DueKind, values: Mapping[str, Any]) -> bool:
    if kind is DueKind.PROMISE:
        return bool(values.get("promise_kept"))
    if kind is DueKind.REFERRAL:
        return bool(values.get("referral_ask"))
    return kind is not DueKind.COMPLAINT


INTERACTION_EDITS = (
    "summary",
    "channel",
    "outcome",
    "direction",
    "at",
    "next_step",
    "next_on",
    "contact",
    "referral_ask",
)
"""What correcting a logged contact changes (the promise made in it is corrected on its own)."""


Result = TypeVar("Result")


class ContactForm(FormDialog[Result]):
    """What logging a contact and correcting one share: whom it was with (the intro), the time
    it happened, and the customer's contacts to name once they are read."""

    FIELDS = {**INTERACTION_FIELDS, "next_review": clean_date, **REVIEW_FIELDS}

    def __init__(self, target: LogTarget) -> None:
        super().__init__()
        self.target = target
        self.has_plan = False
        self.shown: dict[str, Any] = {}
        """The values the form opened with (a correction's)."""

    def cleaners(self) -> Mapping[str, Cleaner]:
        return {**self.FIELDS, "at": self._clean_at}

    def _now(self) -> datetime:
        return self.ctx.local(self.ctx.now())

    def _clean_at(self, value: Any, today: date | None = None) -> datetime | None:
        """When the contact happened: empty is now; back-dated through the same parser as
        every time typed (the service parses it again when saving)."""
        resolution = resolve_moment(str(value or ""), self._now(), past=True)
        if resolution.error:
            raise FieldError(resolution.error)
        return resolution.moment

    def on_mount(self) -> None:
        self.call_service(
            log_choices,
            self.ctx,
            self.target.customer_id,
            self.target.appointment_id,
            done=self._offer_choices,
            group="choices",
        )

    def _offer_choices(self, found: LogChoices) -> None:
        rows = self.rows
        if found.contacts and "contact" in rows:
            rows["contact"].set_options(found.contacts)
            rows["contact"].display = True
            if self.shown.get("contact"):
                unchanged = not self.has_changes
                rows["contact"].value = self.shown["contact"]
                if unchanged:  # what the form shows, not a change of the user's
                    self.remember_values()
        self.has_plan = found.has_plan
        self._offer_progress()

    def _offer_progress(self) -> None:
        """The plan's progress line is asked after a visit (or meeting) on a planned account."""
        rows = self.rows
        if "plan_progress" in rows:
            rows["plan_progress"].display = (
                self.has_plan and rows["channel"].value in VISIT_CHANNELS
            )

    def field_changed(self, row: FieldRow) -> None:
        if row.field == "channel":
            self._offer_progress()

    def intro_text(self) -> Text:
        target = self.target
        text = Text()
        text.append(plain(target.name, "bold"))
        if target.company:
            text.append(" · ")
            text.append(plain(target.company))
        if target.grade:
            text.append(" · " + _("grade") + " ")
            text.append(target.grade, style=grade_style(target.grade))
        if target.item is not None:
            text.append("\n")
            text.append(plain(_("Due: {detail}").format(detail=target.item.detail)))
        playbook = self.ctx.config.playbook.get(Grade(target.grade)) if target.grade else None
        if playbook:
            text.append("\n")
            text.append(
                plain(
                    _("Playbook {grade}: {line}").format(grade=target.grade, line=playbook),
                    "italic",
                )
            )
        return text


class LogDialog(ContactForm[Logged]):
    """Log a contact (closing the appointment it holds, if any, with its review)."""

    TITLE_TEXT = N_("Log an interaction")

    def __init__(self, target: LogTarget) -> None:
        super().__init__(target)
        self.closing: AppointmentView | None = None
        """The appointment this contact closes, once read: its review is asked."""

    def _offer_choices(self, found: LogChoices) -> None:
        super()._offer_choices(found)
        self.closing = found.appointment
        if self.closing is not None:
            rows = self.rows
            closing = self.query_one("#closing", Static)
            shown = Text(_("Closes the appointment:") + " ", style="bold") + appointment_heading(
                self.closing, self.ctx.zone
            )
            if found.instructions:  # what the question below asks about
                shown.append(
                    "\n"
                    + _("The manager's instructions: {items}").format(
                        items="; ".join(" ".join(row.text.split()) for row in found.instructions)
                    )
                )
            closing.update(shown)
            closing.display = True
            for name in ("purpose_met", "still_open"):
                rows[name].display = True
            rows["instructions_done"].display = bool(found.instructions)

    def compose_fields(self) -> ComposeResult:
        item = self.target.item
        yield self.text_row(
            "summary",
            _("Summary"),
            required=True,
            wide=True,
            lines=3,
            placeholder=_("what was said"),
        )
        yield FieldRow(
            "at",
            _("When"),
            DateTimeInput(
                now=self._now,
                past=True,
                id="field-at",
                empty_hint=_("now; or earlier: 10:30, yesterday 15:00, -2h"),
            ),
        )
        yield self.select_row(
            "channel", _("Channel"), choices(CHANNELS, "channel"), self.target.channel
        )
        yield self.select_row("outcome", _("Outcome"), choices(OUTCOMES, "outcome"), "neutral")
        yield self.text_row(
            "next_step", _("Next step"), wide=True, placeholder=_("what comes next (optional)")
        )
        yield self.date_row("next_on", _("Next date"))
        yield self.text_row(
            "promise", _("Promise"), wide=True, placeholder=_("what you promised (optional)")
        )
        yield self.date_row("promise_due", _("Promise due"))
        contact = self.select_row("contact", _("Spoke with"), [], blank=_("(not named)"))
        contact.display = False  # shown once the customer's contacts are read
        yield contact
        progress = self.text_row(
            "plan_progress",
            _("Plan progress"),
            wide=True,
            placeholder=_("a line for the account plan (optional)"),
        )
        progress.display = False
        yield progress
        yield self.check_row(
            "referral_ask",
            _("Asked for a referral"),
            item is not None and item.kind is DueKind.REFERRAL,
        )
        if item is not None and item.kind is DueKind.PROMISE and item.ref_id is not None:
            yield self.check_row(
                "promise_kept",
                _("Promise kept: {text}").format(text=item.detail.split(" · ")[0]),
                True,
            )
        if item is not None and item.kind is DueKind.REVIEW and item.ref_id is not None:
            yield self.date_row("next_review", _("Next review"), "+3m", required=True)
        closing = Static("", id="closing")
        closing.display = False  # the review, once the appointment it closes is read
        yield closing
        answers = choices(REVIEW_ANSWERS, "review_answer")
        for row in (
            self.select_row("purpose_met", _("Purpose met"), answers, blank=_("(not answered)")),
            self.select_row(
                "instructions_done", _("Instructions done"), answers, blank=_("(not answered)")
            ),
            self.text_row(
                "still_open",
                _("Still open"),
                wide=True,
                placeholder=_("what is left to do after this visit"),
            ),
        ):
            row.display = False
            yield row

    def save(self, values: dict[str, Any]) -> Logged:
        # on first use: kept out of the app's start-up imports
        from crmtui.services.worklist import log_due_item

        target = self.target
        fields = {name: values[name] for name in LOG_FIELDS if name in values}
        fields["contact"] = fields.get("contact") or None
        if fields.get("channel") not in VISIT_CHANNELS or not self.has_plan:
            fields.pop("plan_progress", None)
        if self.closing is not None:
            fields["appointment"] = self.closing.id
            fields.update({name: values.get(name) or None for name in REVIEW})
            fields["still_open"] = values.get("still_open") or ""
        item = target.item
        if item is None:
            return Logged(log_interaction(self.ctx, target.customer_id, **fields), False)
        result = log_due_item(
            self.ctx,
            item.kind,
            target.customer_id,
            item.ref_id,
            promise_kept=bool(values.get("promise_kept")),
            next_review=values.get("next_review"),
            **fields,
        )
        return Logged(result, settles(item.kind, values))


class EditInteractionDialog(ContactForm[object]):
    """Correct a logged contact (`record`, as services.corrections.read_record reads it); it
    dismisses with the corrected record, or None when nothing changed."""

    def __init__(self, target: LogTarget, record: EditableRecord) -> None:
        super().__init__(target)
        self.record = record
        values = record.values
        self.shown = {
            "summary": values["summary"],
            "channel": values["channel"],
            "outcome": values["outcome"],
            "direction": values["direction"],
            "next_step": values["next_step"],
            "next_on": form_text(values["next_on"]),
            "contact": values.get("contact") or "",
            "referral_ask": bool(values["referral_ask"]),
        }

    def title_text(self) -> str:
        return _("Edit interaction #{id}").format(id=self.record.id)

    def compose_fields(self) -> ComposeResult:
        shown = self.shown
        shown["at"] = form_text(self.record.values["at"], self.ctx.zone)  # the user's zone
        yield self.text_row(
            "summary", _("Summary"), shown["summary"], required=True, wide=True, lines=3
        )
        yield self.select_row(
            "channel", _("Channel"), choices(CHANNELS, "channel"), shown["channel"]
        )
        yield self.select_row(
            "outcome", _("Outcome"), choices(OUTCOMES, "outcome"), shown["outcome"]
        )
        yield self.select_row(
            "direction", _("Direction"), choices(DIRECTIONS, "direction"), shown["direction"]
        )
        yield self.text_row(
            "at", _("When"), shown["at"], required=True, hint=_("e.g. 2026-11-23 10:42")
        )
        yield self.text_row("next_step", _("Next step"), shown["next_step"], wide=True)
        yield self.date_row("next_on", _("Next date"), shown["next_on"])
        contact = self.select_row("contact", _("Spoke with"), [], blank=_("(not named)"))
        contact.display = False
        yield contact
        yield self.check_row("referral_ask", _("Asked for a referral"), shown["referral_ask"])

    def save(self, values: dict[str, Any]) -> object:
        # on first use: kept out of the app's start-up imports
        from crmtui.services.corrections import edit_interaction

        record = self.record
        changes = self.changed(values, self.shown)
        if not changes:
            return None  # nothing changed: as if cancelled
        if "contact" in changes:
            changes["contact"] = changes["contact"] or ""
        return edit_interaction(
            self.ctx, record.id, changes, expected_version=record.version, expected=record.expected
        )
