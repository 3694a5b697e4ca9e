"""The pipeline and its forecast: the expected amounts of open opportunities added up by grade
and by expected close month, as they stand and weighted by each grade's conversion measured on
the team's own history.

Decisions:

- An open opportunity is a customer with a clear need and an expected amount who is not
  terminated. A close date before this month stays in its own month (it has slipped); no close
  date is `none`.
- A grade's conversion is the share of the customers who were at that grade at some time in
  the last year (HISTORY_DAYS) and won afterwards (a win dated after they were at it, in the
  same year). It is the team's, whoever looks: a rep's own customers are too few to measure.
- Fewer than MIN_HISTORY customers at a grade in that year, and the grade's stated default
  (rules.DEFAULT_CONVERSION) is used instead, and said so.
- The history is read from the grade changes of the year (each customer's chain of changes:
  the grades it held are its first change's `from` and every `to`) and the wins of the year;
  customers without a change in the year held their current grade all year. It is measured
  once a day and kept in the settings for the day's other reads.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import peewee
from peewee import fn

from crmtui.db import Customer, GradeChange, Setting, Win, database, write_transaction
from crmtui.db.figures import NO_CLOSE_DAY
from crmtui.db.models import PipelineDay
from crmtui.db.rows import tuple_rows
from crmtui.rules import (
    GRADE_ORDER,
    HISTORY_DAYS,
    MIN_HISTORY,
    Conversion,
    Grade,
    conversion_weights,
    grades_before,
    grades_held,
    weighted,
)
from crmtui.services.context import Context

OPEN_GRADES = tuple(g.value for g in GRADE_ORDER if g is not Grade.E)
NO_ESTIMATE = "none"
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class PipelineCell:
    customers: int = 0
    amount: Decimal = Decimal("0.00")
    """Expected amounts as they stand."""
    weighted: Decimal = Decimal("0.00")
    """The same, each weighted by its grade's conversion."""

    def __add__(self, other: PipelineCell) -> PipelineCell:
        return PipelineCell(
            self.customers + other.customers,
            self.amount + other.amount,
            self.weighted + other.weighted,
        )

    def to_json(self) -> dict[str, Any]:
        return {"customers": self.customers, "amount": self.amount, "weighted": self.weighted}


@dataclass(frozen=True)
class Weights:
    """Each grade's conversion over the history, and the days it covers."""

    since: date
    until: date
    grades: dict[Grade, Conversion]
    min_customers: int = MIN_HISTORY
    """Fewer customers at a grade, and its default is used."""

    @property
    def grades_by_letter(self) -> dict[str, Conversion]:
        return {grade.value: conversion for grade, conversion in self.grades.items()}

    @property
    def defaulted(self) -> list[str]:
        """Grades whose weight is the stated default (too little history)."""
        return [g.value for g, c in self.grades.items() if not c.measured]

    def to_json(self) -> dict[str, Any]:
        return {
            "since": self.since,
            "until": self.until,
            "min_customers": self.min_customers,
            "defaulted": self.defaulted,
            "grades": {
                g.value: {
                    "rate": c.rate,
                    "customers": c.customers,
                    "won": c.won,
                    "measured": c.measured,
                }
                for g, c in self.grades.items()
            },
        }


@dataclass(frozen=True)
class Pipeline:
    day: date
    weights: Weights
    by_grade: dict[str, PipelineCell]
    """A to D, each present."""
    by_month: dict[str, PipelineCell]
    """Expected close month (2026-12) in order, then `none`."""
    total: PipelineCell
    grade_months: dict[str, dict[str, PipelineCell]] = field(default_factory=dict)
    """Grade → month → cell: the two breakdowns crossed."""

    def to_json(self) -> dict[str, Any]:
        return {
            "day": self.day,
            "total": self.total.to_json(),
            "by_grade": {g: c.to_json() for g, c in self.by_grade.items()},
            "by_month": {m: c.to_json() for m, c in self.by_month.items()},
            "weights": self.weights.to_json(),
        }


