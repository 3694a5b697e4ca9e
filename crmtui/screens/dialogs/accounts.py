"""The key-account dialogs of the profile: a contact at the customer (`n` on the Contacts tab,
`enter` on a contact to edit it, `delete` to remove it), the account plan (`P`) and a
satisfaction survey (`S`, also on a closed complaint) over the team's configured dimensions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from rich.text import Text
from textual.app import ComposeResult

from crmtui.errors import InvalidInput
from crmtui.i18n import N_, _
from crmtui.labels import dimension_label, label
from crmtui.present.text import plain
from crmtui.screens.dialogs.form import CustomerDialog, choices
from crmtui.services.contacts import (
    CONTACT_FIELDS,
    add_contact,
    remove_contact,
    update_contact,
)
from crmtui.services.plans import PLAN_FIELDS, set_plan
from crmtui.services.validation import CONTACT_ROLES, clean_int, optional_text
from crmtui.views.contacts import ContactCard

CONTACT_FORM_FIELDS = (
    "name",
    "role",
    "title",
    "department",
    "phones",
    "email",
    "im_id",
    "birthday",
    "notes",
)
PLAN_FORM_FIELDS = (
    "products",
    "target_amount",
    "target_volume",
    "target_price",
    "visit_every_days",
    "services",
    "strengths",
    "weaknesses",
    "opportunities",
    "threats",
    "review_on",
)


class ContactDialog(CustomerDialog[Any]):
    """Add a contact at the customer, or edit one (`contact` given)."""

    FIELDS = CONTACT_FIELDS

    def __init__(self, customer_id: int, name: str, contact: ContactCard | None = None) -> None:
        super().__init__(customer_id, name)
        self.contact = contact

    def title_text(self) -> str:
        return _("New contact") if self.contact is None else _("Edit contact")

    def compose_fields(self) -> ComposeResult:
        c = self.contact
        yield self.text_row("name", _("Name"), c.name if c else "", required=True)
        yield self.select_row(
            "role",
            _("Role"),
            choices(CONTACT_ROLES, "contact_role"),
            c.role if c else "other",
            hint=_("who decides, influences, buys or uses"),
        )
        yield self.text_row("title", _("Title"), c.title if c else "")
        yield self.text_row("department", _("Department"), c.department if c else "")
        yield self.text_row(
            "phones",
            _("Phones"),
            ", ".join(c.phones) if c else "",
            placeholder=_("several: comma between"),
        )
        yield self.text_row("email", _("E-mail"), c.email if c else "")
        yield self.text_row("im_id", _("WeChat / IM"), c.im_id if c else "")
        yield self.text_row(
            "birthday",
            _("Birthday"),
            c.birthday if c else "",
            placeholder=_("1985-03-15, or 03-15"),
        )
        yield self.text_row("notes", _("Notes"), c.notes if c else "", wide=True, lines=3)

    def save(self, values: dict[str, Any]):
        fields = {name: values[name] for name in CONTACT_FORM_FIELDS if name in values}
        if self.contact is None:
            return add_contact(self.ctx, self.customer_id, fields)
        return update_contact(self.ctx, self.contact.id, fields)


class RemoveContactDialog(CustomerDialog[Any]):
    """Remove a contact, once asked; interactions that named them keep the name."""

    TITLE_TEXT = N_("Remove contact")

    def __init__(self, customer_id: int, name: str, contact: ContactCard) -> None:
        super().__init__(customer_id, name)
        self.contact = contact

    def intro_text(self) -> Text:
        contact = self.contact
        text = plain(self.name_text, "bold")  # stored text: never markup or escapes
        text.append("\n")
        text.append_text(
            plain(
                _(
                    "Remove {contact} ({role})? The interactions that named them keep the name."
                ).format(contact=contact.name, role=label("contact_role", contact.role))
            )
        )
        return text

    def save_label(self) -> str:
        return _("Remove")

    def save(self, values: dict[str, Any]):
        return remove_contact(self.ctx, self.contact.id)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class PlanDialog(CustomerDialog[Any]):
    """Create or change the customer's account plan (重点客户计划); a progress line may be added
    at the same time."""

    FIELDS = {**PLAN_FIELDS, "progress": optional_text(500)}

    def __init__(self, customer_id: int, name: str, plan: Any | None = None) -> None:
        super().__init__(customer_id, name)
        self.plan = plan

    def title_text(self) -> str:
        return _("New account plan") if self.plan is None else _("Account plan")

    def intro_text(self) -> Text:
        text = plain(self.name_text, "bold")
        if self.plan is None:
            text.append("\n" + _("Reviewed a quarter from today unless you give a day."), style="")
        return text

    def compose_fields(self) -> ComposeResult:
        plan = self.plan

        def value(name: str) -> str:
            return _text(getattr(plan, name)) if plan is not None else ""

        yield self.text_row("products", _("Products"), value("products"), wide=True)
        yield self.text_row(
            "target_amount",
            _("Target amount"),
            value("target_amount"),
            hint=_("orders for the year"),
        )
        yield self.text_row(
            "target_volume",
            _("Target volume"),
            value("target_volume"),
            hint=_("units for the year"),
        )
        yield self.text_row("target_price", _("Target price"), value("target_price"))
        yield self.text_row(
            "visit_every_days",
            _("Visit every"),
            value("visit_every_days"),
            hint=_("days between visits"),
        )
        yield self.text_row(
            "services",
            _("Services"),
            value("services"),
            wide=True,
            placeholder=_("services promised"),
        )
        yield self.text_row("strengths", _("Strengths"), value("strengths"), wide=True, lines=3)
        yield self.text_row("weaknesses", _("Weaknesses"), value("weaknesses"), wide=True, lines=3)
        yield self.text_row("opportunities", _("Opportunities"), value("opportunities"), wide=True)
        yield self.text_row("threats", _("Threats"), value("threats"), wide=True, lines=3)
        yield self.date_row("review_on", _("Review on"), plan.review_on if plan else "")
        yield self.text_row(
            "progress", _("Progress"), wide=True, placeholder=_("a line of progress (optional)")
        )

    def save(self, values: dict[str, Any]):
        fields = {name: values[name] for name in PLAN_FORM_FIELDS if name in values}
        return set_plan(self.ctx, self.customer_id, fields, progress=values.get("progress", ""))


SCORES = (
    (5, N_("very satisfied")),
    (4, N_("satisfied")),
    (3, N_("neutral")),
    (2, N_("dissatisfied")),
    (1, N_("very dissatisfied")),
)
COMPETITOR_SCORES = (
    (5, N_("much better")),
    (4, N_("better")),
    (3, N_("the same")),
    (2, N_("worse")),
    (1, N_("much worse")),
)
"""The Likert scale's words; comparing with competitors reads better / worse."""


