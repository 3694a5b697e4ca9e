"""Correcting a record: each kind checked as it was when it was made, with what follows from it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from crmtui.db import (
    CareDate,
    Commitment,
    Interaction,
    Order,
    Survey,
    SurveyScore,
    Win,
)
from crmtui.errors import InvalidInput
from crmtui.i18n import _
from crmtui.present.numbers import money
from crmtui.rules import DIMENSIONS
from crmtui.services.contacts import contact_field
from crmtui.services.context import Context, writes
from crmtui.services.corrections.derived import (
    close_moment,
    follow_contacts,
    follow_orders,
    latest_contact,
    latest_win,
    refresh_survey_referral,
    settle,
)
from crmtui.services.corrections.records import corrected, editable_record, extra_scores, kind_of
from crmtui.services.customers import _save_versioned
from crmtui.services.interactions import clean_care, clean_moment
from crmtui.services.journal import (
    journal,
    record_values,
)
from crmtui.services.surveys import clean_scores
from crmtui.services.validation import (
    INTERACTION_FIELDS,
    ORDER_FIELDS,
    PROMISE_FIELDS,
    choice,
    clean_text,
    collect_field,
)
from crmtui.views.corrections import CorrectedRecord

PROMISE_STATUSES = ("open", "done", "broken")


def _given(changes: Mapping[str, Any], allowed: tuple[str, ...], kind: str) -> dict[str, Any]:
    """The fields to change (None leaves a field as it is); unknown names are refused."""
    given = {name: value for name, value in changes.items() if value is not None}
    unknown = [name for name in given if name not in allowed]
    if unknown:
        raise InvalidInput({name: _("unknown field") for name in unknown})
    if not given:
        raise InvalidInput.one(kind, _("say what to change"))
    return given


def _save(row: Any, values: Mapping[str, Any]) -> None:  # a record of any kind
    for name, value in values.items():
        setattr(row, name, value)
    row.version = (row.version or 1) + 1
    row.save()


INTERACTION_EDITS = (
    "summary",
    "channel",
    "outcome",
    "direction",
    "next_step",
    "next_on",
    "at",
    "contact",
    "referral_ask",
)


@writes
def edit_interaction(
    ctx: Context,
    interaction_id: Any,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
    expected: Mapping[str, Any] | None = None,
) -> CorrectedRecord:
    """Correct a logged contact: the fields given are checked as when logging it."""
    row: Interaction
    row, customer = editable_record(
        ctx, "interaction", interaction_id, expected_version=expected_version, expected=expected
    )
    given = _given(changes, INTERACTION_EDITS, "interaction")
    today = ctx.today()
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name in ("summary", "channel", "outcome", "direction", "next_step", "next_on"):
        if name in given:
            values[name] = collect_field(errors, name, INTERACTION_FIELDS[name], given[name], today)
    if "at" in given:
        if str(given["at"]).strip() == "":
            errors["at"] = _("required")
        else:
            values["at"] = collect_field(errors, "at", clean_moment, given["at"], ctx)
    if "referral_ask" in given:
        values["referral_ask"] = bool(given["referral_ask"])
    if "contact" in given:
        person = collect_field(errors, "contact", contact_field, customer.id, given["contact"])
        if "contact" not in errors:
            values["contact"] = person.id if person else None
            values["contact_name"] = person.name if person else ""
    moment = values.get("at") or row.at
    next_on = values.get("next_on", row.next_on)
    day = ctx.local_date(moment)
    if (
        next_on is not None
        and {"at", "next_on"} & values.keys()
        and "next_on" not in errors
        and "at" not in errors
        and next_on <= day
    ):
        errors["next_on"] = _("the next step must come after the contact ({day})").format(
            day=day.isoformat()
        )
    if errors:
        raise InvalidInput(errors)
    with journal(ctx, "edit", customer, entity="interaction", entity_id=row.id) as kept:
        latest_before = latest_contact(customer.id)
        before = record_values("interaction", row)
        was = (row.at, row.outcome == "positive" or row.referral_ask)
        _save(row, values)
        kept.updated("interaction", row, before)
        follow_contacts(
            ctx,
            customer,
            latest_before,
            moments=(was[0], row.at),
            referrals=was[1] or row.outcome == "positive" or row.referral_ask,
        )
        settle(ctx, customer)
        customer.save()
    return corrected("interaction", row)


ORDER_EDITS = ("amount", "product", "on", "quantity", "gift", "note", "cost")


@writes
def edit_order(
    ctx: Context,
    order_id: Any,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
    expected: Mapping[str, Any] | None = None,
) -> CorrectedRecord:
    """Correct an order: the fields given are checked as when recording it; revenue, profit,
    the 80/20 class, the lifecycle and the order's win follow."""
    row: Order
    row, customer = editable_record(
        ctx, "order", order_id, expected_version=expected_version, expected=expected
    )
    given = _given(changes, ORDER_EDITS, "order")
    today = ctx.today()
    errors: dict[str, str] = {}
    values = {
        name: collect_field(errors, name, ORDER_FIELDS[name], value, today)
        for name, value in given.items()
    }
    if "on" in values and "on" not in errors:
        if values["on"] is None:
            errors["on"] = _("required")
        elif values["on"] > today:
            errors["on"] = _("an order cannot be in the future")
        elif values["on"] < customer.created_on:
            errors["on"] = _(
                "an order cannot be dated before the customer was added ({day})"
            ).format(day=customer.created_on.isoformat())
    if "quantity" in values and values["quantity"] is None and "quantity" not in errors:
        errors["quantity"] = _("required")
    if values.get("amount") is not None and "amount" not in errors and values["amount"] < row.paid:
        errors["amount"] = _("{paid} was paid on this order already").format(paid=money(row.paid))
    if errors:
        raise InvalidInput(errors)
    with journal(ctx, "edit", customer, entity="order", entity_id=row.id) as kept:
        before = record_values("order", row)
        _save(row, values)
        kept.updated("order", row, before)
        win = Win.get_or_none(Win.order == row.id)
        touched: dict[str, Any] = {}
        if win is not None and (win.on, win.amount) != (row.on, row.amount):
            latest = latest_win(customer.id)
            was = record_values("win", win)
            closed_before = close_moment(ctx, win)
            win.on, win.amount = row.on, row.amount
            win.save()
            kept.updated("win", win, was)
            if latest is not None and latest.id == win.id:
                customer.opportunity_since = close_moment(ctx, win)
            if win.on != Win.on.python_value(was["on"]):  # its opportunity, and the next
                touched = {"ids": (win.id,), "moments": (closed_before, close_moment(ctx, win))}
        follow_orders(ctx, customer, **touched)
        settle(ctx, customer)
        _save_versioned(ctx, customer)
    return corrected("order", row)