# -- the history ----------------------------------------------------------------------------------


def tally(
    grade_totals: dict[str, int],
    changes: Iterable[tuple[int, date, str | None, str]],
    wins: dict[int, list[date]],
    winners_now: dict[int, str],
) -> dict[str, tuple[int, int]]:
    """(customers at the grade in the history, of them won afterwards) per grade, from the
    count of customers per grade now, the history's changes (customer, day, from, to) in
    customer and time order, the history's wins per customer, and the winners' grades now. A
    customer without a change held its grade of now all along, so its wins are at that grade."""
    at: dict[str, int] = dict.fromkeys((g.value for g in Grade), 0)
    won: dict[str, int] = dict.fromkeys((g.value for g in Grade), 0)
    unchanged = dict(grade_totals)
    settled: set[int] = set()

    def settle(customer: int, start: str | None, moves: list[tuple[date, str]]) -> None:
        settled.add(customer)
        for grade in grades_held(start, moves):
            at[grade] += 1
        unchanged[moves[-1][1]] = unchanged.get(moves[-1][1], 0) - 1  # its grade now
        won_at: set[str] = set()  # held before a win, each grade counted once
        for day in wins.get(customer, ()):
            won_at |= grades_before(start, moves, day)
        for grade in won_at:
            won[grade] += 1

    current: int | None = None
    start: str | None = None
    moves: list[tuple[date, str]] = []
    for customer, day, from_grade, to_grade in changes:
        if customer != current:  # the previous customer's chain is complete
            if current is not None:
                settle(current, start, moves)
            current, start, moves = customer, from_grade, []
        moves.append((day, to_grade))
    if current is not None:
        settle(current, start, moves)
    for grade, count in unchanged.items():
        at[grade] = at.get(grade, 0) + max(0, count)
    for customer in wins.keys() - settled:
        grade_now = winners_now.get(customer)
        if grade_now is not None:
            won[grade_now] += 1
    return {grade: (at[grade], won[grade]) for grade in at}


def measure_weights(day: date, *, min_customers: int = MIN_HISTORY) -> Weights:
    """Each grade's conversion over the year before `day` (the whole team's customers); a grade
    with fewer than `min_customers` in the year gets its stated default. Three reads: the
    customers per grade now (an index count), the year's grade changes in customer order, and
    the year's wins with their customers' grade now. Rows are read as the driver gives them:
    days stay as it returns them (ISO text on SQLite), which compare as days do."""
    since = day - timedelta(days=HISTORY_DAYS)
    totals = dict(
        tuple_rows(
            Customer.select(Customer.grade, fn.COUNT(Customer.id)).group_by(Customer.grade),
            tuple[str, int],
        )
    )
    g = GradeChange
    changes = database.execute(
        g.select(g.customer, g.on, g.from_grade, g.to_grade)
        .where((g.on >= since) & (g.on <= day))
        .order_by(g.customer, g.at, g.id)
    ).fetchall()
    wins: dict[int, list[date]] = {}
    now: dict[int, str] = {}
    query = (
        Win.select(Win.customer, Win.on, Customer.grade)
        .join(Customer, on=(Win.customer == Customer.id))
        .where((Win.on >= since) & (Win.on <= day))
    )
    for customer, on, grade in database.execute(query).fetchall():
        wins.setdefault(customer, []).append(on)
        now[customer] = grade
    return weights_of(since, day, tally(totals, changes, wins, now), min_customers)


def weights_of(
    since: date, until: date, counted: dict[str, tuple[int, int]], min_customers: int = MIN_HISTORY
) -> Weights:
    return Weights(
        since=since,
        until=until,
        grades=conversion_weights(counted, min_customers=min_customers),
        min_customers=min_customers,
    )


WEIGHTS_SETTING = "forecast_weights"
"""Where the day's measured history is kept: measuring a year of a large team's history takes
a noticeable moment, and it moves by a day at a time."""


