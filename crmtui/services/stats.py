"""The grading dashboard's figures (SPEC §4.4), each one SQL aggregate over indexed columns.

Every figure is limited to the customers the user's lists show (`access.owner_filter`: a rep's
own; a manager's own, or the whole team with `everyone`). Python only reshapes what the
database has already grouped: a few hundred rows at most, never one row per customer — except
where the answer is a list of customers (movement, drop risks, key customers), which the
screen opens one key away.

Decisions the figures rest on:

- Movement counts customers, not changes: each customer's net move over the period is the sum
  of the rank steps of its grade changes in the period (the history is a chain — every change
  starts from the grade the previous one ended on — so the sum telescopes to end rank − start
  rank). A customer that went C→A→C counts nowhere; one that went D→B→A counts once as a
  promotion. A customer added in the period starts from the grade it was added with and is
  also counted as new.
- A period of N days is the N local days ending today, today included.
- Key customers follow `rules.key_customers`: revenue descending, ties by id ascending, the
  shortest prefix holding at least 80% of the revenue, reached in exact integer cents (no float
  at the 80% boundary).
- Two follow-up figures, each for what it is: `win_stages` (JSON `followup_stages`) are the
  wins of the period by the follow-up at which they closed, the quantity the manuals'
  2/3/5/10/80% describe; `open_stages` are the open customers (not E, not terminated) by the
  follow-ups of their open opportunity so far.
- Lapsed customers: how many there are now, and what they bought in the year up to the day.
- Retention over a period of N days: of the customers with an order in the N days before the
  period, the share with an order in the period.
- Terminated customers count in the grades and the history, but not as overdue or at risk:
  nobody chases them.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from functools import reduce
from time import perf_counter
from typing import Any

from dateutil.relativedelta import relativedelta
from peewee import SQL, Case, Select, Value, Window, fn

from crmtui.db import Customer, GradeChange, Order, Survey, SurveyScore, User, Win, database
from crmtui.errors import InvalidInput
from crmtui.i18n import _
from crmtui.rules import (
    DIMENSIONS,
    FOLLOWUP_REFERENCE,
    FOLLOWUP_STAGES,
    GRADE_ORDER,
    Lifecycle,
    csi_of_total,
    followup_stage,
    grade_rank,
)
from crmtui.search import sort_key
from crmtui.services.access import owner_filter
from crmtui.services.complaint_analysis import ComplaintCauses, complaint_causes
from crmtui.services.complaints import ComplaintMetrics, complaint_metrics
from crmtui.services.context import Context
from crmtui.services.instructions import instruction_counts as counts
from crmtui.services.pipeline import forecast_weights, pipeline
from crmtui.services.receivables import receivables as owed
from crmtui.services.targets import target_board
from crmtui.services.validation import SOURCES
from crmtui.vocab import AT_RISK, BEHIND_FIGURES, DEMOTED, KEY_CUSTOMERS, NEW, PERIODS, PROMOTED

KEY_SHARE = Decimal("0.8")
PARETO_POINTS = 20  # the cumulative revenue share at every 5% of the ranked customers
CSI_QUARTERS = 5  # this quarter and the four before it
# rules.at_risk_of_drop in SQL (tests hold the two together)
AT_RISK_GRADES = ("A", "B", "C")
AT_RISK_BELOW_FOLLOWUPS = 4
GRADES = tuple(g.value for g in GRADE_ORDER)
TERMINATED = Lifecycle.TERMINATED.value
OPEN_GRADES = GRADES[:-1]  # E is a dead customer (死亡客户)


@dataclass(frozen=True)
class Scope:
    """Whose customers and which day the figures are about."""

    owner_id: int | None
    """The one owner the figures are limited to, or None for everyone."""
    day: date
    zone: tzinfo

    def customers(self, query):
        return query if self.owner_id is None else query.where(Customer.owner == self.owner_id)

    def since(self, period: int) -> date:
        return self.day - timedelta(days=period - 1)


def receivables(ctx: Context, day: date, *, owner_id: int | None):
    return owed(ctx, day, owner_id=owner_id)


def instruction_counts(ctx: Context, since: date, day: date):
    return counts(ctx, since, day)


def scope_for(ctx: Context, *, everyone: bool = False, day: date | None = None) -> Scope:
    return Scope(
        owner_id=owner_filter(ctx, everyone=everyone), day=day or ctx.today(), zone=ctx.zone
    )


def _cents(expression):
    """A money aggregate as raw integer cents (no conversion to Decimal units)."""
    return expression.coerce(False)


def count_rows():
    """COUNT(*): PostgreSQL answers it from an index alone, where counting a column reads the
    table's rows too (seconds on a million customers)."""
    return fn.COUNT(SQL("*"))


