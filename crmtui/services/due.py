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

from dataclasses import dataclass
from datetime import date, timedelta
from functools import reduce
from operator import or_

from crmtui.db import AccountPlan, CareDate, Commitment, Complaint, Customer, User
from crmtui.i18n import _
from crmtui.labels import label, lunar_text, maintenance_words
from crmtui.present.numbers import money, percent
from crmtui.present.time import days_span, span
from crmtui.rules import (
    REFERRAL_WINDOW_DAYS,
    DueItem,
    DueKind,
    DueRule,
    Lifecycle,
    SlaState,
    care_window,
    next_lunar_occurrence,
    next_occurrence,
    maintenance_cadence,
    order_due_items,
    overdue_days,
)
from crmtui.services.complaints import CLOCK_COLUMNS, OPEN, ClockFacts, sla_clock
from crmtui.services.context import Context

# Every section selects these first, then its own columns.
_CUSTOMER = (Customer.id, Customer.name, Customer.company, Customer.grade, Customer.owner)
CHASED = Customer.lifecycle != Lifecycle.TERMINATED.value
"""The customers on chase lists: all but the terminated."""


class _Section:
    """Shared state of one due-list build: the day, the scope and the owners' names."""

    def __init__(self, ctx: Context, day: date, everyone: bool) -> None:
        self.ctx = ctx
        self.day = day
        self.owner_id = None if (everyone and ctx.role != "rep") else ctx.user.id
        self._owners: dict[int, tuple[str, str]] | None = None
        self._due_rows: list | None = None
        self._plans: dict[int, int] | None = None

    def scoped(self, query):
        return query if self.owner_id is None else query.where(Customer.owner == self.owner_id)

    def owned(self):
        """The owner's customer ids, read from the compact (owner, …) index."""
        return Customer.select(Customer.id).where(Customer.owner == self.owner_id)

    def scoped_rows(self, query, model, *, by_date: bool = False):
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
    def raw_rows(query, date_columns: tuple[int, ...]):
        """The query's rows as the driver returns them, with only the given columns read as
        dates: peewee's per-value conversion costs more than the query on a long list."""
        read_date = Customer.next_due.python_value
        for row in Customer._meta.database.execute(query).fetchall():
            row = list(row)
            for index in date_columns:
                row[index] = read_date(row[index])
            yield row

    def _owner(self, owner_id: int) -> tuple[str, str]:
        """(name shown, login) of an owner."""
        if self._owners is None:
            self._owners = {uid: (display or login, login) for uid, login, display in
                            User.select(User.id, User.login, User.display_name).tuples()}
        return self._owners.get(owner_id, ("", ""))

    def item(self, kind: DueKind, row, due: date, detail: str, *, ref_id=None,
             at_risk: bool = False) -> DueItem:
        customer_id, name, company, grade, owner_id = row[:5]
        owner, login = self._owner(owner_id)
        return DueItem(kind=kind, customer_id=customer_id, customer=name, company=company,
                       grade=grade, owner=owner, due=due,
                       overdue_days=overdue_days(due, self.day), detail=detail, ref_id=ref_id,
                       at_risk=at_risk, owner_login=login)


def due_list(ctx: Context, day: date | None = None, *, everyone: bool = False,
             kinds: set[DueKind] | None = None) -> list[DueItem]:
    """Everything due on `day` (default today) for the user, or for everyone a manager sees."""
    section = _Section(ctx, day or ctx.today(), everyone)
    wanted = kinds or set(DueKind)
    if ctx.role == "support":
        wanted &= {DueKind.COMPLAINT}
    builders = {
        DueKind.COMPLAINT: _complaints, DueKind.PROMISE: _promises,
        DueKind.FOLLOW_UP: _follow_ups, DueKind.WIN_BACK: _win_back, DueKind.CARE: _care,
        DueKind.GREETING: _greetings,
        DueKind.REFERRAL: _referrals,
        DueKind.DROPPED: _dropped, DueKind.REVIEW: _reviews,
    }
    items: list[DueItem] = []
    for kind, build in builders.items():
        if kind in wanted:
            items += build(section)
    return order_due_items(items)


