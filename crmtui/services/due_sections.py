"""Today's due list (SPEC §4.1): one indexed query per section, ordered by the rules.

Follow-ups come from the stored `customer.next_due` through the (owner, next_due) index, never
from scanning interactions; the same rows, split by lifecycle, give the lapsed customers to win
back (the stored next_due folds in maintenance visits and the day a customer lapsed, with the
rule that set it in `due_rule`). Drop risks and referral asks come from stored columns through
owner-leading indexes; care dates from the (lunar, month, day) index with the day keys the rules
give for the window. Rows are read as tuples: building model objects would cost more than the
queries.

Terminated customers are on no chase list: not followed up, maintained, won back, asked for a
referral, greeted or reviewed, and not at risk of being dropped. Their promises and complaints
stay on the list: those are still owed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any, TypeVar

from peewee import ColumnBase, Model, ModelSelect, SelectBase

from crmtui.db import (
    AccountPlan,
    CareDate,
    Commitment,
    Complaint,
    Customer,
    Order,
    User,
    database,
)
from crmtui.db.rows import tuple_rows, written_once
from crmtui.i18n import _
from crmtui.labels import label, lunar_text, maintenance_words
from crmtui.present import Memo
from crmtui.present.time import days_span, span
from crmtui.rules import (
    REFERRAL_WINDOW_DAYS,
    DueItem,
    DueKind,
    DueRule,
    Lifecycle,
    SlaState,
    care_window,
    maintenance_cadence,
    next_lunar_occurrence,
    next_occurrence,
    overdue_days,
)
from crmtui.services.context import Context
from crmtui.services.followthrough_due import (
    delivery_lines,
    instruction_lines,
    payment_lines,
)
from crmtui.services.sla_clock import CLOCK_COLUMNS, OPEN, sla_clock
from crmtui.views.complaints import ClockFacts, SlaClock

# Every section selects these first, then its own columns.
CUSTOMER_COLUMNS = (Customer.id, Customer.name, Customer.company, Customer.grade, Customer.owner)
# Stored values compared row by row (an enum member's .value costs a lookup each time).
_LAPSED, _TERMINATED = Lifecycle.LAPSED.value, Lifecycle.TERMINATED.value
CHASED = Customer.lifecycle != _TERMINATED
"""The customers on chase lists: all but the terminated."""
_BY_NEXT_STEP, _BY_VALUE_CLASS, _BY_PLAN = (
    DueRule.NEXT_STEP.value,
    DueRule.VALUE_CLASS.value,
    DueRule.PLAN.value,
)

Record = TypeVar("Record", bound=Model)
OfCustomer = type[Commitment] | type[CareDate] | type[AccountPlan] | type[Order]
"""A table of a customer's records, limited to an owner's customers by `scoped_rows`."""


class DueSection:
    """Shared state of one due-list build: the day, the scope, the owners' names and the words
    the lines repeat (translated once per build)."""

    def __init__(self, ctx: Context, day: date, everyone: bool) -> None:
        self.ctx = ctx
        self.day = day
        self.owner_id = None if (everyone and ctx.role != "rep") else ctx.user.id
        self._owners: dict[int, tuple[str, str]] | None = None
        self._due_rows: list[tuple[Any, ...]] | None = None
        self._plans: dict[int, int | None] | None = None
        self.dates: Memo[Any, Any] = Memo(Customer.next_due.python_value)
        """A date column's value as the driver returns it, read as a date (None stays None):
        peewee's per-value conversion costs more than the query on a long list, which repeats
        few days."""
        self.days: Memo[int, str] = Memo(days_span)
        """`days_span(days)`: "5d"."""
        overdue = _("overdue {span}")
        self.overdue_since: Memo[date, str] = Memo(
            lambda due: (
                " · " + overdue.format(span=self.days[(day - due).days]) if due < day else ""
            )
        )
        """ " · overdue 5d" after a follow-up or a win-back due on a day ("" when not late)."""

    def scoped(self, query: ModelSelect[Record]) -> ModelSelect[Record]:
        return query if self.owner_id is None else query.where(Customer.owner == self.owner_id)

    def owned(self) -> ModelSelect[Customer]:
        """The owner's customer ids, read from the compact (owner, …) index."""
        return Customer.select(Customer.id).where(Customer.owner == self.owner_id)

    def scoped_rows(
        self, query: ModelSelect[Record], model: OfCustomer, *, by_date: bool = False
    ) -> ModelSelect[Record]:
        """Limit rows of a customer's table (promises, care dates…) to the owner's customers.

        Filtering on the owner's ids, rather than on the joined customer row, keeps a cold
        start from reading thousands of scattered customer rows only to drop them. With
        `by_date`, `customer_id + 0` stops SQLite from driving the query from the owner's ids,
        so it starts from the section's own date index, which selects far fewer rows."""
        if self.owner_id is None:
            return query
        column = model.customer + 0 if by_date else model.customer
        return query.where(column.in_(self.owned()))

    @staticmethod
    def raw_rows(query: SelectBase) -> list[tuple[Any, ...]]:
        """The query's rows as the driver returns them (dates as it gives them: read them
        through `dates`)."""
        rows: list[tuple[Any, ...]] = Customer._meta.database.execute(query).fetchall()
        return rows

    @staticmethod
    def count(query: SelectBase) -> tuple[int, ...]:
        """The one row of an aggregate query, with NULL sums (no rows) as 0."""
        return tuple(value or 0 for value in query.tuples().get())

    def owners(self) -> dict[int, tuple[str, str]]:
        """(name shown, login) of every user, by id, read once."""
        if self._owners is None:
            # from the cursor, with SQL written once: a team of 500 through peewee's row
            # conversion cost a rep's follow-ups a fifth of their time
            sql = written_once(
                "owners", lambda: User.select(User.id, User.login, User.display_name), []
            )
            self._owners = {
                uid: (display or login, login)
                for uid, login, display in database.execute_sql(sql).fetchall()
            }
        return self._owners

    def _owner(self, owner_id: int) -> tuple[str, str]:
        """(name shown, login) of an owner."""
        return self.owners().get(owner_id, ("", ""))

    def item(
        self,
        kind: DueKind,
        row: Sequence[Any],
        due: date,
        detail: str,
        *,
        ref_id: int | None = None,
        at_risk: bool = False,
    ) -> DueItem:
        customer_id, name, company, grade, owner_id = row[:5]
        owner, login = self._owner(owner_id)
        return DueItem(
            kind=kind,
            customer_id=customer_id,
            customer=name,
            company=company,
            grade=grade,
            owner=owner,
            due=due,
            overdue_days=overdue_days(due, self.day),
            detail=detail,
            ref_id=ref_id,
            at_risk=at_risk,
            owner_login=login,
        )