def _money(cents) -> Decimal:
    return (Decimal(int(cents or 0)) / 100).quantize(Decimal("0.01"))


# -- grades, grade × rep, overdue per rep ---------------------------------------------------------


@dataclass(frozen=True)
class RepFigures:
    """One owner's row of the grade × rep matrix, with their overdue follow-ups."""

    login: str
    name: str
    grades: dict[str, int]
    overdue: int

    @property
    def customers(self) -> int:
        return sum(self.grades.values())


def rep_figures(scope: Scope) -> list[RepFigures]:
    """Customers per owner and grade (one pass over the (owner, grade) index), and per owner
    the follow-ups overdue — next due before the day — counted in that owner's range of the
    (owner, next_due) index."""
    matrix = scope.customers(
        Customer.select(Customer.owner, Customer.grade, count_rows()).group_by(
            Customer.owner, Customer.grade
        )
    )
    grades: dict[int, dict[str, int]] = {}
    for owner_id, grade, count in matrix.tuples():
        grades.setdefault(owner_id, dict.fromkeys(GRADES, 0))[grade] = count
    if not grades:
        return []
    overdue = Customer.select(count_rows()).where(
        (Customer.owner == User.id) & (Customer.next_due < scope.day)
    )
    owners = User.select(User.id, User.login, User.display_name, overdue).where(
        User.id.in_(list(grades))
    )
    # the few terminated customers (found by their lifecycle's index) are chased by nobody
    unchased = dict(
        Customer.select(Customer.owner, count_rows())
        .where((Customer.lifecycle == TERMINATED) & (Customer.next_due < scope.day))
        .group_by(Customer.owner)
        .tuples()
    )
    rows = [
        RepFigures(
            login=login,
            name=display or login,
            grades=grades[uid],
            overdue=late - unchased.get(uid, 0),
        )
        for uid, login, display, late in owners.tuples()
    ]
    return sorted(rows, key=lambda r: (sort_key(r.name), r.login))  # 王芳 among the w's


def grade_totals(reps: Iterable[RepFigures]) -> dict[str, int]:
    totals = dict.fromkeys(GRADES, 0)
    for rep in reps:
        for grade, count in rep.grades.items():
            totals[grade] = totals.get(grade, 0) + count
    return totals


# -- movement -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Movement:
    """Customers whose grade rose or fell over the period, net (see the module's notes)."""

    since: date
    until: date
    promotions: int
    demotions: int
    new: int
    """Customers added in the period."""

    def to_json(self) -> dict:
        return {
            "since": self.since,
            "until": self.until,
            "promotions": self.promotions,
            "demotions": self.demotions,
            "new": self.new,
        }


def _rank(column):
    return Case(column, [(grade, grade_rank(grade)) for grade in GRADES])


def _net_step():
    """The sum of a customer's rank steps: negative towards A, as rules.is_promotion(start, end)
    (a customer's first change, from no grade, is no step)."""
    g = GradeChange
    return fn.SUM(
        Case(None, [(g.from_grade.is_null(False), _rank(g.to_grade) - _rank(g.from_grade))], 0)
    )


def _net_moves(scope: Scope, period: int):
    """Per customer with a change in the period: its net step and whether it was added in the
    period, from the covering (on, customer, from_grade, to_grade) index."""
    g = GradeChange
    added = Case(None, [(g.from_grade.is_null(), 1)], 0)
    query = (
        g.select(
            g.customer.alias("customer_id"), _net_step().alias("net"), fn.SUM(added).alias("added")
        )
        .where((g.on >= scope.since(period)) & (g.on <= scope.day))
        .group_by(g.customer)
    )
    if scope.owner_id is not None:
        query = query.join(Customer, on=(g.customer == Customer.id)).where(
            Customer.owner == scope.owner_id
        )
    return query