def _due_rows(s: _Section) -> list:
    """The chased customers whose next due has come: one range of the (owner, next_due) index,
    read once for the follow-ups and the win-backs."""
    if s._due_rows is None:
        query = s.scoped(Customer.select(
            *_CUSTOMER, Customer.next_due, Customer.next_step, Customer.next_step_on,
            Customer.followups, Customer.cadence_due, Customer.last_contact_on,
            Customer.lifecycle, Customer.due_rule, Customer.value_class, Customer.last_order_on,
        ).where((Customer.next_due <= s.day) & CHASED))
        s._due_rows = list(s.raw_rows(query, date_columns=(5, 7, 9, 10, 14)))
    return s._due_rows


def _follow_ups(s: _Section) -> list[DueItem]:
    lapsed = Lifecycle.LAPSED.value
    items = []
    for row in _due_rows(s):
        if row[11] == lapsed:
            continue
        next_due, next_step, next_step_on, followups, cadence_due, last_contact_on = row[5:11]
        late = overdue_days(next_due, s.day)
        why = _why_due(s, row)
        if late:
            why += " · " + _("overdue {span}").format(span=days_span(late))
        at_risk = row[3] in "ABC" and followups < 4 and cadence_due < s.day
        if at_risk:
            why += " · " + _("at risk of being dropped")
        items.append(s.item(DueKind.FOLLOW_UP, row, next_due, why, at_risk=at_risk))
    return items


def _why_due(s: _Section, row) -> str:
    """What made a follow-up due, from its stored rule: the first contact, a next step, the
    grade's cadence, the value class's visits or the account plan's."""
    next_step, last_contact_on, rule, value_class = row[6], row[10], row[12], row[13]
    if last_contact_on is None:
        return _("first contact")
    if rule == DueRule.NEXT_STEP.value:
        return next_step or _("next step")
    if rule == DueRule.VALUE_CLASS.value:
        return maintenance_words(
            value_class, maintenance_cadence(value_class, s.ctx.config.maintenance.cadence))
    if rule == DueRule.PLAN.value:
        if s._plans is None:
            ids = [r[0] for r in _due_rows(s) if r[12] == DueRule.PLAN.value]
            s._plans = dict(AccountPlan.select(AccountPlan.customer, AccountPlan.visit_every_days)
                            .where(AccountPlan.customer.in_(ids)).tuples())
        days = s._plans.get(row[0])
        if days:
            return maintenance_words(value_class, every_days=days)
    return _("cadence")


def _win_back(s: _Section) -> list[DueItem]:
    """Lapsed customers (流失客户) whose win-back call has come: on the day they lapsed, then
    at their grade's cadence."""
    lapsed = Lifecycle.LAPSED.value
    items = []
    for row in _due_rows(s):
        if row[11] != lapsed:
            continue
        next_due, last_order_on = row[5], row[14]
        why = _("no order since {day}").format(day=last_order_on) if last_order_on \
            else _("no recent order")
        if row[12] == DueRule.NEXT_STEP.value and row[6]:
            why += " · " + row[6]
        late = overdue_days(next_due, s.day)
        if late:
            why += " · " + _("overdue {span}").format(span=days_span(late))
        items.append(s.item(DueKind.WIN_BACK, row, next_due, why))
    return items


def _promises(s: _Section) -> list[DueItem]:
    query = s.scoped_rows(
        Commitment.select(*_CUSTOMER, Commitment.id, Commitment.text, Commitment.due)
        .join(Customer)
        .where((Commitment.status == "open") & (Commitment.due <= s.day)), Commitment)
    items = []
    for row in query.tuples():
        promise_id, text, due = row[5:]
        late = overdue_days(due, s.day)
        detail = text + (" · " + _("broken: {span} late").format(span=days_span(late)) if late else "")
        items.append(s.item(DueKind.PROMISE, row, due, detail, ref_id=promise_id))
    return items


