"""Working the due list: logging or snoozing a due item settles it in one transaction.

Logging a follow-up moves the customer's next due date; for the other kinds the item's own record
is settled at the same time, so the item leaves the list as soon as the contact is saved: a promise
can be marked kept, a care date remembers the greeting, a holiday greeting is recorded for the
holidays coming up, a referral ask is flagged, an account plan gets its next review date.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from crmtui.db import AccountPlan, CareDate, Commitment
from crmtui.errors import CrmError, InvalidInput, NotFound
from crmtui.i18n import _
from crmtui.rules import DueItem, DueKind
from crmtui.services.context import Context, writes
from crmtui.services.due import coming_up, due_list
from crmtui.services.due_brief import brief
from crmtui.services.grading import move_grades_if_due
from crmtui.views.interactions import LogResult

if TYPE_CHECKING:
    from crmtui.services.appointment_views import AppointmentView

# Logging, snoozing and their checks are imported where they are done: the app reads Today's list
# (today_list) while it starts, and should not wait for the services that change it.

Owned = TypeVar("Owned", Commitment, CareDate, AccountPlan)
"""A record a due item settles, of the customer the item is for."""

REVIEW_EVERY = "+3m"
"""An account plan is reviewed quarterly unless the user picks another day."""

SNOOZABLE = frozenset({DueKind.FOLLOW_UP, DueKind.WIN_BACK, DueKind.PROMISE, DueKind.REVIEW})


@dataclass(frozen=True)
class TodayList:
    """What the Today screen shows: the day's schedule, the due list and its one-line summary,
    or what comes next."""

    day: date
    items: list[DueItem]
    brief: str
    coming: list[DueItem] = field(default_factory=list)
    moved: int = 0
    """Grades the calendar moved on this read (the first of the day)."""
    schedule: list[AppointmentView] = field(default_factory=list)
    """The day's appointments in time order (services.appointment_views.AppointmentView; cancelled
    ones left out)."""


def today_list(ctx: Context, everyone: bool = False, day: date | None = None) -> TodayList:
    """Move grades once a day, then read the day's schedule and due list (or, on a day with
    nothing due, what comes next). `day` is today unless given (tomorrow: the evening's plan)."""
    # on first use: only this path needs it
    from crmtui.services.appointment_views import schedule

    moved = move_grades_if_due(ctx)
    day = day or ctx.today()
    items = due_list(ctx, day, everyone=everyone)
    coming = [] if items else coming_up(ctx, day, everyone=everyone, limit=8)
    return TodayList(
        day=day,
        items=items,
        brief=str(brief(items)),
        coming=coming,
        moved=moved,
        schedule=schedule(ctx, day, everyone=everyone),
    )


def read_today_early(ctx: Context) -> Future[TodayList]:
    """Start reading the user's Today list in a thread, to overlap with loading the app."""
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="today")
    future = executor.submit(today_list, ctx)
    executor.shutdown(wait=False)
    return future


def _later_day(value: Any, today: date, name: str, errors: dict[str, str]) -> date | None:
    # on first use: only this path needs it
    from crmtui.services.validation import FieldError, clean_date

    try:
        day = clean_date(value, today)
    except FieldError as error:
        errors[name] = str(error)
        return None
    if day is None:
        errors[name] = _("required")
    elif day <= today:
        errors[name] = _("pick a day after today")
    return day


@writes
def log_due_item(
    ctx: Context,
    /,
    kind: DueKind | str,
    customer_id: int,
    ref_id: int | None = None,
    *,
    promise_kept: bool = False,
    next_review: Any = REVIEW_EVERY,
    **fields: Any,
) -> LogResult:
    """Log a contact for a due item and settle the item; all or nothing."""
    # on first use: only this path needs it
    from crmtui.services.access import get_visible_customer
    from crmtui.services.interactions import log_interaction
    from crmtui.services.journal import journal, record_values

    kind = DueKind(kind)
    errors: dict[str, str] = {}
    review_on = None
    if kind is DueKind.REVIEW and ref_id is not None:
        review_on = _later_day(next_review, ctx.today(), "next_review", errors)
    customer = get_visible_customer(ctx, customer_id)  # log_interaction checks the rest
    with journal(ctx, "log", customer, entity="interaction") as kept:
        try:
            result = log_interaction(ctx, customer_id, **fields)
        except InvalidInput as error:
            raise InvalidInput({**error.errors, **errors}) from None
        if errors:
            raise InvalidInput(errors)
        contact_day = ctx.local_date(result.interaction.at)
        if kind is DueKind.PROMISE and promise_kept and ref_id is not None:
            promise = _own(Commitment, ref_id, customer_id, _("promise"))
            before = record_values("promise", promise)
            promise.status = "done"
            promise.closed_at = ctx.now()
            promise.version += 1
            promise.save()
            kept.updated("promise", promise, before)
        elif kind is DueKind.CARE and ref_id is not None:
            care = _own(CareDate, ref_id, customer_id, _("care date"))
            before = record_values("care", care)
            care.greeted_on = max(contact_day, care.greeted_on or contact_day)
            care.save()
            kept.updated("care", care, before)
        _settle_other(ctx, kind, ref_id, customer_id, contact_day, review_on)
    return result