def movement(scope: Scope, period: int) -> Movement:
    """How many customers moved up, down, or came in over the last `period` days."""
    moves = _net_moves(scope, period).alias("moves")
    up, down = (
        fn.SUM(Case(None, [(condition, 1)], 0)) for condition in (moves.c.net < 0, moves.c.net > 0)
    )
    promotions, demotions, new = (
        Select([moves], [up, down, fn.SUM(moves.c.added)]).bind(database).tuples().get()
    )
    return Movement(
        since=scope.since(period),
        until=scope.day,
        promotions=int(promotions or 0),
        demotions=int(demotions or 0),
        new=int(new or 0),
    )


def moved_customer_ids(scope: Scope, period: int, direction: str) -> list[int]:
    """The customers behind a movement figure (PROMOTED or DEMOTED), by id."""
    net = _net_step()
    query = (
        _net_moves(scope, period)
        .having(net < 0 if direction == PROMOTED else net > 0)
        .order_by(GradeChange.customer)
    )
    return [row[0] for row in query.tuples()]


def new_customer_ids(scope: Scope, period: int) -> list[int]:
    """The customers behind the movement's `new`: added in the period, by id."""
    g = GradeChange
    added = fn.SUM(Case(None, [(g.from_grade.is_null(), 1)], 0))
    query = _net_moves(scope, period).having(added > 0).order_by(g.customer)
    return [row[0] for row in query.tuples()]


# -- follow-up stages and drop risks --------------------------------------------------------------


@dataclass(frozen=True)
class Stage:
    """Open customers at one follow-up stage of their open opportunity."""

    stage: str
    customers: int
    share: float | None
    """Of the open customers (grade A–D, not terminated), 0..1."""


def open_stages(scope: Scope) -> list[Stage]:
    """Open customers (not E, not terminated) by the follow-up stage of their opportunity."""
    query = scope.customers(
        Customer.select(Customer.grade, Customer.followups, count_rows())
        .where(Customer.grade.in_(OPEN_GRADES) & (Customer.status != TERMINATED))
        .group_by(Customer.grade, Customer.followups)
    )  # the index's order: no sorting
    counts = dict.fromkeys(FOLLOWUP_STAGES, 0)
    for _grade, followups, count in query.tuples():
        counts[followup_stage(followups)] += count
    total = sum(counts.values())
    return [
        Stage(stage=stage, customers=count, share=count / total if total else None)
        for stage, count in counts.items()
    ]


@dataclass(frozen=True)
class WinStage:
    """The wins of the period that closed at one follow-up stage."""

    stage: str
    wins: int
    share: float | None
    """Of the period's wins, 0..1."""
    reference: int | None
    """Percent of sales closing at this stage, as the manuals cite it (none for 12+)."""


def win_stages(scope: Scope, period: int) -> list[WinStage]:
    """The period's wins by the follow-up at which they closed, beside the reference: one
    range of the win date index."""
    query = (
        Win.select(Win.followups, count_rows())
        .where((Win.on >= scope.since(period)) & (Win.on <= scope.day))
        .group_by(Win.followups)
    )
    if scope.owner_id is not None:
        query = query.join(Customer, on=(Win.customer == Customer.id)).where(
            Customer.owner == scope.owner_id
        )
    counts = dict.fromkeys(FOLLOWUP_STAGES, 0)
    for followups, count in query.tuples():
        counts[followup_stage(followups)] += count
    total = sum(counts.values())
    return [
        WinStage(
            stage=stage,
            wins=count,
            share=count / total if total else None,
            reference=FOLLOWUP_REFERENCE.get(stage),
        )
        for stage, count in counts.items()
    ]


# -- after the sale: lapsed customers and retention ----------------------------------------------


@dataclass(frozen=True)
class Lapsed:
    """Customers who stopped buying (流失客户), to be won back."""

    customers: int
    revenue_last_year: Decimal
    """What they bought in the year up to the day."""

    def to_json(self) -> dict:
        return {"customers": self.customers, "revenue_last_year": self.revenue_last_year}


def lapsed(scope: Scope) -> Lapsed:
    """How many lapsed customers, from the (lifecycle, last_order_on) index; and their orders of
    the last year, read for the few who last bought within it."""
    year_ago = scope.day - relativedelta(years=1)
    is_lapsed = Customer.lifecycle == Lifecycle.LAPSED.value
    count = scope.customers(Customer.select(count_rows()).where(is_lapsed)).scalar()
    recent = scope.customers(
        Customer.select(Customer.id).where(is_lapsed & (Customer.last_order_on > year_ago))
    )
    cents = (
        Order.select(_cents(fn.SUM(Order.amount)))
        .where(Order.customer.in_(recent) & (Order.on > year_ago) & (Order.on <= scope.day))
        .scalar()
    )
    return Lapsed(customers=int(count or 0), revenue_last_year=_money(cents))


