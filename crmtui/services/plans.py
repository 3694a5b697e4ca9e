"""Account plans for key customers (重点客户计划): quantitative targets (products, the year's
amount and volume, price, a visit cycle), qualitative ones (services promised; strengths,
weaknesses, opportunities, threats), progress notes added after visits, and a review date on
the owner's due list (quarterly unless set).

The plan's visit cycle is part of the customer's schedule (services.customers.reschedule), so
setting or clearing it moves the customer's next due date in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from crmtui.db import AccountPlan, Customer
from crmtui.errors import InvalidInput, NotFound
from crmtui.i18n import _
from crmtui.rules import PlanProgress
from crmtui.services.access import can_edit, get_editable_customer, get_visible_customer
from crmtui.services.audit import audit
from crmtui.services.context import Context, writes
from crmtui.services.customer_columns import reschedule
from crmtui.services.plan_figures import progress_of, year_figures
from crmtui.services.record_views import copied
from crmtui.services.validation import (
    FieldError,
    clean_date,
    clean_fields,
    clean_int,
    clean_money,
    clean_text,
    one_field,
    optional_text,
)
from crmtui.views.profile import PlanFacts

REVIEW_EVERY = "+3m"
"""A new plan is reviewed a quarter from the day it is made unless a day is given."""
NOTE_SEPARATOR = " · "


def clean_cycle(value: Any, today: date | None = None) -> int | None:
    """Days between visits: a whole number from 1 to 366, or nothing (no cycle)."""
    if value is None or str(value).strip() == "":
        return None
    try:
        days = int(str(value).strip())
    except ValueError:
        raise FieldError(_("'{text}' is not a whole number of days").format(text=value)) from None
    if days < 1:
        raise FieldError(_("a visit cycle is at least one day"))
    if days > 366:
        raise FieldError(_("a visit cycle is at most 366 days"))
    return days


def clean_review(value: Any, today: date) -> date | None:
    day = clean_date(value, today)
    if day is not None and day < today:
        raise FieldError(_("a review is today or later, not {day}").format(day=day.isoformat()))
    return day


PLAN_FIELDS: dict[str, Callable[[Any, date], Any]] = {
    "products": optional_text(2000, multiline=True),
    "target_amount": clean_money,
    "target_volume": clean_int(0, 1_000_000_000),
    "target_price": clean_money,
    "visit_every_days": clean_cycle,
    "services": optional_text(2000, multiline=True),
    "strengths": optional_text(2000, multiline=True),
    "weaknesses": optional_text(2000, multiline=True),
    "opportunities": optional_text(2000, multiline=True),
    "threats": optional_text(2000, multiline=True),
    "review_on": clean_review,
}


@dataclass(frozen=True)
class PlanSaved:
    plan: PlanFacts
    created: bool
    customer_id: int


@writes
def set_plan(
    ctx: Context, customer_id: int, values: Mapping[str, Any], *, progress: str = ""
) -> PlanSaved:
    """Create the customer's plan or change the fields given (None leaves one as it is; an
    empty text clears it). A new plan's review falls a quarter ahead unless one is given."""
    customer = get_editable_customer(ctx, customer_id)
    today = ctx.today()
    cleaned = clean_fields({k: v for k, v in values.items() if v is not None}, today, PLAN_FIELDS)
    note = _clean_note(progress)
    found = AccountPlan.get_or_none(AccountPlan.customer == customer.id)
    created = found is None
    if found is None:
        if cleaned.get("review_on") is None:
            cleaned["review_on"] = clean_date(REVIEW_EVERY, today)
        plan = AccountPlan(customer=customer, updated_at=ctx.now())
    else:
        plan = found
        if "review_on" in cleaned and cleaned["review_on"] is None:
            cleaned.pop("review_on")  # a plan always has a review: an empty one leaves it
    old_cycle = plan.visit_every_days
    for name, value in cleaned.items():
        setattr(plan, name, value)
    if note:
        plan.progress = _prepend(ctx, plan.progress, note, today)
    plan.updated_at = ctx.now()
    plan.updated_by_id = ctx.user.id
    plan.save(force_insert=created)
    if created or plan.visit_every_days != old_cycle:
        _reschedule(ctx, customer)
    return PlanSaved(plan=copied(PlanFacts, plan), created=created, customer_id=customer.id)


def _clean_note(text: Any) -> str:
    note: str = one_field("progress", clean_text, text, limit=500)
    return note


def _prepend(ctx: Context, notes: str, note: str, day: date) -> str:
    line = NOTE_SEPARATOR.join((day.isoformat(), ctx.user.login, note))
    return line + ("\n" + notes if notes else "")