Line = tuple[int, str, str, str, int, date, str, int | None, bool]
"""A section's line, before it becomes a DueItem or JSON: the customer's five columns
(CUSTOMER_COLUMNS: id, name, company, grade, owner's id), then due, detail, ref_id, at_risk."""


def wanted_kinds(ctx: Context, kinds: set[DueKind] | None) -> list[DueKind]:
    """The sections to build, in the list's order (support staff see complaints only)."""
    wanted = kinds or set(DueKind)
    if ctx.role == "support":
        wanted = wanted & {DueKind.COMPLAINT}
    return [kind for kind in DueKind if kind in wanted]


def due_query(s: DueSection, *columns: ColumnBase) -> ModelSelect[Customer]:
    """The chased customers whose next due has come: one range of the (owner, next_due) index,
    for the follow-ups and the win-backs."""
    return s.scoped(Customer.select(*columns).where((Customer.next_due <= s.day) & CHASED))


def _due_rows(s: DueSection) -> list[tuple[Any, ...]]:
    """The due customers' rows, read once for the follow-ups and the win-backs: CUSTOMER_COLUMNS,
    then next_due, next_step, followups, cadence_due, last_contact_on, lifecycle, due_rule,
    value_class, last_order_on (dates as the driver gives them)."""
    if s._due_rows is None:
        # the SQL written once (peewee took a fifth of a rep's follow-ups to write it each time)
        owner = [] if s.owner_id is None else [s.owner_id]
        params = [s.day, _TERMINATED, *owner]
        sql = written_once(
            ("due rows", bool(owner)),
            lambda: due_query(
                s,
                *CUSTOMER_COLUMNS,
                Customer.next_due,
                Customer.next_step,
                Customer.followups,
                Customer.cadence_due,
                Customer.last_contact_on,
                Customer.lifecycle,
                Customer.due_rule,
                Customer.value_class,
                Customer.last_order_on,
            ),
            params,
        )
        s._due_rows = database.execute_sql(sql, params).fetchall()
    return s._due_rows