@dataclass(frozen=True)
class Retention:
    """Of the customers who bought in the period before, the share who bought again in this."""

    since: date
    until: date
    previous_since: date
    previous_until: date
    previous_buyers: int
    returned: int

    @property
    def share(self) -> float | None:
        return self.returned / self.previous_buyers if self.previous_buyers else None

    def to_json(self) -> dict:
        return {
            "since": self.since,
            "until": self.until,
            "previous_since": self.previous_since,
            "previous_until": self.previous_until,
            "previous_buyers": self.previous_buyers,
            "returned": self.returned,
            "share": _round(self.share),
        }


def retention(scope: Scope, period: int) -> Retention:
    """Retention over the period: two ranges of the order date index."""
    since = scope.since(period)
    before = since - timedelta(days=period)

    def buyers(first: date, last: date):
        query = Order.select(Order.customer).where((Order.on >= first) & (Order.on <= last))
        if scope.owner_id is not None:
            query = query.where(
                Order.customer.in_(
                    Customer.select(Customer.id).where(Customer.owner == scope.owner_id)
                )
            )
        return query

    previous = buyers(before, since - timedelta(days=1)).distinct().alias("previous")
    count = Select([previous], [fn.COUNT(previous.c.customer_id)]).bind(database).scalar()
    returned = (
        Select([previous], [fn.COUNT(previous.c.customer_id)])
        .where(previous.c.customer_id.in_(buyers(since, scope.day)))
        .bind(database)
        .scalar()
    )
    return Retention(
        since=since,
        until=scope.day,
        previous_since=before,
        previous_until=since - timedelta(days=1),
        previous_buyers=int(count or 0),
        returned=int(returned or 0),
    )


@dataclass(frozen=True)
class AtRisk:
    """An A–C customer with fewer than 4 follow-ups whose cadence ran out (SPEC 2.3)."""

    customer_id: int
    customer: str
    company: str
    grade: str
    owner: str
    followups: int
    last_contact: date | None
    cadence_due: date

    def to_json(self) -> dict:
        return {
            "customer_id": self.customer_id,
            "customer": self.customer,
            "company": self.company,
            "grade": self.grade,
            "owner": self.owner,
            "followups": self.followups,
            "last_contact": self.last_contact,
            "cadence_due": self.cadence_due,
        }


def at_risk(scope: Scope) -> list[AtRisk]:
    """The customers at risk of being dropped, longest without contact first."""
    query = scope.customers(
        Customer.select(
            Customer.id,
            Customer.name,
            Customer.company,
            Customer.grade,
            User.login,
            Customer.followups,
            Customer.last_contact_on,
            Customer.cadence_due,
        )
        .join(User, on=(Customer.owner == User.id))
        .where(
            Customer.grade.in_(AT_RISK_GRADES)
            & (Customer.followups < AT_RISK_BELOW_FOLLOWUPS)
            & (Customer.status != TERMINATED)  # the covering index's column
            & (Customer.cadence_due < scope.day)
        )
        .order_by(Customer.cadence_due, Customer.id)
    )
    return [AtRisk(*row) for row in query.tuples()]


# -- 80/20 ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pareto:
    """Revenue ranked by customer: the key customers (80/20) and the cumulative curve."""

    customers: int
    """Customers with revenue."""
    total: Decimal
    key_count: int
    key_revenue: Decimal
    last_key: tuple[int, Decimal] | None
    """(id, revenue) of the last key customer in rank order: where the 80% is reached."""
    curve: tuple[tuple[float, float], ...]
    """(share of the ranked customers, share of the revenue they hold), every 5%."""

    @property
    def key_share(self) -> float | None:
        """The key customers' share of the revenue, 0..1."""
        return float(self.key_revenue / self.total) if self.total else None

    @property
    def key_customer_share(self) -> float | None:
        """The key customers' share of the customers with revenue, 0..1."""
        return self.key_count / self.customers if self.customers else None

    def to_json(self) -> dict:
        return {
            "customers": self.customers,
            "total": self.total,
            "key_count": self.key_count,
            "key_revenue": self.key_revenue,
            "key_share": _round(self.key_share),
            "key_customer_share": _round(self.key_customer_share),
            "curve": [{"customers": c, "revenue": r} for c, r in self.curve],
        }