def score_choices(dimension: str) -> list[tuple[str, str]]:
    scale = COMPETITOR_SCORES if dimension == "competitors" else SCORES
    return [(f"{n} · {_(words)}", str(n)) for n, words in scale]


class SurveyDialog(CustomerDialog[Any]):
    """A satisfaction survey: 1–5 on each of the team's dimensions (any left blank), and the
    customer's comment in their words; after a closed complaint when `complaint_id` is given."""

    TITLE_TEXT = N_("Satisfaction survey")

    def __init__(
        self, customer_id: int, name: str, complaint_id: int | None = None, record: Any = None
    ) -> None:
        super().__init__(customer_id, name)
        self.complaint_id = complaint_id
        self.record = record
        self.shown: dict[str, Any] = {}
        if record is not None:
            scores = record.values.get("scores") or {}
            self.complaint_id = record.values.get("complaint")
            self.shown = {
                **{f"score-{name}": str(score) for name, score in scores.items()},
                "comment": record.values.get("comment") or "",
            }

    def title_text(self) -> str:
        if self.record is None:
            return super().title_text()
        return _("Edit survey #{id}").format(id=self.record.id)

    @property
    def dimensions(self) -> tuple[str, ...]:
        return self.ctx.config.survey.dimensions

    @property
    def FIELDS(self):  # the dimensions are the team's
        return {
            **{f"score-{name}": clean_int(1, 5) for name in self.dimensions},
            "comment": optional_text(2000),
        }

    def intro_text(self) -> Text:
        text = plain(self.name_text, "bold")
        if self.complaint_id is not None:
            text.append(" · " + _("after complaint #{id}").format(id=self.complaint_id), style="")
        text.append("\n" + _("Score what the customer answered; leave the rest blank."), style="")
        return text

    def compose_fields(self) -> ComposeResult:
        labels = self.ctx.config.survey.labels
        shown = self.shown
        for name in self.dimensions:
            yield self.select_row(
                f"score-{name}",
                dimension_label(name, labels),
                score_choices(name),
                shown.get(f"score-{name}"),
                blank="–",
            )
        yield self.text_row(
            "comment",
            _("Comment"),
            shown.get("comment", ""),
            wide=True,
            lines=3,
            placeholder=_("in the customer's words"),
        )

    def save(self, values: dict[str, Any]):
        # on first use: kept out of the app's start-up imports
        from crmtui.services.corrections import edit_survey
        from crmtui.services.surveys import record_survey

        record = self.record
        if record is not None:
            shown = {**{f"score-{name}": "" for name in self.dimensions}, **self.shown}
            changes = self.changed(values, shown)
            if not changes:
                return None  # nothing changed: as if cancelled
            fields = {name.removeprefix("score-"): value for name, value in changes.items()}
            try:
                return edit_survey(
                    self.ctx,
                    record.id,
                    fields,
                    expected_version=record.version,
                    expected=record.expected,
                )
            except InvalidInput as error:  # the form names the scores' rows score-…
                raise InvalidInput(
                    {
                        (f"score-{k}" if k in self.dimensions else k): v
                        for k, v in error.errors.items()
                    }
                ) from None
        scores = {name: values.get(f"score-{name}") or None for name in self.dimensions}
        return record_survey(
            self.ctx,
            self.customer_id,
            scores,
            comment=values.get("comment", ""),
            complaint=self.complaint_id,
        )


__all__ = [
    "ContactDialog",
    "RemoveContactDialog",
    "PlanDialog",
    "SurveyDialog",
    "score_choices",
]