@writes
def add_progress(
    ctx: Context, customer_id: int, text: Any, *, on: date | None = None
) -> AccountPlan:
    """A progress line on the customer's plan (after a visit, say), newest first."""
    customer = get_editable_customer(ctx, customer_id)
    plan = AccountPlan.get_or_none(AccountPlan.customer == customer.id)
    if plan is None:
        raise NotFound(_("{name} has no account plan").format(name=customer.name))
    note = _clean_note(text)
    if not note:
        raise InvalidInput.one("progress", _("required"))
    plan.progress = _prepend(ctx, plan.progress, note, on or ctx.today())
    plan.updated_at = ctx.now()
    plan.updated_by_id = ctx.user.id
    plan.save()
    return plan


@writes
def remove_plan(ctx: Context, customer_id: int) -> AccountPlan:
    """Remove the customer's plan (audited); its visit cycle leaves the schedule."""
    customer = get_editable_customer(ctx, customer_id)
    plan = AccountPlan.get_or_none(AccountPlan.customer == customer.id)
    if plan is None:
        raise NotFound(_("{name} has no account plan").format(name=customer.name))
    AccountPlan.delete().where(AccountPlan.id == plan.id).execute()
    _reschedule(ctx, customer)
    audit(
        ctx,
        "delete",
        "account_plan",
        plan.id,
        f"plan of {customer.name} (#{customer.id}), review {plan.review_on}",
    )
    return plan


def _reschedule(ctx: Context, customer: Customer) -> None:
    """The customer's schedule after its visit cycle changed (stored columns only: the
    customer's own fields, and its version, are untouched)."""
    reschedule(ctx, customer)
    Customer.update(
        next_due=customer.next_due, cadence_due=customer.cadence_due, due_rule=customer.due_rule
    ).where(Customer.id == customer.id).execute()


# -- reads ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgressNote:
    on: date | None
    by: str
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"on": self.on, "by": self.by, "text": self.text}


def progress_notes(text: str) -> list[ProgressNote]:
    """The plan's progress lines, newest first (a line typed before notes were dated keeps
    its text whole)."""
    notes = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        parts = line.split(NOTE_SEPARATOR, 2)
        try:
            day = date.fromisoformat(parts[0]) if len(parts) == 3 else None
        except ValueError:
            day = None
        notes.append(
            ProgressNote(day, parts[1], parts[2]) if day else ProgressNote(None, "", line.strip())
        )
    return notes


@dataclass(frozen=True)
class PlanStatus:
    """A plan with its year so far."""

    customer_id: int
    customer: str
    plan: PlanFacts
    progress: PlanProgress
    notes: list[ProgressNote]
    editable: bool

    def to_json(self) -> dict[str, Any]:
        p, y = self.plan, self.progress
        return {
            "customer_id": self.customer_id,
            "customer": self.customer,
            "id": p.id,
            "products": p.products,
            "target_amount": p.target_amount,
            "target_volume": p.target_volume,
            "target_price": p.target_price,
            "visit_every_days": p.visit_every_days,
            "services": p.services,
            "strengths": p.strengths,
            "weaknesses": p.weaknesses,
            "opportunities": p.opportunities,
            "threats": p.threats,
            "review_on": p.review_on,
            "updated_at": p.updated_at,
            "year": {
                "year": y.year,
                "ordered": y.ordered,
                "share": None if y.share is None else round(y.share, 4),
                "visits": y.visits,
                "expected_visits": y.expected_visits,
            },
            "progress": [note.to_json() for note in self.notes],
        }


def has_plan(customer_id: int) -> bool:
    return AccountPlan.select().where(AccountPlan.customer == customer_id).exists()


def plan_status(ctx: Context, customer_id: int) -> PlanStatus | None:
    """The customer's plan and its year so far, or None without a plan."""
    customer = get_visible_customer(ctx, customer_id)
    plan = AccountPlan.get_or_none(AccountPlan.customer == customer.id)
    if plan is None:
        return None
    today = ctx.today()
    figures = year_figures(ctx, [customer.id], today)[customer.id]
    return PlanStatus(
        customer_id=customer.id,
        customer=customer.name,
        plan=copied(PlanFacts, plan),
        progress=progress_of(plan, figures, today),
        notes=progress_notes(plan.progress),
        editable=can_edit(ctx, customer),
    )


__all__ = [
    "PLAN_FIELDS",
    "REVIEW_EVERY",
    "clean_cycle",
    "PlanSaved",
    "set_plan",
    "add_progress",
    "remove_plan",
    "ProgressNote",
    "progress_notes",
    "PlanStatus",
    "year_figures",
    "progress_of",
    "has_plan",
    "plan_status",
]