def pareto(scope: Scope, share: Decimal = KEY_SHARE) -> Pareto:
    """Key customers and the cumulative curve from the stored revenue, read in rank order from
    the revenue index one 5% segment at a time (each segment starts after the previous one's
    last row, so the whole ranking is read once); a running SUM window over the one segment
    where the total reaches `share` finds the last key customer."""
    c = Customer
    count, total = (
        scope.customers(c.select(count_rows(), _cents(fn.SUM(c.revenue))).where(c.revenue > 0))
        .tuples()
        .get()
    )
    total = int(total or 0)
    if not total:
        return Pareto(
            customers=0,
            total=_money(0),
            key_count=0,
            key_revenue=_money(0),
            last_key=None,
            curve=(),
        )
    target = math.ceil(Decimal(total) * share)  # the least running total in cents that reaches it
    curve: list[tuple[float, float]] = []
    last_row: tuple[Decimal, int] | None = None
    key = None
    done = running = 0
    for point in sorted(
        {math.ceil(k * count / PARETO_POINTS) for k in range(1, PARETO_POINTS + 1)}
    ):
        segment = _ranked_after(scope, last_row).limit(point - done)
        part = segment.select(_cents(c.revenue).alias("cents")).alias("part")
        subtotal = int(Select([part], [fn.SUM(part.c.cents)]).bind(database).scalar() or 0)
        if key is None and running + subtotal >= target:
            place, customer_id, cents, reached = _reaching(segment, target - running)
            key = (done + place, customer_id, cents, running + reached)
        # the segment's last row: not .get(), which would reset the offset
        last_row = list(segment.select(c.revenue, c.id).offset(point - done - 1).limit(1).tuples())[
            0
        ]
        done, running = point, running + subtotal
        curve.append((round(done / count, 4), round(running / total, 4)))
    place, last_id, last_cents, key_cents = key
    return Pareto(
        customers=count,
        total=_money(total),
        key_count=place,
        key_revenue=_money(key_cents),
        last_key=(last_id, _money(last_cents)),
        curve=tuple(curve),
    )


def _ranked_after(scope: Scope, row: tuple[Decimal, int] | None):
    """Customers with revenue ranked after `row` (revenue, id), in rank order."""
    c = Customer
    after = c.revenue > 0
    if row is not None:
        revenue, customer_id = row
        after &= (c.revenue <= revenue) & ~((c.revenue == revenue) & (c.id <= customer_id))
    return scope.customers(c.select(c.id).where(after)).order_by(c.revenue.desc(), c.id)


def _reaching(segment, needed: int) -> tuple[int, int, int, int]:
    """(place in the segment, id, revenue cents, running cents) of the first row of the
    segment whose running revenue reaches `needed` cents."""
    c = Customer
    window = Window(
        order_by=[c.revenue.desc(), c.id], frame_type=Window.ROWS, start=Window.preceding()
    )
    rows = (
        segment.select(
            c.id.alias("customer_id"),
            _cents(c.revenue).alias("cents"),
            fn.ROW_NUMBER().over(window).alias("place"),
            _cents(fn.SUM(c.revenue)).over(window).alias("running"),
        )
        .window(window)
        .alias("rows")
    )
    return (
        Select([rows], [rows.c.place, rows.c.customer_id, rows.c.cents, rows.c.running])
        .where(rows.c.running >= needed)
        .order_by(rows.c.place)
        .limit(1)
        .bind(database)
        .tuples()
        .get()
    )


def key_customer_ids(scope: Scope, found: Pareto) -> list[int]:
    """The key customers in rank order: everyone ranked up to the last key customer, one range
    of the revenue index."""
    if found.last_key is None:
        return []
    last_id, last_revenue = found.last_key
    c = Customer
    query = scope.customers(
        c.select(c.id)
        .where((c.revenue > last_revenue) | ((c.revenue == last_revenue) & (c.id <= last_id)))
        .order_by(c.revenue.desc(), c.id)
    )
    return [row[0] for row in query.tuples()]


# -- conversion -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Conversion:
    source: str
    """One of validation.SOURCES, or '' when not recorded."""
    customers: int
    won: int

    @property
    def rate(self) -> float | None:
        return self.won / self.customers if self.customers else None

    def to_json(self) -> dict:
        return {"customers": self.customers, "won": self.won, "rate": _round(self.rate)}