def _complaints(s: _Section) -> list[DueItem]:
    ctx, now = s.ctx, s.ctx.now()
    query = (Complaint.select(*_CUSTOMER, Complaint.id, Complaint.severity, Complaint.summary,
                              *CLOCK_COLUMNS)
             .join(Customer).where(Complaint.status.in_(OPEN)))
    if ctx.role == "support":
        if s.owner_id is not None:
            query = query.where((Complaint.owner == ctx.user.id) | Complaint.owner.is_null())
    elif s.owner_id is not None:
        query = query.where(Complaint.customer.in_(s.owned()) | (Complaint.owner == ctx.user.id))
    items = []
    for row in query.tuples():
        complaint_id, severity, summary = row[5:8]
        clock = sla_clock(ClockFacts(*row[8:]), now, ctx.config.sla, ctx.zone)
        if clock.state == SlaState.OK:
            continue
        if clock.time_left < timedelta(0):
            detail = _("{which} overdue by {time}").format(which=label("clock", clock.clock),
                                                           time=span(clock.time_left))
        else:
            detail = _("{which} within {time}").format(which=label("clock", clock.clock),
                                                       time=span(clock.time_left))
        if clock.paused:
            detail += " · " + _("waiting for the customer")
        items.append(s.item(DueKind.COMPLAINT, row, ctx.local_date(clock.deadline),
                            f"{label('severity', severity)} · {summary} · {detail}",
                            ref_id=complaint_id,
                            at_risk=clock.state == SlaState.AT_RISK))
    return items


def _care(s: _Section) -> list[DueItem]:
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
        (CareDate.lunar == lunar) & (CareDate.leap == leap) & (CareDate.month == month)
        & CareDate.day.in_(sorted(days))
        for (lunar, leap, month), days in sorted(days_of.items())
    ]
    if not conditions:
        return []
    query = s.scoped_rows(
        CareDate.select(*_CUSTOMER, CareDate.id, CareDate.kind, CareDate.month, CareDate.day,
                        CareDate.year, CareDate.lunar, CareDate.leap, CareDate.note,
                        CareDate.greeted_on)
        .join(Customer).where(reduce(or_, conditions) & CHASED), CareDate, by_date=True)
    items = []
    for row in query.tuples():
        care_id, kind, month, day_of, year, lunar, leap, note, greeted_on = row[5:]
        if lunar:
            when = next_lunar_occurrence(month, day_of, s.day, leap=leap)
        else:
            when = next_occurrence(month, day_of, s.day)
        if not s.day <= when <= s.day + timedelta(days=lead):
            continue
        if greeted_on is not None and greeted_on >= when - timedelta(days=lead):
            continue  # already cared for this occurrence
        detail = label("care", kind)
        if kind == "birthday" and year and not lunar:
            detail += " " + _("({age})").format(age=when.year - year)
        if lunar:
            detail += " · " + lunar_text(month, day_of, leap)
        detail += " · " + (_("today") if when == s.day
                           else _("in {span}").format(span=days_span((when - s.day).days)))
        if note:
            detail += " · " + note
        items.append(s.item(DueKind.CARE, row, when, detail, ref_id=care_id))
    return items


def _greetings(s: _Section) -> list[DueItem]:
    if not s.ctx.config.greetings.holidays:  # off: not even the holidays library is loaded
        return []
    from crmtui.services.greetings import greeting_items

    return greeting_items(s)


def _referrals(s: _Section) -> list[DueItem]:
    start = s.day - timedelta(days=REFERRAL_WINDOW_DAYS - 1)
    query = s.scoped(Customer.select(*_CUSTOMER, Customer.referral_moment_on).where(
        (Customer.referral_moment_on >= start) & (Customer.referral_moment_on <= s.day)
        & (Customer.referral_asked_on.is_null()
           | (Customer.referral_asked_on < Customer.referral_moment_on)) & CHASED))
    return [s.item(DueKind.REFERRAL, row, row[5],
                   _("ask for a referral (since {day})").format(day=row[5]))
            for row in query.tuples()]


def _dropped(s: _Section) -> list[DueItem]:
    """A–C customers with fewer than 4 follow-ups whose cadence ran out, not otherwise due."""
    query = s.scoped(Customer.select(
        *_CUSTOMER, Customer.cadence_due, Customer.followups, Customer.next_due).where(
        (Customer.cadence_due < s.day) & Customer.grade.in_(["A", "B", "C"])
        & (Customer.followups < 4) & (Customer.next_due > s.day) & CHASED))
    return [s.item(DueKind.DROPPED, row, row[5],
                   _("{n} follow-ups, no contact since {day}; next planned {next}").format(
                       n=row[6], day=row[5], next=row[7]), at_risk=True)
            for row in query.tuples()]