PROMISE_EDITS = ("text", "due", "status")


@writes
def edit_promise(
    ctx: Context,
    promise_id: Any,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
    expected: Mapping[str, Any] | None = None,
) -> CorrectedRecord:
    """Correct a promise: what was promised, its due date, or its status (open, done,
    broken)."""
    row: Commitment
    row, customer = editable_record(
        ctx, "promise", promise_id, expected_version=expected_version, expected=expected
    )
    given = _given(changes, PROMISE_EDITS, "promise")
    today = ctx.today()
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if "text" in given:
        values["text"] = collect_field(
            errors, "text", PROMISE_FIELDS["promise"], given["text"], today
        )
    if "due" in given:
        values["due"] = collect_field(
            errors, "due", PROMISE_FIELDS["promise_due"], given["due"], today
        )
        if values["due"] is None and "due" not in errors:
            errors["due"] = _("a promise needs a due date")
    if "status" in given:
        values["status"] = collect_field(
            errors, "status", choice(PROMISE_STATUSES), given["status"], today
        )
    if errors:
        raise InvalidInput(errors)
    if "status" in values and values["status"] != row.status:
        values["closed_at"] = None if values["status"] == "open" else ctx.now()
    with journal(ctx, "edit", customer, entity="promise", entity_id=row.id) as kept:
        before = record_values("promise", row)
        _save(row, values)
        kept.updated("promise", row, before)
    return corrected("promise", row)