def _follow_ups(s: DueSection) -> list[Line]:
    day, dates, overdue_since = s.day, s.dates, s.overdue_since
    at_risk_words = " · " + _("at risk of being dropped")
    first_contact, next_step_words, cadence = _("first contact"), _("next step"), _("cadence")
    config_cadence = s.ctx.config.maintenance.cadence
    by_class: Memo[str, str] = Memo(
        lambda value_class: maintenance_words(
            value_class, maintenance_cadence(value_class, config_cadence)
        )
    )
    lines: list[Line] = []
    append = lines.append
    for (
        cid,
        name,
        company,
        grade,
        owner,
        next_due,
        next_step,
        followups,
        cadence_due,
        last_contact_on,
        lifecycle,
        rule,
        value_class,
        _last_order_on,
    ) in _due_rows(s):
        if lifecycle == _LAPSED:
            continue
        # what made it due, from its stored rule: the first contact, a next step, the
        # grade's cadence, the value class's visits or the account plan's
        if last_contact_on is None:
            why = first_contact
        elif rule == _BY_NEXT_STEP:
            why = next_step or next_step_words
        elif rule == _BY_VALUE_CLASS:
            why = by_class[value_class]
        elif rule == _BY_PLAN:
            why = _plan_visits(s, cid, value_class) or cadence
        else:
            why = cadence
        next_due = dates[next_due]
        why += overdue_since[next_due]
        at_risk = grade in "ABC" and followups < 4 and dates[cadence_due] < day
        if at_risk:
            why += at_risk_words
        append((cid, name, company, grade, owner, next_due, why, None, at_risk))
    return lines


def _plan_visits(s: DueSection, customer_id: int, value_class: str) -> str:
    """The account plan's visits that made a customer due ("" when the plan sets none)."""
    if s._plans is None:
        ids = [row[0] for row in _due_rows(s) if row[11] == _BY_PLAN]
        plans = AccountPlan.select(AccountPlan.customer, AccountPlan.visit_every_days)
        s._plans = dict(
            tuple_rows(plans.where(AccountPlan.customer.in_(ids)), tuple[int, int | None])
        )
    days = s._plans.get(customer_id)
    return maintenance_words(value_class, every_days=days) if days else ""


def _win_back(s: DueSection) -> list[Line]:
    """Lapsed customers (流失客户) whose win-back call has come: on the day they lapsed, then
    at their grade's cadence."""
    dates, overdue_since = s.dates, s.overdue_since
    since_words, no_order = _("no order since {day}"), _("no recent order")
    lines: list[Line] = []
    for (
        cid,
        name,
        company,
        grade,
        owner,
        next_due,
        next_step,
        _followups,
        _cadence_due,
        _last_contact_on,
        lifecycle,
        rule,
        _value_class,
        last_order_on,
    ) in _due_rows(s):
        if lifecycle != _LAPSED:
            continue
        next_due, last_order_on = dates[next_due], dates[last_order_on]
        why = since_words.format(day=last_order_on) if last_order_on else no_order
        if rule == _BY_NEXT_STEP and next_step:
            why += " · " + next_step
        lines.append(
            (cid, name, company, grade, owner, next_due, why + overdue_since[next_due], None, False)
        )
    return lines


def promise_query(s: DueSection, *columns: ColumnBase) -> ModelSelect[Commitment]:
    return s.scoped_rows(
        Commitment.select(*columns)
        .join(Customer)
        .where((Commitment.status == "open") & (Commitment.due <= s.day)),
        Commitment,
    )


def _promises(s: DueSection) -> list[Line]:
    query = promise_query(s, *CUSTOMER_COLUMNS, Commitment.id, Commitment.text, Commitment.due)
    broken = _("broken: {span} late")
    day, dates, days = s.day, s.dates, s.days
    lines: list[Line] = []
    for cid, name, company, grade, owner, promise_id, text, due in s.raw_rows(query):
        due = dates[due]
        if due < day:
            text += " · " + broken.format(span=days[(day - due).days])
        lines.append((cid, name, company, grade, owner, due, text, promise_id, False))
    return lines


