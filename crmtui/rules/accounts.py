"""Key accounts and the team's targets (重点客户, 销售目标): target periods and their arithmetic, an
account plan's progress, and the conversion weights of the pipeline forecast.

Pure: no clock (today is a parameter), no storage. Money is Decimal.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from crmtui.patterns import lazy_pattern

from ._base import N_, Explained, StrEnum, Value
from .grades import Grade

_CENT = Decimal("0.01")


# -- periods --------------------------------------------------------------------------------------


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class PeriodError(ValueError):
    """Text that is not a month, quarter or year; `explained` holds the message for the
    interface's language."""

    def __init__(self, template: str, **values: Any) -> None:
        self.explained = Explained(template, **values)
        super().__init__(str(self.explained))


class Period(Value):
    """A calendar month, quarter or year: the span a target is set for."""

    __slots__ = ("kind", "start", "end")
    kind: PeriodKind
    start: date
    end: date
    """The period's last day, included."""

    def __init__(self, kind: PeriodKind, start: date, end: date) -> None:
        super().__init__(kind=kind, start=start, end=end)

    @property
    def key(self) -> str:
        """How it is written: 2026-12, 2027-Q1 or 2027."""
        if self.kind is PeriodKind.MONTH:
            return f"{self.start.year:04d}-{self.start.month:02d}"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.start.year:04d}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year:04d}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.key


_MONTH = lazy_pattern(r"(\d{4})-(\d{1,2})")
_QUARTER = lazy_pattern(r"(\d{4})-?[Qq](\d{1,2})")
_YEAR = lazy_pattern(r"(\d{4})")


def month_period(year: int, month: int) -> Period:
    last = calendar.monthrange(year, month)[1]
    return Period(PeriodKind.MONTH, date(year, month, 1), date(year, month, last))


def quarter_period(year: int, quarter: int) -> Period:
    first = 3 * (quarter - 1) + 1
    last = first + 2
    return Period(
        PeriodKind.QUARTER,
        date(year, first, 1),
        date(year, last, calendar.monthrange(year, last)[1]),
    )


def year_period(year: int) -> Period:
    return Period(PeriodKind.YEAR, date(year, 1, 1), date(year, 12, 31))


