"""The grade figures: customers per grade and rep with their overdue follow-ups, movement over
the period, customers and wins by follow-up stage, and the customers at risk of being dropped."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from peewee import Case, Expression, Field, Function, ModelSelect, Select, fn

from crmtui.db import Customer, GradeChange, User, Win, database
from crmtui.db.models import DueTally, GradeTally, StageTally
from crmtui.db.rows import among, tuple_rows
from crmtui.rules import FOLLOWUP_REFERENCE, FOLLOWUP_STAGES, followup_stage, grade_rank
from crmtui.services.figures.scope import (
    GRADES,
    OPEN_GRADES,
    TERMINATED,
    Scope,
    count_rows,
)
from crmtui.vocab import PROMOTED

# rules.at_risk_of_drop in SQL (tests hold the two together)
AT_RISK_GRADES = ("A", "B", "C")
AT_RISK_BELOW_FOLLOWUPS = 4


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


def due_per_owner(
    owners: list[int] | None, *, until: date, since: date | None = None, chased_only: bool = False
) -> dict[int, int]:
    """Per owner (of `owners`, or everyone): their customers next due before `until` (and on
    or after `since`), only those someone chases (not terminated) or all, counted from what
    the database keeps per owner and next due day (db.figures' due_tally)."""
    d = DueTally
    where = d.next_due < until
    if owners is not None:
        where &= among(d.owner_id, owners)
    if since is not None:
        where &= d.next_due >= since
    if chased_only:
        where &= d.chased == 1
    query = d.select(d.owner_id, fn.SUM(d.customers)).where(where).group_by(d.owner_id)
    return {owner: int(n or 0) for owner, n in database.execute(query).fetchall()}


def rep_figures(scope: Scope) -> list[RepFigures]:
    """Customers per owner and grade, and per owner the follow-ups overdue — next due before
    the day, terminated customers left out (nobody chases them) — both kept by the database
    (db.figures)."""
    matrix = GradeTally.select(GradeTally.owner_id, GradeTally.grade, GradeTally.customers)
    if scope.owner_id is not None:
        matrix = matrix.where(GradeTally.owner_id == scope.owner_id)
    grades: dict[int, dict[str, int]] = {}
    # a team's thousands of rows read from the cursor (their values need no conversion), and
    # every user read, not the owners named in an IN list: peewee's conversions and the list
    # cost more than the queries
    for owner_id, grade, count in database.execute(matrix).fetchall():
        row = grades.get(owner_id)
        if row is None:
            row = grades[owner_id] = dict.fromkeys(GRADES, 0)
        row[grade] = count
    if not grades:
        return []
    owners = None if scope.owner_id is None else [scope.owner_id]
    overdue = due_per_owner(owners, until=scope.day, chased_only=True)
    users = User.select(User.id, User.login, User.display_name).order_by(
        User.sort_name,
        User.login,  # 王芳 among the w's
    )
    return [
        RepFigures(
            login=login,
            name=display or login,
            grades=grades[uid],
            overdue=overdue.get(uid, 0),
        )
        for uid, login, display in database.execute(users).fetchall()
        if uid in grades
    ]


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

    def to_json(self) -> dict[str, Any]:
        return {
            "since": self.since,
            "until": self.until,
            "promotions": self.promotions,
            "demotions": self.demotions,
            "new": self.new,
        }


def _rank(column: Field) -> Case:
    return Case(column, [(grade, grade_rank(grade)) for grade in GRADES])


def _changes(scope: Scope, period: int, select: list[Any], *, added: bool) -> ModelSelect[Any]:
    """`select` over the period's grade changes that added a customer (`added`: from no grade)
    or moved one (from a grade to another), each kind read from its own partial index."""
    g = GradeChange
    kind = g.from_grade.is_null() if added else g.from_grade.is_null(False)
    query = g.select(*select).where(kind & (g.on >= scope.since(period)) & (g.on <= scope.day))
    if scope.owner_id is not None:
        query = query.join(Customer, on=(g.customer == Customer.id)).where(
            Customer.owner == scope.owner_id
        )
    return query


def _step() -> Expression:
    """A moving change's rank step: negative towards A, as rules.is_promotion(start, end)."""
    return _rank(GradeChange.to_grade) - _rank(GradeChange.from_grade)


def _up_and_down(net: Any) -> list[Function]:
    """How many of the rows have their `net` step up (towards A), and how many down."""
    return [fn.SUM(Case(None, [(condition, 1)], 0)) for condition in (net < 0, net > 0)]


def movement(scope: Scope, period: int) -> Movement:
    """How many customers moved up, down, or came in over the last `period` days: a
    customer's net step is the sum of their changes' steps in the period (a change adding
    them is none)."""
    g = GradeChange
    since = scope.since(period)
    # a change that is its customer's only move in the period is that customer's whole
    # movement: those are summed as they are, and only the customers with several changes
    # are grouped (db.grade_days keeps each change's neighbouring days)
    alone = (g.prev_on.is_null() | (g.prev_on < since)) & (
        g.next_on.is_null() | (g.next_on > scope.day)
    )
    # the single moves are counted per (from, to) pair of grades, a few dozen groups: a
    # rank worked out per row cost more than reading the rows
    singles = (
        _changes(scope, period, [g.from_grade, g.to_grade, count_rows()], added=False)
        .where(alone)
        .group_by(g.from_grade, g.to_grade)
    )
    promotions = demotions = 0
    for before, after, count in tuple_rows(singles, tuple[str, str, int]):
        step = grade_rank(after) - grade_rank(before)
        promotions += count if step < 0 else 0
        demotions += count if step > 0 else 0
    moves = (
        _changes(scope, period, [fn.SUM(_step()).alias("net")], added=False)
        .where(~alone)
        .group_by(g.customer)
        .alias("moves")
    )
    grouped = Select([moves], _up_and_down(moves.c.net)).bind(database)
    up, down = grouped.tuples().get()
    promotions += int(up or 0)
    demotions += int(down or 0)
    (new,) = _changes(scope, period, [count_rows()], added=True).tuples().get()
    return Movement(
        since=since, until=scope.day, promotions=promotions, demotions=demotions, new=int(new)
    )


def moved_customer_ids(scope: Scope, period: int, direction: str) -> list[int]:
    """The customers behind a movement figure (PROMOTED or DEMOTED), by id."""
    g = GradeChange
    net = fn.SUM(_step())
    query = (
        _changes(scope, period, [g.customer], added=False)
        .group_by(g.customer)
        .having(net < 0 if direction == PROMOTED else net > 0)
        .order_by(g.customer)
    )
    return [customer_id for (customer_id,) in tuple_rows(query, tuple[int])]


def new_customer_ids(scope: Scope, period: int) -> list[int]:
    """The customers behind the movement's `new`: added in the period, by id."""
    g = GradeChange
    query = _changes(scope, period, [g.customer], added=True).distinct().order_by(g.customer)
    return [customer_id for (customer_id,) in tuple_rows(query, tuple[int])]


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
    query: Select
    if scope.owner_id is None:  # the team's, kept by the database (db.figures)
        query = StageTally.select(StageTally.grade, StageTally.followups, StageTally.customers)
    else:
        query = (
            Customer.select(Customer.grade, Customer.followups, count_rows())
            .where(
                (Customer.owner == scope.owner_id)
                & Customer.grade.in_(OPEN_GRADES)
                & (Customer.status != TERMINATED)
            )
            .group_by(Customer.grade, Customer.followups)
        )  # the index's order: no sorting
    counts = dict.fromkeys(FOLLOWUP_STAGES, 0)
    for _grade, followups, count in tuple_rows(query, tuple[str, int, int]):
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
    for followups, count in tuple_rows(query, tuple[int, int]):
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


# -- drop risks --------------------------------------------------------------------------------


class AtRisk(NamedTuple):
    """An A–C customer with fewer than 4 follow-ups whose cadence ran out (SPEC 2.3). A tuple:
    a large team has tens of thousands, built straight from the rows."""

    customer_id: int
    customer: str
    company: str
    grade: str
    owner: str
    followups: int
    last_contact: date | None
    cadence_due: date

    def to_json(self) -> dict[str, Any]:
        return self._asdict()  # the JSON keys are the field names


def at_risk_query(scope: Scope) -> ModelSelect[Customer]:
    """The drop risks' query: its terms are those of the index that holds them
    (db.figures' customer_at_risk), so it reads the index alone."""
    return scope.customers(
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


AT_RISK_CARRIED = 20
"""The drop risks the dashboard carries: the first, longest without contact (a screen shows a
few and the count; a large team has tens of thousands, listed on demand)."""


def at_risk(scope: Scope, limit: int | None = None) -> list[AtRisk]:
    """The customers at risk of being dropped, longest without contact first (the first
    `limit` of them, or all)."""
    query = at_risk_query(scope)
    if limit is not None:
        query = query.limit(limit)
    # thousands of rows on a large team: read from the cursor, not row by row through peewee
    rows = database.execute(query).fetchall()
    if rows and isinstance(rows[0][-1], str):  # SQLite gives the days as their ISO text
        return [
            AtRisk(cid, name, company, grade, owner, followups, last and _day(last), _day(due))
            for cid, name, company, grade, owner, followups, last, due in rows
        ]
    return list(map(AtRisk._make, rows))


def at_risk_count(scope: Scope) -> int:
    """How many customers are at risk of being dropped (from the index that holds them)."""
    return at_risk_query(scope).count()


def at_risk_ids(scope: Scope) -> list[int]:
    """The customers at risk of being dropped, by id, in the list's order."""
    query = at_risk_query(scope).select(Customer.id)
    return [customer_id for (customer_id,) in tuple_rows(query, tuple[int])]


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)