def conversion_by_source(scope: Scope) -> list[Conversion]:
    """Won / all customers per source (寻找客户的途径), counted in the order of the
    (source, deal_status) index."""
    query = scope.customers(
        Customer.select(Customer.source, Customer.deal_status, count_rows()).group_by(
            Customer.source, Customer.deal_status
        )
    )
    customers: dict[str, int] = {}
    won: dict[str, int] = {}
    for source, deal_status, count in query.tuples():
        source = source or ""
        customers[source] = customers.get(source, 0) + count
        if deal_status == "won":
            won[source] = won.get(source, 0) + count
    order = {source: place for place, source in enumerate((*SOURCES, ""))}
    return [
        Conversion(source, customers[source], won.get(source, 0))
        for source in sorted(customers, key=lambda s: (order.get(s, len(order)), s))
    ]


# -- satisfaction ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuarterCsi:
    quarter: str
    """e.g. 2026-Q4 (local calendar quarters)."""
    surveys: int
    scores: int
    csi: float | None
    """rules.csi of every dimension score given in the quarter; None without scores."""

    def to_json(self) -> dict:
        return {
            "quarter": self.quarter,
            "surveys": self.surveys,
            "scores": self.scores,
            "csi": self.csi,
        }


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _quarters(day: date, count: int) -> list[date]:
    """The first days of the `count` quarters ending with the one holding `day`, and the next."""
    starts = [_quarter_start(day)]
    for _i in range(count - 1):
        starts.insert(0, _quarter_start(starts[0] - timedelta(days=1)))
    starts.append(_quarter_start(starts[-1] + timedelta(days=95)))
    return starts


def csi_by_quarter(
    scope: Scope, quarters: int = CSI_QUARTERS, dimensions: Sequence[str] = DIMENSIONS
) -> list[QuarterCsi]:
    """CSI per local calendar quarter over the last `quarters` quarters, oldest first, over the
    configured `dimensions`: per quarter one range of the survey time index summing and
    counting the scores of the five survey columns configured, and one over the scores of the
    team's own dimensions (UNION ALL, so nothing is sorted); the index from them by
    rules.csi_of_total."""
    starts = _quarters(scope.day, quarters)
    bounds = [datetime.combine(s, time(0), tzinfo=scope.zone) for s in starts]
    s = Survey
    columns = [getattr(s, name) for name in DIMENSIONS if name in dimensions]
    own = [name for name in dimensions if name not in DIMENSIONS]
    points = reduce(operator.add, (fn.COALESCE(column, 0) for column in columns), Value(0))
    given = reduce(operator.add, (fn.COUNT(column) for column in columns), Value(0))

    def scoped(query):
        if scope.owner_id is not None:
            query = query.join(Customer, on=(s.customer == Customer.id)).where(
                Customer.owner == scope.owner_id
            )
        return query

    def one(index: int):
        return scoped(
            s.select(Value(index), fn.COUNT(s.id), fn.SUM(points), given).where(
                (s.at >= bounds[index]) & (s.at < bounds[index + 1])
            )
        )

    union = reduce(operator.add, (one(index) for index in range(len(starts) - 1)))
    found = {
        index: (surveys, int(total or 0), int(scores or 0))
        for index, surveys, total, scores in union.tuples()
    }
    if own:

        def extra(index: int):
            return scoped(
                SurveyScore.select(
                    Value(index), fn.SUM(SurveyScore.score), fn.COUNT(SurveyScore.id)
                )
                .join(s, on=(SurveyScore.survey == s.id))
                .where(
                    (s.at >= bounds[index])
                    & (s.at < bounds[index + 1])
                    & SurveyScore.dimension.in_(own)
                )
            )

        more = reduce(operator.add, (extra(index) for index in range(len(starts) - 1)))
        for index, total, scores in more.tuples():
            surveys, before, counted = found[index]
            found[index] = (surveys, before + int(total or 0), counted + int(scores or 0))
    return [
        QuarterCsi(
            quarter=f"{start.year}-Q{(start.month - 1) // 3 + 1}",
            surveys=found[index][0],
            scores=found[index][2],
            csi=csi_of_total(found[index][1], found[index][2]),
        )
        for index, start in enumerate(starts[:-1])
    ]