def period_of(kind: PeriodKind | str, day: date) -> Period:
    """The month, quarter or year that holds `day`."""
    kind = PeriodKind(kind)
    if kind is PeriodKind.MONTH:
        return month_period(day.year, day.month)
    if kind is PeriodKind.QUARTER:
        return quarter_period(day.year, (day.month - 1) // 3 + 1)
    return year_period(day.year)


def parse_period(text: str, kind: PeriodKind | str | None = None) -> Period:
    """`2026-12` (a month), `2027-Q1` (a quarter) or `2027` (a year); with `kind`, only that
    kind is accepted."""
    raw = str(text).strip()
    wanted = PeriodKind(kind) if kind is not None else None
    found: Period | None = None
    if match := _QUARTER.fullmatch(raw):
        year, quarter = int(match[1]), int(match[2])
        if not 1 <= quarter <= 4:
            raise PeriodError(N_("{text} is not a quarter (Q1 to Q4)"), text=raw)
        found = quarter_period(year, quarter)
    elif match := _MONTH.fullmatch(raw):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise PeriodError(
                N_("{text} is not a month (there is no month {month})"), text=raw, month=month
            )
        found = month_period(year, month)
    elif _YEAR.fullmatch(raw):
        found = year_period(int(raw))
    if found is None or found.start.year < 1900:
        raise PeriodError(
            N_("{text} is not a month, quarter or year (write 2026-12, 2027-Q1 or 2027)"), text=raw
        )
    if wanted is not None and found.kind is not wanted:
        raise PeriodError(
            {
                PeriodKind.MONTH: N_("{text} is not a month (write it as 2026-12)"),
                PeriodKind.QUARTER: N_("{text} is not a quarter (write it as 2027-Q1)"),
                PeriodKind.YEAR: N_("{text} is not a year (write it as 2027)"),
            }[wanted],
            text=raw,
        )
    return found


# -- targets --------------------------------------------------------------------------------------


class TargetProgress(NamedTuple):
    """How far a target for a period is reached on a day."""

    target: Decimal
    achieved: Decimal
    remaining: Decimal
    """What is still missing, never below zero."""
    share: float | None
    """achieved / target (above 1 when beaten); None for a target of zero."""
    days_left: int
    """Days of the period from the day on, the day itself included: the whole period before
    it starts, 0 once it has ended."""
    per_day: Decimal | None
    """What each day left must bring to reach the target: amounts rounded up to the cent,
    counts to two decimals up; 0 when reached; None when the period is over and it was not."""


def days_left(period: Period, today: date) -> int:
    if today < period.start:
        return period.days
    if today > period.end:
        return 0
    return (period.end - today).days + 1


def target_progress(
    target: Decimal | int, achieved: Decimal | int, period: Period, today: date
) -> TargetProgress:
    """Achieved against target, and what the period's remaining days need per day."""
    target, achieved = Decimal(target), Decimal(achieved)
    if target < 0 or achieved < 0:
        raise ValueError("targets and results are never negative")
    remaining = max(Decimal(0), target - achieved)
    left = days_left(period, today)
    if not remaining:
        per_day: Decimal | None = Decimal(0)
    elif not left:
        per_day = None
    else:
        per_day = (remaining / left).quantize(_CENT, rounding=ROUND_CEILING)
    share = float(achieved / target) if target else None
    return TargetProgress(
        target=target,
        achieved=achieved,
        remaining=remaining,
        share=share,
        days_left=left,
        per_day=per_day,
    )


# -- account plans --------------------------------------------------------------------------------

VISIT_CHANNELS = ("visit", "meeting")
"""Interactions that count as visits for an account plan's visit cycle: met in person."""


class PlanProgress(NamedTuple):
    """An account plan's year so far: orders against the target amount, visits against the
    cycle."""

    year: int
    target_amount: Decimal | None
    ordered: Decimal
    share: float | None
    """ordered / target_amount; None without a target."""
    visits: int
    visit_every_days: int | None
    expected_visits: int | None
    """Whole cycles in the year's days so far (today included); None without a cycle."""

    @property
    def visits_behind(self) -> bool:
        return self.expected_visits is not None and self.visits < self.expected_visits


def plan_progress(
    *,
    target_amount: Decimal | None,
    ordered: Decimal,
    visits: int,
    visit_every_days: int | None,
    today: date,
) -> PlanProgress:
    """The plan's year: orders this calendar year against its target amount, and visits this
    year against one every `visit_every_days` days."""
    days = (today - date(today.year, 1, 1)).days + 1
    share = float(ordered / target_amount) if target_amount else None
    expected = days // visit_every_days if visit_every_days else None
    return PlanProgress(
        year=today.year,
        target_amount=target_amount,
        ordered=ordered,
        share=share,
        visits=visits,
        visit_every_days=visit_every_days,
        expected_visits=expected,
    )


# -- forecast weights -----------------------------------------------------------------------------

HISTORY_DAYS = 365
"""The history a grade's conversion is measured on: the last year."""
MIN_HISTORY = 20
"""Fewer customers than this at a grade in the history, and its stated default is used."""
DEFAULT_CONVERSION: Mapping[Grade, Decimal] = {
    Grade.A: Decimal("0.5"),
    Grade.B: Decimal("0.25"),
    Grade.C: Decimal("0.1"),
    Grade.D: Decimal("0.03"),
    Grade.E: Decimal(0),
}
"""The weights used where the team's own history is too thin to measure one."""
_RATE = Decimal("0.0001")


class Conversion(NamedTuple):
    """One grade's conversion: of the customers at the grade in the history, those who won
    afterwards."""

    grade: Grade
    customers: int
    won: int
    rate: Decimal
    """The weight the forecast uses: won / customers when measured, else the default."""
    measured: bool
    """False when fewer than MIN_HISTORY customers were at the grade: `rate` is the default."""


def grades_held(start: str | None, changes: Iterable[tuple[date, str]]) -> set[str]:
    """Every grade a customer held in the history: the one it started it with (None when it
    was created in it) and each it moved to."""
    held = {to for _day, to in changes}
    if start is not None:
        held.add(start)
    return held


def grades_before(start: str | None, changes: Iterable[tuple[date, str]], day: date) -> set[str]:
    """The grades a customer held before `day` in the history: the one it started with and
    each it moved to on an earlier day (a move on the day itself followed the win)."""
    return grades_held(start, ((on, to) for on, to in changes if on < day))


def conversion_weights(
    tally: Mapping[str, tuple[int, int]],
    *,
    min_customers: int = MIN_HISTORY,
    defaults: Mapping[Grade, Decimal] = DEFAULT_CONVERSION,
) -> dict[Grade, Conversion]:
    """Per grade, from (customers at the grade, of them won afterwards): the measured share
    (four decimals, half up) when at least `min_customers` were there, else the default."""
    weights = {}
    for grade in Grade:
        customers, won = tally.get(grade.value, (0, 0))
        if won > customers or won < 0:
            raise ValueError(f"{won} won of {customers} customers at {grade}")
        measured = customers >= min_customers
        rate = (
            (Decimal(won) / Decimal(customers)).quantize(_RATE, rounding=ROUND_HALF_UP)
            if measured
            else Decimal(defaults.get(grade, 0))
        )
        weights[grade] = Conversion(
            grade=grade, customers=customers, won=won, rate=rate, measured=measured
        )
    return weights


def weighted(amount: Decimal, rate: Decimal) -> Decimal:
    """An expected amount weighted by a conversion rate, to the cent (half up)."""
    return (Decimal(amount) * rate).quantize(_CENT, rounding=ROUND_HALF_UP)


__all__ = [
    "PeriodKind",
    "PeriodError",
    "Period",
    "month_period",
    "quarter_period",
    "year_period",
    "period_of",
    "parse_period",
    "TargetProgress",
    "days_left",
    "target_progress",
    "VISIT_CHANNELS",
    "PlanProgress",
    "plan_progress",
    "HISTORY_DAYS",
    "MIN_HISTORY",
    "DEFAULT_CONVERSION",
    "Conversion",
    "grades_held",
    "grades_before",
    "conversion_weights",
    "weighted",
]