def forecast_weights(ctx: Context, day: date) -> Weights:
    """The weights of the day's forecast: each grade's conversion over the year before it,
    measured once a day and kept (where the user may write) for the day's other reads."""
    kept = Setting.get_or_none(Setting.key == WEIGHTS_SETTING)
    if kept is not None:
        try:
            data = json.loads(kept.value)
            if data["day"] == day.isoformat():
                return weights_of(
                    date.fromisoformat(data["since"]),
                    day,
                    {grade: tuple(pair) for grade, pair in data["tally"].items()},
                )
        except (ValueError, KeyError, TypeError):
            pass  # written by another version: measured again
    since = day - timedelta(days=HISTORY_DAYS)
    weights = measure_weights(day)
    counted = {g.value: (c.customers, c.won) for g, c in weights.grades.items()}
    _keep(ctx, json.dumps({"day": day.isoformat(), "since": since.isoformat(), "tally": counted}))
    return weights


def _keep(ctx: Context, value: str) -> None:
    """Keep the day's measure; where the user may not write settings (a read-only file, a
    team database's row security) it is measured again next time, nothing else changes."""
    if ctx.store.readonly:
        return
    try:
        with write_transaction():
            Setting.insert(key=WEIGHTS_SETTING, value=value).on_conflict(
                conflict_target=[Setting.key], update={Setting.value: value}
            ).execute()
    except peewee.DatabaseError:
        pass


# -- the pipeline ---------------------------------------------------------------------------------


def pipeline(owner_id: int | None, day: date, weights: Weights) -> Pipeline:
    """The open opportunities of one owner (or everyone) by grade and close month, raw and
    weighted: the team's from what the database keeps per grade and close day (db.figures),
    one owner's in one aggregate over the (need, status, grade, expected_close) index."""
    c = Customer
    if owner_id is None:
        p = PipelineDay
        kept = p.select(p.grade, p.close_on, p.customers, p.amount.coerce(False))
        query = database.execute(kept).fetchall()
    else:
        query = (
            c.select(
                c.grade, c.expected_close, fn.COUNT(c.id), fn.SUM(c.expected_amount).coerce(False)
            )
            .where(
                (c.owner == owner_id)
                & (c.need == "clear")
                & (c.status != "terminated")
                & c.expected_amount.is_null(False)
                & c.grade.in_(OPEN_GRADES)
            )
            .group_by(c.grade, c.expected_close)
            .tuples()
        )
    by_grade = {grade: PipelineCell() for grade in OPEN_GRADES}
    months: dict[str, PipelineCell] = {}
    crossed: dict[str, dict[str, PipelineCell]] = {grade: {} for grade in OPEN_GRADES}
    read_day = c.expected_close.python_value
    for grade, close, count, cents in query:
        close = read_day(close) if isinstance(close, str) else close
        close = None if close == NO_CLOSE_DAY else close
        amount = (Decimal(int(cents or 0)) / 100).quantize(_CENT)
        rate = weights.grades[Grade(grade)].rate
        cell = PipelineCell(int(count), amount, weighted(amount, rate))
        month = f"{close.year:04d}-{close.month:02d}" if close else NO_ESTIMATE
        by_grade[grade] += cell
        months[month] = months.get(month, PipelineCell()) + cell
        crossed[grade][month] = crossed[grade].get(month, PipelineCell()) + cell
    order = sorted(months, key=lambda m: (m == NO_ESTIMATE, m))
    return Pipeline(
        day=day,
        weights=weights,
        by_grade=by_grade,
        by_month={m: months[m] for m in order},
        total=sum(by_grade.values(), PipelineCell()),
        grade_months={g: {m: crossed[g][m] for m in order if m in crossed[g]} for g in OPEN_GRADES},
    )


__all__ = ["NO_ESTIMATE", "PipelineCell", "Weights", "Pipeline", "measure_weights", "pipeline"]