# -- the whole dashboard --------------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    day: date
    period: int
    team: bool
    """True when the figures cover everyone the user may see, not only their own customers."""
    grades: dict[str, int]
    movement: Movement
    reps: list[RepFigures]
    open_stages: list[Stage]
    win_stages: list[WinStage]
    at_risk: list[AtRisk]
    lapsed: Lapsed
    retention: Retention
    pareto: Pareto
    conversion: list[Conversion]
    csi: list[QuarterCsi]
    sla: ComplaintMetrics
    causes: ComplaintCauses | None = None
    pipeline: Any = None
    """services.pipeline.Pipeline: open opportunities by grade and close month, and the
    forecast."""
    targets: dict[str, Any] = field(default_factory=dict)
    """services.targets.TargetBoard of this month, quarter and year, by kind."""
    comparison: Any = None
    """services.reps.RepComparison of this month (a manager's team view only)."""
    receivables: Any = None
    """services.receivables.Receivables: what customers owe, overdue by age, per rep."""
    instructions: list = field(default_factory=list)
    """services.instructions.InstructionCounts per rep: open, late, done in the period."""
    timings: dict[str, float] = field(default_factory=dict, compare=False)
    """Milliseconds per figure, for the benchmark."""

    def to_json(self) -> dict:
        return {
            "day": self.day,
            "period": self.period,
            "team": self.team,
            "grades": self.grades,
            "movement": self.movement.to_json(),
            "grade_matrix": {r.login: r.grades for r in self.reps},
            "overdue_by_rep": {r.login: r.overdue for r in self.reps},
            "followup_stages": {
                s.stage: {"wins": s.wins, "share": _round(s.share), "reference": s.reference}
                for s in self.win_stages
            },
            "open_stages": {
                s.stage: {"customers": s.customers, "share": _round(s.share)}
                for s in self.open_stages
            },
            "at_risk": [row.to_json() for row in self.at_risk],
            "lapsed": self.lapsed.to_json(),
            "retention": self.retention.to_json(),
            "key_share": _round(self.pareto.key_share),
            "pareto": self.pareto.to_json(),
            "conversion_by_source": {row.source: row.to_json() for row in self.conversion},
            "csi": [row.to_json() for row in self.csi],
            "sla": self.sla.to_json(),
            "complaint_causes": self.causes.to_json() if self.causes else None,
            "pipeline": self.pipeline.to_json() if self.pipeline else None,
            "targets": {kind: board.to_json() for kind, board in self.targets.items()},
            "reps": self.comparison.to_json() if self.comparison else None,
            "receivables": self.receivables.to_json() if self.receivables else None,
            "instructions": [
                {
                    "login": c.login,
                    "open": c.open,
                    "late": c.late,
                    "done": c.done,
                    "done_late": c.done_late,
                }
                for c in self.instructions
            ],
        }


TARGET_KINDS = ("month", "quarter", "year")


def dashboard(
    ctx: Context,
    period: int = 30,
    *,
    everyone: bool = False,
    day: date | None = None,
    target_kinds: Sequence[str] = ("month",),
) -> Dashboard:
    """Every figure of the dashboard for the last `period` days (7, 30 or 90); the targets of
    this month (the Dashboard's panel), or of each of `target_kinds`."""
    if period not in PERIODS:
        raise InvalidInput.one(
            "period", _("the period is 7, 30 or 90 days, not {n}").format(n=period)
        )
    scope = scope_for(ctx, everyone=everyone, day=day)
    timings: dict[str, float] = {}

    def timed(name, function, *args, **kwargs):
        started = perf_counter()
        result = function(*args, **kwargs)
        timings[name] = (perf_counter() - started) * 1000
        return result

    reps = timed("grades", rep_figures, scope)
    return Dashboard(
        day=scope.day,
        period=period,
        team=scope.owner_id is None,
        grades=grade_totals(reps),
        reps=reps,
        movement=timed("movement", movement, scope, period),
        open_stages=timed("open_stages", open_stages, scope),
        win_stages=timed("win_stages", win_stages, scope, period),
        at_risk=timed("at_risk", at_risk, scope),
        lapsed=timed("lapsed", lapsed, scope),
        retention=timed("retention", retention, scope, period),
        pareto=timed("pareto", pareto, scope),
        conversion=timed("conversion", conversion_by_source, scope),
        csi=timed("csi", csi_by_quarter, scope, dimensions=ctx.config.survey.dimensions),
        sla=timed("sla", complaint_metrics, ctx, scope.since(period), scope.day, everyone=everyone),
        causes=timed("complaint_causes", complaint_causes, ctx, day=scope.day, everyone=everyone),
        **accounts_figures(ctx, scope, reps, timed, target_kinds),
        receivables=timed("receivables", receivables, ctx, scope.day, owner_id=scope.owner_id),
        instructions=timed("instructions", instruction_counts, ctx, scope.since(period), scope.day),
        timings=timings,
    )