CARE_EDITS = ("kind", "month", "day", "year", "lunar", "leap", "note")


@writes
def edit_care_date(
    ctx: Context,
    care_id: Any,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
    expected: Mapping[str, Any] | None = None,
) -> CorrectedRecord:
    """Correct a care date: the date is checked whole (month, day, calendar) as when adding
    it; a moved date shows on the due list again even if the old one was greeted."""
    row: CareDate
    row, customer = editable_record(
        ctx, "care", care_id, expected_version=expected_version, expected=expected
    )
    given = _given(changes, CARE_EDITS, "care")
    current = {
        "kind": row.kind,
        "month": row.month,
        "day": row.day,
        "year": row.year,
        "lunar": row.lunar,
        "leap": row.leap,
        "note": row.note,
    }
    values = clean_care(ctx, **{**current, **given})
    if any(values[name] != current[name] for name in ("month", "day", "lunar", "leap")):
        values["greeted_on"] = None
    with journal(ctx, "edit", customer, entity="care", entity_id=row.id) as kept:
        before = record_values("care", row)
        _save(row, values)
        kept.updated("care", row, before)
    return corrected("care", row)


@writes
def edit_survey(
    ctx: Context,
    survey_id: Any,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
    expected: Mapping[str, Any] | None = None,
) -> CorrectedRecord:
    """Correct a survey: scores on the configured dimensions (an empty score removes it;
    one at least stays), the comment, when it was taken."""
    row: Survey
    row, customer = editable_record(
        ctx, "survey", survey_id, expected_version=expected_version, expected=expected
    )
    given = {name: value for name, value in changes.items() if value is not None}
    if not given:
        raise InvalidInput.one("survey", _("say what to change"))
    errors: dict[str, str] = {}
    scores = clean_scores(
        ctx, {k: v for k, v in given.items() if k not in ("comment", "at")}, errors
    )
    values: dict[str, Any] = {}
    if "comment" in given:
        values["comment"] = collect_field(
            errors, "comment", lambda v: clean_text(v, limit=2000, multiline=True), given["comment"]
        )
    if "at" in given:
        if str(given["at"]).strip() == "":
            errors["at"] = _("required")
        else:
            values["at"] = collect_field(errors, "at", clean_moment, given["at"], ctx)
    extra = extra_scores(row.id)
    kept_scores = {**{name: getattr(row, name) for name in DIMENSIONS}, **extra, **scores}
    if not errors and all(score is None for score in kept_scores.values()):
        errors["scores"] = _("give at least one score from 1 to 5")
    if errors:
        raise InvalidInput(errors)
    values.update({name: score for name, score in scores.items() if name in DIMENSIONS})
    with journal(ctx, "edit", customer, entity="survey", entity_id=row.id) as kept:
        before = record_values("survey", row)
        for name, score in scores.items():
            if name in DIMENSIONS:
                continue
            SurveyScore.delete().where(
                (SurveyScore.survey == row.id) & (SurveyScore.dimension == name)
            ).execute()
            if score is not None:
                SurveyScore.create(survey=row.id, dimension=name, score=score)
        _save(row, values)
        kept.updated("survey", row, before)
        refresh_survey_referral(ctx, customer)
    return corrected("survey", row)


EDITS: dict[str, Callable[..., CorrectedRecord]] = {
    "interaction": edit_interaction,
    "order": edit_order,
    "promise": edit_promise,
    "care": edit_care_date,
    "survey": edit_survey,
}
"""The correction of each kind: `EDITS[kind](ctx, id, changes, expected_version=…)`."""


def edit_record(
    ctx: Context,
    kind: Any,
    number: Any,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
    expected: Mapping[str, Any] | None = None,
) -> CorrectedRecord:
    return EDITS[kind_of(kind)](
        ctx, number, changes, expected_version=expected_version, expected=expected
    )