def _reviews(s: _Section) -> list[DueItem]:
    from crmtui.services.plans import progress_of, year_figures

    query = s.scoped_rows(
        AccountPlan.select(*_CUSTOMER, AccountPlan.id, AccountPlan.review_on,
                           AccountPlan.target_amount, AccountPlan.visit_every_days)
        .join(Customer).where((AccountPlan.review_on <= s.day) & CHASED), AccountPlan)
    rows = list(query.tuples())
    figures = year_figures(s.ctx, [row[0] for row in rows], s.day)
    items = []
    for row in rows:
        plan = AccountPlan(id=row[5], review_on=row[6], target_amount=row[7],
                           visit_every_days=row[8])
        items.append(s.item(DueKind.REVIEW, row, row[6],
                            review_detail(progress_of(plan, figures[row[0]], s.day)),
                            ref_id=row[5]))
    return items


def review_detail(progress) -> str:
    """What a plan review shows: orders this year against the target, visits against the
    cycle."""
    parts = [_("account plan review")]
    if progress.target_amount:
        parts.append(_("{year} orders {ordered} of {target} ({share})").format(
            year=progress.year, ordered=money(progress.ordered),
            target=money(progress.target_amount), share=percent(progress.share)))
    else:
        parts.append(_("{year} orders {ordered}").format(year=progress.year,
                                                         ordered=money(progress.ordered)))
    if progress.visit_every_days:
        parts.append(_("{visits} visits of {expected} (every {days} d)").format(
            visits=progress.visits, expected=progress.expected_visits,
            days=progress.visit_every_days))
    else:
        parts.append(_("{visits} visits").format(visits=progress.visits))
    return " · ".join(parts)


@dataclass(frozen=True)
class Brief:
    due: int
    overdue_promises: int
    complaints_at_risk: int
    win_back: int = 0
    """Lapsed customers to call back (counted apart from `due`)."""

    def __str__(self) -> str:
        if not (self.due or self.overdue_promises or self.complaints_at_risk or self.win_back):
            return _("nothing due")
        parts = [_("{n} due").format(n=self.due)]
        if self.win_back:
            parts.append(_("{n} to win back").format(n=self.win_back))
        if self.overdue_promises:
            parts.append((_("{n} overdue promise") if self.overdue_promises == 1
                          else _("{n} overdue promises")).format(n=self.overdue_promises))
        if self.complaints_at_risk:
            parts.append((_("{n} complaint at risk") if self.complaints_at_risk == 1
                          else _("{n} complaints at risk")).format(n=self.complaints_at_risk))
        # Translators: what joins the parts of the one-line summary ("3 due, 1 overdue promise")
        return _(", ").join(parts)


def brief(items: list[DueItem]) -> Brief:
    promises = sum(1 for i in items if i.kind == DueKind.PROMISE and i.overdue_days > 0)
    complaints = sum(1 for i in items if i.kind == DueKind.COMPLAINT)
    win_back = sum(1 for i in items if i.kind == DueKind.WIN_BACK)
    return Brief(due=len(items) - promises - complaints - win_back, overdue_promises=promises,
                 complaints_at_risk=complaints, win_back=win_back)


def coming_up(ctx: Context, day: date | None = None, *, everyone: bool = False,
              limit: int = 5) -> list[DueItem]:
    """The next follow-ups after `day`, for an empty day to show what comes next."""
    s = _Section(ctx, day or ctx.today(), everyone)
    query = s.scoped(Customer.select(*_CUSTOMER, Customer.next_due, Customer.next_step)
                     .where((Customer.next_due > s.day) & CHASED)
                     .order_by(Customer.next_due, Customer.grade).limit(limit))
    return [s.item(DueKind.FOLLOW_UP, row, row[5], row[6] or _("cadence"))
            for row in query.tuples()]