def complaint_clocks(
    s: DueSection, *columns: ColumnBase
) -> Iterator[tuple[tuple[Any, ...], SlaClock]]:
    """The open complaints in scope whose clock is at risk or breached, as (row, clock): the row
    is `columns` followed by the clock's columns."""
    ctx, now = s.ctx, s.ctx.now()
    query = (
        Complaint.select(*columns, *CLOCK_COLUMNS).join(Customer).where(Complaint.status.in_(OPEN))
    )
    if ctx.role == "support":
        if s.owner_id is not None:
            query = query.where((Complaint.owner == ctx.user.id) | Complaint.owner.is_null())
    elif s.owner_id is not None:
        query = query.where(Complaint.customer.in_(s.owned()) | (Complaint.owner == ctx.user.id))
    first_clock_column = len(columns)
    for row in tuple_rows(query, tuple[Any, ...]):
        clock = sla_clock(ClockFacts(*row[first_clock_column:]), now, ctx.config.sla, ctx.zone)
        if clock.state != SlaState.OK:
            yield row, clock


def _complaints(s: DueSection) -> list[Line]:
    lines: list[Line] = []
    for row, clock in complaint_clocks(
        s, *CUSTOMER_COLUMNS, Complaint.id, Complaint.severity, Complaint.summary
    ):
        complaint_id, severity, summary = row[5:8]
        deadline, time_left = clock.deadline, clock.time_left
        assert deadline is not None and time_left is not None  # an open complaint's clock runs
        if time_left < timedelta(0):
            detail = _("{which} overdue by {time}").format(
                which=label("clock", clock.clock), time=span(time_left)
            )
        else:
            detail = _("{which} within {time}").format(
                which=label("clock", clock.clock), time=span(time_left)
            )
        if clock.paused:
            detail += " · " + _("waiting for the customer")
        lines.append(
            (
                *row[:5],
                s.ctx.local_date(deadline),
                f"{label('severity', severity)} · {summary} · {detail}",
                complaint_id,
                clock.state == SlaState.AT_RISK,
            )
        )
    return lines


def care_dates(s: DueSection, *columns: ColumnBase) -> Iterator[tuple[tuple[Any, ...], date]]:
    """The care dates in scope coming up within the lead days and not yet cared for, as
    (row, day it falls on): the row is `columns` followed by the date's own columns."""
    lead = s.ctx.config.care_lead_days
    window = care_window(s.day, lead)
    # One condition per (calendar, leap, month) with its days: a handful of index ranges
    # (building a condition per day costs more in query building than the query itself).
    days_of: dict[tuple[bool, bool, int], list[int]] = {}
    for month, day_of in window.solar:
        days_of.setdefault((False, False, month), []).append(day_of)
    for month, day_of, leap in window.lunar:
        days_of.setdefault((True, leap, month), []).append(day_of)
    conditions = [
        (CareDate.lunar == lunar)
        & (CareDate.leap == leap)
        & (CareDate.month == month)
        & CareDate.day.in_(sorted(days))
        for (lunar, leap, month), days in sorted(days_of.items())
    ]
    if not conditions:
        return
    query = s.scoped_rows(
        CareDate.select(
            *columns,
            CareDate.month,
            CareDate.day,
            CareDate.lunar,
            CareDate.leap,
            CareDate.greeted_on,
        )
        .join(Customer)
        .where(reduce(or_, conditions) & CHASED),
        CareDate,
        by_date=True,
    )
    first = len(columns)
    for row in tuple_rows(query, tuple[Any, ...]):
        month, day_of, lunar, leap, greeted_on = row[first:]
        if lunar:
            when = next_lunar_occurrence(month, day_of, s.day, leap=leap)
        else:
            when = next_occurrence(month, day_of, s.day)
        if not s.day <= when <= s.day + timedelta(days=lead):
            continue
        if greeted_on is not None and greeted_on >= when - timedelta(days=lead):
            continue  # already cared for this occurrence
        yield row, when


def _care(s: DueSection) -> list[Line]:
    lines: list[Line] = []
    for row, when in care_dates(
        s, *CUSTOMER_COLUMNS, CareDate.id, CareDate.kind, CareDate.year, CareDate.note
    ):
        care_id, kind, year, note, month, day_of, lunar, leap = row[5:13]
        detail = label("care", kind)
        if kind == "birthday" and year and not lunar:
            detail += " " + _("({age})").format(age=when.year - year)
        if lunar:
            detail += " · " + lunar_text(month, day_of, leap)
        detail += " · " + (
            _("today")
            if when == s.day
            else _("in {span}").format(span=days_span((when - s.day).days))
        )
        if note:
            detail += " · " + note
        lines.append((*row[:5], when, detail, care_id, False))
    return lines