def _settle_other(
    ctx: Context,
    kind: DueKind,
    ref_id: int | None,
    customer_id: int,
    contact_day: date,
    review_on: date | None,
) -> None:
    """The due items the history does not keep: greetings and plan reviews."""
    if kind is DueKind.GREETING:
        # on first use: only this path needs it
        from crmtui.services.greetings import record_greetings

        record_greetings(ctx, customer_id, contact_day)
    elif kind is DueKind.REVIEW and ref_id is not None and review_on is not None:
        plan = _own(AccountPlan, ref_id, customer_id, _("account plan"))
        plan.review_on = review_on
        plan.updated_at = ctx.now()
        plan.save()


def _own(model: type[Owned], ref_id: int, customer_id: int, label: str) -> Owned:
    row = model.get_or_none((model.id == ref_id) & (model.customer == customer_id))
    if row is None:
        raise NotFound(_("the {what} is gone; reload the list").format(what=label))
    return row


def snooze_refusal(kind: DueKind | str) -> str | None:
    """Why an item of this kind cannot be snoozed, or None when it can."""
    kind = DueKind(kind)
    if kind in SNOOZABLE:
        return None
    return {
        DueKind.COMPLAINT: _("a complaint keeps its deadlines; handle it instead"),
        DueKind.CARE: _("a care date cannot move; log the greeting, or it leaves after its day"),
        DueKind.GREETING: _(
            "a holiday does not move; log the greeting, or it leaves after the holiday"
        ),
        DueKind.REFERRAL: _("a referral ask lasts 7 days; log the ask, or let it pass"),
        DueKind.DROPPED: _("this customer went past their cadence; log a contact to keep them"),
    }.get(kind, _("this item cannot be snoozed"))


def snooze_due_item(
    ctx: Context, kind: DueKind | str, customer_id: int, ref_id: int | None, until: Any
) -> date:
    """Move a due item to a later day: a follow-up, a promise's due date or a plan review.
    Returns the day the item is due now (a follow-up's customer may be due before the day
    given, when their cadence comes first)."""
    # on first use: only this path needs it
    from crmtui.services.customers import snooze
    from crmtui.services.interactions import snooze_promise

    kind = DueKind(kind)
    refusal = snooze_refusal(kind)
    if refusal:
        raise CrmError(refusal)
    if kind in (DueKind.FOLLOW_UP, DueKind.WIN_BACK):  # both move the customer's next due
        return snooze(ctx, customer_id, until).next_due
    if ref_id is None:
        raise CrmError(_("this item cannot be snoozed"))
    if kind is DueKind.PROMISE:
        return snooze_promise(ctx, ref_id, until).due
    return move_review(ctx, ref_id, until).review_on


@writes
def move_review(ctx: Context, plan_id: int, until: Any) -> AccountPlan:
    # on first use: only this path needs it
    from crmtui.services.access import get_editable_customer

    plan = AccountPlan.get_or_none(AccountPlan.id == plan_id)
    if plan is None:
        raise NotFound(_("no account plan with id {id}").format(id=plan_id))
    get_editable_customer(ctx, plan.customer_id)
    errors: dict[str, str] = {}
    day = _later_day(until, ctx.today(), "until", errors)
    if errors or day is None:  # no day is an error (required)
        raise InvalidInput(errors)
    plan.review_on = day
    plan.updated_at = ctx.now()
    plan.save()
    return plan
