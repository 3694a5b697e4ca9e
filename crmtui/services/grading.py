"""Grades move by themselves as the calendar moves (a C whose close date comes within a month is
an A today). Once a day, the first command or screen that opens the database moves them, then
catches up lifecycles and value classes (services.lifecycle.catch_up)."""

from __future__ import annotations

from datetime import date

from crmtui.db import Customer, Setting
from crmtui.db.migrations import CAUGHT_UP, RESCHEDULE_ALL, REVENUE_COUNTED
from crmtui.db.rows import tuple_rows
from crmtui.errors import StorageError
from crmtui.rules import Need, grade_cutoffs
from crmtui.services.context import Context, writes

_SETTING = "grades_moved_on"


def _setting_key(ctx: Context) -> str:
    """Where PostgreSQL enforces the roles, each person moves the grades they may change (a rep
    their own customers, a manager all) and keeps their own day."""
    return _SETTING if ctx.store.team is None else f"{_SETTING}:{ctx.user.login}"


def grades_moved_on(ctx: Context) -> date | None:
    row = Setting.get_or_none(Setting.key == _setting_key(ctx))
    return date.fromisoformat(row.value) if row else None


def move_grades_if_due(ctx: Context) -> int:
    """Move grades, then catch up lifecycles and classes, once per day; cheap (one read) when
    already done today or read-only. Returns how many grades moved."""
    if ctx.store.readonly:
        return 0
    if ctx.store.team is not None and ctx.role == "support":
        return 0  # support changes no customer; their reps and managers move the grades
    key = _setting_key(ctx)
    # The catch-up ranks every customer and writes the team's settings: in team mode, where the
    # server shows a rep only their own customers, a manager's first command of the day does it.
    catches_up = ctx.store.team is None or ctx.role == "manager"
    query = Setting.select(Setting.key, Setting.value).where(
        Setting.key.in_([key, CAUGHT_UP, RESCHEDULE_ALL, REVENUE_COUNTED])
    )
    done = dict(tuple_rows(query, tuple[str, str]))
    today = ctx.today().isoformat()
    moved = 0
    recount = done.get(REVENUE_COUNTED, "orders") != ctx.config.receivables.revenue_counts
    try:
        if done.get(key, "") < today:
            moved = move_grades(ctx)
        if catches_up and recount:  # [revenue] counts changed: recount, then rerank
            from crmtui.services.receivables import count_revenue_as_configured  # rarely

            count_revenue_as_configured(ctx)
        if catches_up and (done.get(CAUGHT_UP, "") < today or RESCHEDULE_ALL in done or recount):
            # on first use: crmtui due must not load crmtui.services.catch_up
            from crmtui.services.catch_up import catch_up

            catch_up(ctx)
    except StorageError:  # others kept the database busy: reading goes on, they move next time
        pass
    return moved


@writes(record=False)  # housekeeping, not a change the user asked for
def move_grades(ctx: Context) -> int:
    """Regrade every unpinned clear-need customer whose stored grade the calendar has changed.

    The rules' cutoffs select, in SQL, only rows whose stored grade differs from their band, so a
    daily run touches the few customers that crossed a bound. Returns how many moved.
    """
    # on first use: crmtui due must not load crmtui.services.customer_columns
    from crmtui.services.customer_columns import apply_grade, reschedule

    today = ctx.today()
    a, b, c = grade_cutoffs(today)
    close = Customer.expected_close
    stale = (
        ((close <= a) & (Customer.grade != "A"))
        | ((close > a) & (close <= b) & (Customer.grade != "B"))
        | ((close > b) & (close <= c) & (Customer.grade != "C"))
        | ((close > c) & (Customer.grade != "D"))
    )
    query = Customer.select().where(
        (Customer.need == Need.CLEAR.value)
        & (Customer.grade_pinned == False)  # noqa: E712
        & close.is_null(False)
        & stale
    )
    moved = 0
    for customer in query:
        if apply_grade(ctx, customer, today=today):
            reschedule(ctx, customer)
            Customer.update(
                grade=customer.grade,
                next_due=customer.next_due,
                cadence_due=customer.cadence_due,
                due_rule=customer.due_rule,
            ).where(Customer.id == customer.id).execute()
            moved += 1
    key = _setting_key(ctx)
    Setting.insert(key=key, value=today.isoformat()).on_conflict(
        conflict_target=[Setting.key], update={Setting.value: today.isoformat()}
    ).execute()
    return moved
