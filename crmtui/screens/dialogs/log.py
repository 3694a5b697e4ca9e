"""Logging a contact (`l`): channel, summary, outcome, next step and date, an optional promise,
the person spoken to (one of the customer's contacts) and, after a visit to a customer with an
account plan, a line of the plan's progress; from a due item, settling the item too (promise
kept, greeting sent, referral asked, next review)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from rich.text import Text
from textual.app import ComposeResult

from crmtui.present.styles import grade_style
from crmtui.present.text import plain

from crmtui.i18n import N_, _
from crmtui.rules import VISIT_CHANNELS, DueItem, DueKind, Grade
from crmtui.screens.dialogs.form import FormDialog, choices
from crmtui.services.interactions import LogResult
from crmtui.services.validation import CHANNELS, INTERACTION_FIELDS, OUTCOMES, clean_date

LOG_FIELDS = ("summary", "channel", "outcome", "next_step", "next_on", "promise", "promise_due",
              "referral_ask", "contact", "plan_progress")


@dataclass(frozen=True)
class LogChoices:
    """The customer's contacts to name (label, id) and whether they have an account plan."""

    contacts: list[tuple[str, int]]
    has_plan: bool


def log_choices(ctx, customer_id: int) -> LogChoices:
    """Runs in a worker: what the log form offers for this customer."""
    from crmtui.labels import label
    from crmtui.services.contacts import contacts_of
    from crmtui.services.plans import has_plan

    people = [(f"{c.name} · {label('contact_role', c.role)}" + (f" · {c.title}" if c.title
                                                                  else ""), c.id)
              for c in contacts_of(ctx, customer_id)]
    return LogChoices(contacts=people, has_plan=has_plan(customer_id))


@dataclass(frozen=True)
class LogTarget:
    """Whom the contact was with, and the due item it answers (if logged from Today)."""

    customer_id: int
    name: str
    company: str = ""
    grade: str | None = None
    item: DueItem | None = None

    @classmethod
    def from_item(cls, item: DueItem) -> "LogTarget":
        return cls(item.customer_id, item.customer, item.company,
                   item.grade.value if item.grade else None, item)

    @classmethod
    def for_appointment(cls, view) -> "LogTarget":
        """Logging an appointment of the schedule (a visit, call or meeting held)."""
        return cls(view.customer_id, view.customer, view.company)


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


class LogDialog(FormDialog[Logged]):
    TITLE_TEXT = N_("Log an interaction")
    FIELDS = {**INTERACTION_FIELDS, "next_review": clean_date}

    def __init__(self, target: LogTarget) -> None:
        super().__init__()
        self.target = target
        self.has_plan = False

    def on_mount(self) -> None:
        self.call_service(log_choices, self.ctx, self.target.customer_id,
                          done=self._offer_choices, group="choices")

    def _offer_choices(self, found: LogChoices) -> None:
        rows = self.rows
        if found.contacts and "contact" in rows:
            rows["contact"].control.set_options(found.contacts)
            rows["contact"].display = True
        self.has_plan = found.has_plan
        self._offer_progress()

    def _offer_progress(self) -> None:
        """The plan's progress line is asked after a visit (or meeting) on a planned account."""
        rows = self.rows
        if "plan_progress" in rows:
            rows["plan_progress"].display = self.has_plan and rows["channel"].value in \
                VISIT_CHANNELS

    def field_changed(self, row) -> None:
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
            text.append(plain(_("Playbook {grade}: {line}").format(grade=target.grade,
                                                                   line=playbook), "italic"))
        return text

    def compose_fields(self) -> ComposeResult:
        item = self.target.item
        yield self.text_row("summary", _("Summary"), required=True, wide=True,
                            placeholder=_("what was said"))
        yield self.select_row("channel", _("Channel"), choices(CHANNELS, "channel"), "phone")
        yield self.select_row("outcome", _("Outcome"), choices(OUTCOMES, "outcome"), "neutral")
        yield self.text_row("next_step", _("Next step"), wide=True,
                            placeholder=_("what comes next (optional)"))
        yield self.date_row("next_on", _("Next date"))
        yield self.text_row("promise", _("Promise"), wide=True,
                            placeholder=_("what you promised (optional)"))
        yield self.date_row("promise_due", _("Promise due"))
        contact = self.select_row("contact", _("Spoke with"), [], blank=_("(not named)"))
        contact.display = False  # shown once the customer's contacts are read
        yield contact
        progress = self.text_row("plan_progress", _("Plan progress"), wide=True,
                                 placeholder=_("a line for the account plan (optional)"))
        progress.display = False
        yield progress
        yield self.check_row("referral_ask", _("Asked for a referral"),
                             item is not None and item.kind is DueKind.REFERRAL)
        if item is not None and item.kind is DueKind.PROMISE and item.ref_id is not None:
            yield self.check_row("promise_kept", _("Promise kept: {text}").format(
                text=item.detail.split(" · ")[0]), True)
        if item is not None and item.kind is DueKind.REVIEW and item.ref_id is not None:
            yield self.date_row("next_review", _("Next review"), "+3m", required=True)

    def save(self, values: dict[str, Any]) -> Logged:
        from crmtui.services.interactions import log_interaction
        from crmtui.services.worklist import log_due_item

        target = self.target
        fields = {name: values[name] for name in LOG_FIELDS if name in values}
        fields["contact"] = fields.get("contact") or None
        if fields.get("channel") not in VISIT_CHANNELS or not self.has_plan:
            fields.pop("plan_progress", None)
        item = target.item
        if item is None:
            return Logged(log_interaction(self.ctx, target.customer_id, **fields), False)
        result = log_due_item(self.ctx, item.kind, target.customer_id, item.ref_id,
                              promise_kept=bool(values.get("promise_kept")),
                              next_review=values.get("next_review"), **fields)
        return Logged(result, settles(item.kind, values))