def greetings_due(s: DueSection) -> list[DueItem]:
    if not s.ctx.config.greetings.holidays:  # off: not even the holidays library is loaded
        return []
    # on first use: crmtui due must not load crmtui.services.greetings
    from crmtui.services.greetings import greeting_items

    return greeting_items(s)


def referral_query(s: DueSection, *columns: ColumnBase) -> ModelSelect[Customer]:
    start = s.day - timedelta(days=REFERRAL_WINDOW_DAYS - 1)
    return s.scoped(
        Customer.select(*columns).where(
            (Customer.referral_moment_on >= start)
            & (Customer.referral_moment_on <= s.day)
            & (
                Customer.referral_asked_on.is_null()
                | (Customer.referral_asked_on < Customer.referral_moment_on)
            )
            & CHASED
        )
    )


def _referrals(s: DueSection) -> list[Line]:
    ask, dates = _("ask for a referral (since {day})"), s.dates
    asks: Memo[date, str] = Memo(lambda since: ask.format(day=since))  # formatting a date is slow
    query = referral_query(s, *CUSTOMER_COLUMNS, Customer.referral_moment_on)
    lines: list[Line] = []
    for cid, name, company, grade, owner, since in s.raw_rows(query):
        since = dates[since]
        lines.append((cid, name, company, grade, owner, since, asks[since], None, False))
    return lines


def dropped_query(s: DueSection, *columns: ColumnBase) -> ModelSelect[Customer]:
    """A–C customers with fewer than 4 follow-ups whose cadence ran out, not otherwise due."""
    return s.scoped(
        Customer.select(*columns).where(
            (Customer.cadence_due < s.day)
            & Customer.grade.in_(["A", "B", "C"])
            & (Customer.followups < 4)
            & (Customer.next_due > s.day)
            & CHASED
        )
    )


def _dropped(s: DueSection) -> list[Line]:
    words = _("{n} follow-ups, no contact since {day}; next planned {next}")
    query = dropped_query(
        s, *CUSTOMER_COLUMNS, Customer.cadence_due, Customer.followups, Customer.next_due
    )
    return [
        (*row[:5], row[5], words.format(n=row[6], day=row[5], next=row[7]), None, True)
        for row in tuple_rows(query, tuple[int, str, str, str, int, date, int, date])
    ]


def review_query(s: DueSection, *columns: ColumnBase) -> ModelSelect[AccountPlan]:
    """The plans in scope whose review day has come, from the review_on index (few plans are
    due; a rep's every customer would each be read)."""
    return s.scoped_rows(
        AccountPlan.select(*columns)
        .join(Customer)
        .where((AccountPlan.review_on <= s.day) & CHASED),
        AccountPlan,
        by_date=True,
    )


def _reviews(s: DueSection) -> list[Line]:
    rows = list(
        tuple_rows(
            review_query(
                s,
                *CUSTOMER_COLUMNS,
                AccountPlan.id,
                AccountPlan.review_on,
                AccountPlan.target_amount,
                AccountPlan.visit_every_days,
            ),
            tuple[int, str, str, str, int, int, date, Decimal | None, int | None],
        )
    )
    if not rows:
        return []
    # not for `due --brief`: only a list with plan reviews due needs them
    from crmtui.present.plan_review import review_detail
    from crmtui.services.plan_figures import progress_of, year_figures

    figures = year_figures(s.ctx, [row[0] for row in rows], s.day)
    lines: list[Line] = []
    for row in rows:
        plan = AccountPlan(
            id=row[5], review_on=row[6], target_amount=row[7], visit_every_days=row[8]
        )
        lines.append(
            (
                *row[:5],
                row[6],
                review_detail(progress_of(plan, figures[row[0]], s.day)),
                row[5],
                False,
            )
        )
    return lines


LINES: dict[DueKind, Callable[[DueSection], list[Line]]] = {
    DueKind.COMPLAINT: _complaints,
    DueKind.INSTRUCTION: instruction_lines,
    DueKind.PROMISE: _promises,
    DueKind.DELIVERY: delivery_lines,
    DueKind.PAYMENT: payment_lines,
    DueKind.FOLLOW_UP: _follow_ups,
    DueKind.WIN_BACK: _win_back,
    DueKind.CARE: _care,
    DueKind.REFERRAL: _referrals,
    DueKind.DROPPED: _dropped,
    DueKind.REVIEW: _reviews,
}
"""Each section's lines (greetings are built as items by services.greetings)."""