def accounts_figures(
    ctx: Context, scope: Scope, reps: list[RepFigures], timed, target_kinds: Sequence[str]
) -> dict:
    """The pipeline and its forecast, the targets of the periods of `target_kinds` holding the
    day, and (for a manager's team view) each rep side by side this month."""
    # imported here: these services build on this module's figures
    from crmtui.services.reps import rep_comparison

    weights = timed("forecast_weights", forecast_weights, ctx, scope.day)
    found = {"pipeline": timed("pipeline", pipeline, scope.owner_id, scope.day, weights)}
    found["targets"] = timed(
        "targets",
        lambda: {kind: target_board(ctx, kind=kind, day=scope.day) for kind in target_kinds},
    )
    if ctx.is_manager and scope.owner_id is None:
        found["comparison"] = timed("reps", rep_comparison, ctx, day=scope.day, figures=reps)
    return found


# -- the customers behind a figure ----------------------------------------------------------------


@dataclass(frozen=True)
class CustomerRow:
    customer_id: int
    customer: str
    company: str
    grade: str
    owner: str
    next_due: date
    revenue: Decimal


def customer_rows(ctx: Context, ids: Sequence[int], *, limit: int = 1000) -> list[CustomerRow]:
    """The visible customers among `ids`, in the order given (a figure's customers, opened
    from the dashboard)."""
    wanted = list(dict.fromkeys(ids))[:limit]
    if not wanted:
        return []
    rows: dict[int, CustomerRow] = {}
    owner = owner_filter(ctx, everyone=True)
    for start in range(0, len(wanted), 500):  # keep each IN list short
        query = (
            Customer.select(
                Customer.id,
                Customer.name,
                Customer.company,
                Customer.grade,
                User.login,
                Customer.next_due,
                Customer.revenue,
            )
            .join(User, on=(Customer.owner == User.id))
            .where(Customer.id.in_(wanted[start : start + 500]))
        )
        if owner is not None:
            query = query.where(Customer.owner == owner)
        rows.update((row[0], CustomerRow(*row)) for row in query.tuples())
    return [rows[i] for i in wanted if i in rows]


"""The figures of the dashboard that stand for a list of customers."""


def customers_behind(
    ctx: Context, figures: Dashboard, figure: str, *, limit: int = 1000
) -> tuple[list[CustomerRow], int]:
    """The customers behind one figure of `figures` (one of BEHIND_FIGURES) in the figure's
    order, for the same people, day and period; the first `limit` of them, and how many there
    are."""
    scope = scope_for(ctx, everyone=figures.team, day=figures.day)
    if figure in (PROMOTED, DEMOTED):
        ids = moved_customer_ids(scope, figures.period, figure)
    elif figure == NEW:
        ids = new_customer_ids(scope, figures.period)
    elif figure == AT_RISK:
        ids = [row.customer_id for row in figures.at_risk]
    elif figure == KEY_CUSTOMERS:
        ids = key_customer_ids(scope, figures.pareto)
    else:
        raise ValueError(f"no customers behind the figure {figure!r}")
    return customer_rows(ctx, ids, limit=limit), len(ids)


def _round(value: float | None, places: int = 4) -> float | None:
    return None if value is None else round(value, places)


__all__ = [
    "PERIODS",
    "PROMOTED",
    "DEMOTED",
    "NEW",
    "AT_RISK",
    "KEY_CUSTOMERS",
    "BEHIND_FIGURES",
    "Scope",
    "scope_for",
    "RepFigures",
    "rep_figures",
    "grade_totals",
    "Movement",
    "movement",
    "moved_customer_ids",
    "new_customer_ids",
    "Stage",
    "open_stages",
    "WinStage",
    "win_stages",
    "Lapsed",
    "lapsed",
    "Retention",
    "retention",
    "AtRisk",
    "at_risk",
    "Pareto",
    "pareto",
    "key_customer_ids",
    "Conversion",
    "conversion_by_source",
    "QuarterCsi",
    "csi_by_quarter",
    "Dashboard",
    "dashboard",
    "CustomerRow",
    "customer_rows",
    "customers_behind",
]
