"""Correcting and removing what was recorded: interactions, promises, orders, care dates and
surveys (`crmtui edit KIND ID`, `crmtui rm KIND ID`, the profile's tabs).

A correction is checked as the record was when it was made (the same field tables, the same
rules, the same role checks), and what the customer's stored figures derive from it follows in
the same transaction. Those figures are recomputed from the records that remain, with the
functions the creating services use, rather than adjusted by a difference:

- contacts: the last contact, the next step it set (unless a snooze set another since), the
  open opportunity's follow-ups, the follow-ups each win took, the referral moment and ask;
- orders: revenue and profit, the order facts, lifecycle and value class (80/20), the win the
  order recorded; removing the sale that closed the latest opportunity opens it again, with
  the need and close date the customer had before the sale when that change is on record;
- surveys: the referral moment;
- always: the grade (as of today) and the schedule.

Every correction is kept in the customer's history (services.journal) and can be undone.
A record of a customer the user may not see is named as missing, as if it did not exist.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from peewee import ForeignKeyField, fn

from crmtui.db import (
    CareDate,
    Commitment,
    Customer,
    Interaction,
    Order,
    Survey,
    SurveyScore,
    Win,
)
from crmtui.errors import Conflict, InvalidInput, NotFound
from crmtui.i18n import _
from crmtui.labels import label
from crmtui.present.numbers import money
from crmtui.present.time import moment as shown_moment
from crmtui.rules import DIMENSIONS, Need, ReferralEvent, referral_moment
from crmtui.services.access import get_editable_customer, get_visible_customer, record_id
from crmtui.services.audit import audit
from crmtui.services.context import Context, writes
from crmtui.services.customers import _save_versioned, apply_grade, reschedule
from crmtui.services.interactions import _person, clean_care, clean_moment
from crmtui.services.journal import (
    creation_of,
    customer_fields_of,
    deletion_of,
    journal,
    last_change_of,
    record_values,
)
from crmtui.services.lifecycle import (
    COUNTED_CONTACT,
    refresh_followups,
    refresh_lifecycle,
    refresh_order_facts,
    refresh_value_class,
)
from crmtui.services.receivables import follow_balances, revenue_sum
from crmtui.services.surveys import clean_scores, survey_editor
from crmtui.services.validation import (
    INTERACTION_FIELDS,
    ORDER_FIELDS,
    PROMISE_FIELDS,
    FieldError,
    choice,
    clean_text,
)

KINDS = ("interaction", "order", "promise", "care", "survey")
"""What `crmtui edit` and `crmtui rm` correct (their KIND argument)."""
MODELS = {
    "interaction": Interaction,
    "order": Order,
    "promise": Commitment,
    "care": CareDate,
    "survey": Survey,
}
PROMISE_STATUSES = ("open", "done", "broken")
ORDERS_CORRECTED = "orders corrected"  # a lifecycle change's reason, stored in English


# -- finding the record ---------------------------------------------------------------------------


def kind_of(kind: Any) -> str:
    text = str(kind).strip().lower()
    if text not in KINDS:
        raise InvalidInput.one(
            "kind", _("'{text}' is not one of {kinds}").format(text=kind, kinds=", ".join(KINDS))
        )
    return text


def _stored(ctx: Context, kind: str, number_text: Any):
    """The stored record, or NotFound saying it was deleted (and by whom, when the user may
    see its customer) or that there is none."""
    model = MODELS[kind]
    number = record_id(number_text)
    if number is None:
        raise NotFound(_("'{text}' is not an id").format(text=number_text))
    row = model.get_or_none(model.id == number)
    if row is not None:
        return row
    gone = deletion_of(kind, number)
    if gone is not None:
        change, customer_id = gone
        try:
            get_visible_customer(ctx, customer_id)
        except NotFound:
            gone = None
    if gone is not None:
        raise NotFound(
            _("{record} #{id} was deleted by {who} at {when}; nothing was changed").format(
                record=label("record", kind),
                id=number,
                who=change.by,
                when=shown_moment(change.at, ctx.zone),
            )
        )
    raise NotFound(_("no {record} with id {id}").format(record=label("record", kind), id=number))


def editable_record(
    ctx: Context,
    kind: str,
    number: Any,
    *,
    expected_version: int | None = None,
    expected: Mapping[str, Any] | None = None,
):
    """(record, customer) for a change by the user: the record must exist, its customer be
    theirs to change, and no one have saved it since it was read: its version is still
    `expected_version`, and its values still `expected` (journal.record_values as read; on
    SQLite the id of a record deleted meanwhile can be taken by a newer one, which the values
    tell apart)."""
    kind = kind_of(kind)
    row = _stored(ctx, kind, number)
    try:
        if kind == "survey":
            customer = survey_editor(ctx, row)
        else:
            customer = get_editable_customer(ctx, row.customer_id)
    except NotFound:
        raise NotFound(
            _("no {record} with id {id}").format(record=label("record", kind), id=row.id)
        ) from None
    if expected_version is not None and row.version != expected_version:
        raise changed_since(ctx, kind, row.id)
    if expected is not None and record_values(kind, row) != dict(expected):
        raise changed_since(ctx, kind, row.id)
    return row, customer


def changed_since(ctx: Context, kind: str, number: int, *, after: int = 0) -> Conflict:
    """The refusal of a change to a record someone saved since it was read."""
    last = last_change_of(kind, number, after=after)
    record = label("record", kind)
    if last is None:
        return Conflict(
            _(
                "{record} #{id} was changed after you opened it; reload, then apply "
                "your change again"
            ).format(record=record, id=number)
        )
    return Conflict(
        _(
            "{record} #{id} was changed by {who} at {when} after you opened it; "
            "reload, then apply your change again"
        ).format(record=record, id=number, who=last.by, when=shown_moment(last.at, ctx.zone)),
        changed_by=last.by,
        changed_at=last.at,
    )


def viewable_record(ctx: Context, kind: str, number: Any):
    """A record whose customer the user may see (to fill an edit form)."""
    kind = kind_of(kind)
    row = _stored(ctx, kind, number)
    try:
        get_visible_customer(ctx, row.customer_id)
    except NotFound:
        raise NotFound(
            _("no {record} with id {id}").format(record=label("record", kind), id=row.id)
        ) from None
    return row


@dataclass(frozen=True)
class EditableRecord:
    """A record as read for a correction form: its values, and what the save checks that no
    one changed since (its version and its stored values)."""

    kind: str
    id: int
    customer_id: int
    customer: str
    version: int
    values: dict[str, Any]
    """The record's columns as Python values (a survey's: every score, by dimension)."""
    expected: dict[str, Any]
    """journal.record_values as read, for `expected=` of the save."""


def read_record(ctx: Context, kind: Any, number: Any) -> EditableRecord:
    """A record the user may correct, for the profile's edit and remove dialogs (a record of a
    customer they only read is refused now, not after the form is filled)."""
    kind = kind_of(kind)
    row, customer = editable_record(ctx, kind, number)
    values = {
        column.name: row.__data__.get(column.name)  # ids, not the records they name
        if isinstance(column, ForeignKeyField)
        else getattr(row, column.name)
        for column in type(row)._meta.sorted_fields
        if column.name not in ("customer", "by")
    }
    if kind == "survey":
        values["scores"] = {
            **{name: getattr(row, name) for name in DIMENSIONS if getattr(row, name) is not None},
            **dict(
                SurveyScore.select(SurveyScore.dimension, SurveyScore.score)
                .where(SurveyScore.survey == row.id)
                .tuples()
            ),
        }
    return EditableRecord(
        kind=kind,
        id=row.id,
        customer_id=customer.id,
        customer=customer.name,
        version=row.version,
        values=values,
        expected=record_values(kind, row),
    )


# -- what follows from the records ----------------------------------------------------------------


def latest_contact(customer_id: int) -> Interaction | None:
    return (
        Interaction.select()
        .where(Interaction.customer == customer_id)
        .order_by(Interaction.at.desc(), Interaction.id.desc())
        .first()
    )


def follow_contacts(
    ctx: Context,
    customer: Customer,
    latest_before: Interaction | None,
    *,
    moments: Iterable[datetime] = (),
    referrals: bool = True,
) -> None:
    """The customer's contact figures after interactions changed (no save): the last contact,
    the next step (taken from the latest contact again when it came from the latest contact
    before the change; a snooze or a later step stays), the follow-ups, the follow-ups of the
    wins whose opportunity holds one of `moments` (the contacts' times before and after), and
    the referral dates (when `referrals`: a positive contact or a referral ask changed)."""
    latest = latest_contact(customer.id)
    customer.last_contact_at = latest.at if latest else None
    customer.last_contact_on = ctx.local_date(latest.at) if latest else None
    if latest_before is None:
        from_latest = customer.next_step_on is None and not customer.next_step
    else:
        from_latest = (
            customer.next_step == latest_before.next_step
            and customer.next_step_on == latest_before.next_on
        )
    if from_latest:
        customer.next_step = latest.next_step if latest else ""
        customer.next_step_on = latest.next_on if latest else None
    refresh_followups(ctx, customer)
    recount_wins(ctx, customer, moments=moments)
    if referrals:
        refresh_referrals(ctx, customer)


def close_moment(ctx: Context, win: Win) -> datetime:
    """Where a win split the contacts (services.lifecycle.close_of_sale, as at its recording):
    the moment it was recorded, or the end of its day for a sale recorded later."""
    end = datetime.combine(win.on + timedelta(days=1), time(0), ctx.zone) - timedelta(seconds=1)
    return min(win.at, end)


def recount_wins(
    ctx: Context, customer: Customer, *, moments: Iterable[datetime] = (), ids: Iterable[int] = ()
) -> None:
    """The follow-ups of the wins a change touched, from the contacts between the win before
    and their close: those whose opportunity holds one of `moments`, and those in `ids`. The
    others keep the count they were stored with (wins imported or made otherwise may count
    their day differently)."""
    moments, ids = [m for m in moments if m is not None], set(ids)
    if not moments and not ids:
        return
    opened = None
    for win in Win.select().where(Win.customer == customer.id).order_by(Win.on, Win.id):
        closed = close_moment(ctx, win)
        touched = win.id in ids or any(
            (opened is None or moment > opened) and moment <= closed for moment in moments
        )
        if not touched:
            opened = closed
            continue
        query = Interaction.select(fn.COUNT(Interaction.id)).where(
            (Interaction.customer == customer.id) & COUNTED_CONTACT & (Interaction.at <= closed)
        )
        if opened is not None:
            query = query.where(Interaction.at > opened)
        count = max(0, (query.scalar() or 0) - 1)
        if count != win.followups:
            Win.update(followups=count).where(Win.id == win.id).execute()
        opened = closed


SATISFIED = min(
    score
    for score in range(1, 6)
    if referral_moment(ReferralEvent(kind="satisfaction", outcome=None, score=score))
)
"""The lowest satisfaction score that is a moment to ask for a referral (rules.referral)."""


def referral_dates(ctx: Context, customer_id: int) -> tuple[date | None, date | None]:
    """(moment, asked) from the records: the latest positive contact, order or satisfied
    survey (rules.referral_moment), and the latest contact that asked for a referral."""

    def day_of(stored) -> date | None:
        moment = Interaction.at.python_value(stored)
        return ctx.local_date(moment) if moment is not None else None

    mine = Interaction.customer == customer_id
    positive = day_of(
        Interaction.select(fn.MAX(Interaction.at))
        .where(mine & (Interaction.outcome == "positive"))
        .scalar()
    )
    asked = day_of(
        Interaction.select(fn.MAX(Interaction.at))
        .where(mine & (Interaction.referral_ask == True))  # noqa: E712
        .scalar()
    )
    ordered = Order.on.python_value(
        Order.select(fn.MAX(Order.on)).where(Order.customer == customer_id).scalar()
    )
    satisfied = day_of(
        Survey.select(fn.MAX(Survey.at))
        .where((Survey.customer == customer_id) & (Survey.overall >= SATISFIED))
        .scalar()
    )
    moments = [day for day in (positive, ordered, satisfied) if day is not None]
    return (max(moments) if moments else None), asked


def refresh_referrals(ctx: Context, customer: Customer) -> None:
    customer.referral_moment_on, customer.referral_asked_on = referral_dates(ctx, customer.id)


def follow_orders(
    ctx: Context, customer: Customer, *, moments: Iterable[datetime] = (), ids: Iterable[int] = ()
) -> None:
    """The customer's order figures after orders changed (no save): revenue and profit, the
    order facts, lifecycle, value class, referral dates and the follow-ups of the wins touched
    (`recount_wins`)."""
    kept = Order.delivery != "returned"  # a returned order is no revenue
    profit = (
        Order.select(fn.SUM(Order.amount - fn.COALESCE(Order.cost, 0)))
        .where((Order.customer == customer.id) & kept)
        .scalar()
    )
    customer.revenue = revenue_sum(customer.id, ctx.config.receivables.revenue_counts)
    customer.profit = Order.amount.python_value(profit or 0)
    follow_balances(customer.id)
    days = refresh_order_facts(customer)
    if not days and customer.deal_status == "won":
        customer.deal_status = "negotiating" if customer.need == Need.CLEAR.value else "potential"
    refresh_lifecycle(ctx, customer, by=ctx.user.id, days=days, reason=ORDERS_CORRECTED)
    refresh_value_class(ctx, customer)
    recount_wins(ctx, customer, moments=moments, ids=ids)
    refresh_followups(ctx, customer)
    refresh_referrals(ctx, customer)


def settle(ctx: Context, customer: Customer) -> None:
    """The grade (as of today) and the schedule, after any correction (no save)."""
    apply_grade(ctx, customer, by=ctx.user)
    reschedule(ctx, customer)


def _collect(errors: dict, name: str, clean, *args):
    try:
        return clean(*args)
    except FieldError as error:
        errors[name] = str(error)
        return None


def _given(changes: Mapping[str, Any], allowed: tuple[str, ...], kind: str) -> dict[str, Any]:
    """The fields to change (None leaves a field as it is); unknown names are refused."""
    given = {name: value for name, value in changes.items() if value is not None}
    unknown = [name for name in given if name not in allowed]
    if unknown:
        raise InvalidInput({name: _("unknown field") for name in unknown})
    if not given:
        raise InvalidInput.one(kind, _("say what to change"))
    return given


def _save(row, values: Mapping[str, Any]) -> None:
    for name, value in values.items():
        setattr(row, name, value)
    row.version = (row.version or 1) + 1
    row.save()


# -- interactions ---------------------------------------------------------------------------------

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
) -> Interaction:
    """Correct a logged contact: the fields given are checked as when logging it."""
    row, customer = editable_record(
        ctx, "interaction", interaction_id, expected_version=expected_version, expected=expected
    )
    given = _given(changes, INTERACTION_EDITS, "interaction")
    today = ctx.today()
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name in ("summary", "channel", "outcome", "direction", "next_step", "next_on"):
        if name in given:
            values[name] = _collect(errors, name, INTERACTION_FIELDS[name], given[name], today)
    if "at" in given:
        if str(given["at"]).strip() == "":
            errors["at"] = _("required")
        else:
            values["at"] = _collect(errors, "at", clean_moment, given["at"], ctx)
    if "referral_ask" in given:
        values["referral_ask"] = bool(given["referral_ask"])
    if "contact" in given:
        person = _collect(errors, "contact", _person, customer.id, given["contact"])
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
    return row


# -- orders ---------------------------------------------------------------------------------------

ORDER_EDITS = ("amount", "product", "on", "quantity", "gift", "note", "cost")


@writes
def edit_order(
    ctx: Context,
    order_id: Any,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
    expected: Mapping[str, Any] | None = None,
) -> Order:
    """Correct an order: the fields given are checked as when recording it; revenue, profit,
    the 80/20 class, the lifecycle and the order's win follow."""
    row, customer = editable_record(
        ctx, "order", order_id, expected_version=expected_version, expected=expected
    )
    given = _given(changes, ORDER_EDITS, "order")
    today = ctx.today()
    errors: dict[str, str] = {}
    values = {
        name: _collect(errors, name, ORDER_FIELDS[name], value, today)
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
            latest = _latest_win(customer.id)
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
    return row


def _latest_win(customer_id: int) -> Win | None:
    return (
        Win.select()
        .where(Win.customer == customer_id)
        .order_by(Win.on.desc(), Win.id.desc())
        .first()
    )


def _reopen_opportunity(ctx: Context, customer: Customer, order: Order, win: Win) -> None:
    """The sale that closed the customer's latest opportunity is gone: the opportunity is open
    again from the win before (if any), with the need and close date the customer had before
    the sale — when that is on record and nothing changed them since; a need the sale left
    clear (the next opportunity) stays."""
    before = _latest_win_before(customer.id, win)
    customer.opportunity_since = close_moment(ctx, before) if before is not None else None
    if customer.need == Need.CLEAR.value:
        return
    created = creation_of("order", order.id)
    moved = customer_fields_of(created) if created is not None else {}
    need, close = moved.get("need"), moved.get("expected_close")
    if need is not None and need[1] == customer.need:
        customer.need = need[0]
        if close is not None and close[1] == customer.expected_close:
            customer.expected_close = close[0]
    elif created is None:  # not on record: the need was clear, its close date unknown
        customer.need = Need.CLEAR.value


def _latest_win_before(customer_id: int, win: Win) -> Win | None:
    return (
        Win.select()
        .where(
            (Win.customer == customer_id)
            & (Win.id != win.id)
            & ((Win.on < win.on) | ((Win.on == win.on) & (Win.id < win.id)))
        )
        .order_by(Win.on.desc(), Win.id.desc())
        .first()
    )


# -- promises -------------------------------------------------------------------------------------

PROMISE_EDITS = ("text", "due", "status")


@writes
def edit_promise(
    ctx: Context,
    promise_id: Any,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
    expected: Mapping[str, Any] | None = None,
) -> Commitment:
    """Correct a promise: what was promised, its due date, or its status (open, done,
    broken)."""
    row, customer = editable_record(
        ctx, "promise", promise_id, expected_version=expected_version, expected=expected
    )
    given = _given(changes, PROMISE_EDITS, "promise")
    today = ctx.today()
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if "text" in given:
        values["text"] = _collect(errors, "text", PROMISE_FIELDS["promise"], given["text"], today)
    if "due" in given:
        values["due"] = _collect(errors, "due", PROMISE_FIELDS["promise_due"], given["due"], today)
        if values["due"] is None and "due" not in errors:
            errors["due"] = _("a promise needs a due date")
    if "status" in given:
        values["status"] = _collect(
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
    return row


# -- care dates -----------------------------------------------------------------------------------

CARE_EDITS = ("kind", "month", "day", "year", "lunar", "leap", "note")


@writes
def edit_care_date(
    ctx: Context,
    care_id: Any,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
    expected: Mapping[str, Any] | None = None,
) -> CareDate:
    """Correct a care date: the date is checked whole (month, day, calendar) as when adding
    it; a moved date shows on the due list again even if the old one was greeted."""
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
    return row


# -- surveys --------------------------------------------------------------------------------------


@writes
def edit_survey(
    ctx: Context,
    survey_id: Any,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
    expected: Mapping[str, Any] | None = None,
) -> Survey:
    """Correct a survey: scores on the configured dimensions (an empty score removes it;
    one at least stays), the comment, when it was taken."""
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
        values["comment"] = _collect(
            errors, "comment", lambda v: clean_text(v, limit=2000, multiline=True), given["comment"]
        )
    if "at" in given:
        if str(given["at"]).strip() == "":
            errors["at"] = _("required")
        else:
            values["at"] = _collect(errors, "at", clean_moment, given["at"], ctx)
    extra = dict(
        SurveyScore.select(SurveyScore.dimension, SurveyScore.score)
        .where(SurveyScore.survey == row.id)
        .tuples()
    )
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
        _refresh_survey_referral(ctx, customer)
    return row


def _refresh_survey_referral(ctx: Context, customer: Customer) -> None:
    """The referral moment after a survey changed: written alone, as support (who may
    correct a complaint's survey) may write no other column of the customer."""
    moment_on, _asked = referral_dates(ctx, customer.id)
    if moment_on != customer.referral_moment_on:
        Customer.update(referral_moment_on=moment_on).where(Customer.id == customer.id).execute()


# -- removing -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Removed:
    """What `remove_record` removed, for the confirmation."""

    kind: str
    id: int
    customer_id: int
    customer: str

    def __str__(self) -> str:
        return _("{record} #{id} of {name} removed").format(
            record=label("record", self.kind).capitalize(), id=self.id, name=self.customer
        )

    def to_json(self) -> dict:
        return {
            "record": self.kind,
            "id": self.id,
            "customer_id": self.customer_id,
            "removed": True,
        }


@writes
def remove_record(
    ctx: Context,
    kind: Any,
    number: Any,
    *,
    expected_version: int | None = None,
    expected: Mapping[str, Any] | None = None,
) -> Removed:
    """Remove an interaction, promise, order, care date or survey (kept in the history, so
    it can be undone); what followed from it follows again."""
    kind = kind_of(kind)
    row, customer = editable_record(
        ctx, kind, number, expected_version=expected_version, expected=expected
    )
    with journal(ctx, "delete", customer, entity=kind, entity_id=row.id) as kept:
        if kind == "interaction":
            latest_before = latest_contact(customer.id)
            for promise in Commitment.select().where(Commitment.interaction == row.id):
                was = record_values("promise", promise)
                promise.interaction = None
                promise.save()
                kept.updated("promise", promise, was)
            kept.deleted(kind, row)
            Interaction.delete().where(Interaction.id == row.id).execute()
            follow_contacts(
                ctx,
                customer,
                latest_before,
                moments=(row.at,),
                referrals=row.outcome == "positive" or row.referral_ask,
            )
            settle(ctx, customer)
            customer.save()
        elif kind == "order":
            win = Win.get_or_none(Win.order == row.id)
            latest = _latest_win(customer.id)
            moments = ()
            if win is not None:  # kept in the order it goes, so undo restores the order first
                moments = (close_moment(ctx, win),)  # the next win's opportunity grows
                kept.deleted("win", win)
                Win.delete().where(Win.id == win.id).execute()
                if latest is not None and latest.id == win.id:
                    _reopen_opportunity(ctx, customer, row, win)
            kept.deleted(kind, row)
            Order.delete().where(Order.id == row.id).execute()
            follow_orders(ctx, customer, moments=moments)
            settle(ctx, customer)
            _save_versioned(ctx, customer)
        elif kind == "survey":
            kept.deleted(kind, row)
            Survey.delete().where(Survey.id == row.id).execute()
            _refresh_survey_referral(ctx, customer)
        else:
            kept.deleted(kind, row)
            MODELS[kind].delete().where(MODELS[kind].id == row.id).execute()
    audit(ctx, "delete", kind, row.id, f"{kind} #{row.id} of {customer.name} (#{customer.id})")
    return Removed(kind=kind, id=row.id, customer_id=customer.id, customer=customer.name)


EDITS = {
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
):
    return EDITS[kind_of(kind)](
        ctx, number, changes, expected_version=expected_version, expected=expected
    )


def record_json(kind: str, row) -> dict:
    """A corrected record as `crmtui edit --json` writes it."""
    kind = kind_of(kind)
    base = {"record": kind, "id": row.id, "customer_id": row.customer_id, "version": row.version}
    if kind == "interaction":
        return {
            **base,
            "at": row.at,
            "channel": row.channel,
            "direction": row.direction,
            "outcome": row.outcome,
            "summary": row.summary,
            "next_step": row.next_step,
            "next_on": row.next_on,
            "contact": row.contact_name or None,
            "referral_ask": row.referral_ask,
        }
    if kind == "order":
        return {
            **base,
            "on": row.on,
            "product": row.product,
            "quantity": row.quantity,
            "amount": row.amount,
            "cost": row.cost,
            "gift": row.gift,
            "note": row.note,
        }
    if kind == "promise":
        return {**base, "text": row.text, "due": row.due, "status": row.status}
    if kind == "care":
        return {
            **base,
            "kind": row.kind,
            "month": row.month,
            "day": row.day,
            "year": row.year,
            "lunar": row.lunar,
            "leap": row.leap,
            "note": row.note,
        }
    extra = dict(
        SurveyScore.select(SurveyScore.dimension, SurveyScore.score)
        .where(SurveyScore.survey == row.id)
        .tuples()
    )
    return {
        **base,
        "at": row.at,
        "comment": row.comment,
        "scores": {
            **{name: getattr(row, name) for name in DIMENSIONS if getattr(row, name) is not None},
            **extra,
        },
    }


__all__ = [
    "KINDS",
    "MODELS",
    "kind_of",
    "editable_record",
    "viewable_record",
    "changed_since",
    "latest_contact",
    "follow_contacts",
    "follow_orders",
    "recount_wins",
    "referral_dates",
    "refresh_referrals",
    "settle",
    "close_moment",
    "edit_interaction",
    "edit_order",
    "edit_promise",
    "edit_care_date",
    "edit_survey",
    "edit_record",
    "remove_record",
    "Removed",
    "EDITS",
    "record_json",
    "EditableRecord",
    "read_record",
]
