"""Complaint analysis (持续改进服务: improving from complaints): complaints by category and by root
cause, month by month, with the median time to the first response and to the resolution.

Times are calendar time from opening: to the acknowledgement, and to the resolution less the
time paused waiting for the customer (the clock the service levels stop too). A cause is the
root cause as typed when resolving, matched without regard to case or spacing and shown as it
was written last; complaints not resolved yet have none.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from peewee import SQL, Case, ColumnBase, SqliteDatabase, fn

from crmtui.db import Complaint, database
from crmtui.services.complaints.metrics import _metrics_scope
from crmtui.services.context import Context

MONTHS = 6
"""Months the analysis covers: this one and the five before it."""


def _month_start(day: date, back: int = 0) -> date:
    month = day.year * 12 + day.month - 1 - back
    return date(month // 12, month % 12 + 1, 1)


@dataclass(frozen=True)
class CauseRow:
    key: str
    """The category, or the root cause, as written last ('' when none was recorded)."""
    complaints: int
    by_month: tuple[int, ...]
    """Complaints opened in each month of the analysis, oldest first."""
    open: int
    """Of them, not resolved or closed yet."""
    median_response: timedelta | None
    """Median time from opening to the first response, of those answered."""
    median_resolution: timedelta | None
    """Median time from opening to the resolution (pauses not counted), of those resolved."""

    def to_json(self, name: str) -> dict[str, Any]:
        return {
            name: self.key,
            "complaints": self.complaints,
            "by_month": list(self.by_month),
            "open": self.open,
            "median_first_response_hours": _hours(self.median_response),
            "median_resolution_hours": _hours(self.median_resolution),
        }


@dataclass(frozen=True)
class ComplaintCauses:
    since: date
    until: date
    months: tuple[str, ...]
    """The months covered, as 2026-07, oldest first."""
    by_category: list[CauseRow]
    by_cause: list[CauseRow]
    total: CauseRow

    def to_json(self) -> dict[str, Any]:
        return {
            "since": self.since,
            "until": self.until,
            "months": list(self.months),
            "total": self.total.to_json("all"),
            "by_category": [row.to_json("category") for row in self.by_category],
            "by_root_cause": [row.to_json("root_cause") for row in self.by_cause],
        }


def _hours(span: timedelta | None) -> float | None:
    return None if span is None else round(span.total_seconds() / 3600, 2)


class _Spans:
    """Whole seconds, gathered one by one (appended to `loose`: SQLite's rows, tens of thousands)
    or as runs already sorted (`add_sorted`), whose median is taken without sorting them all
    together: a team's complaints come as a few dozen sorted runs, and the category, the cause
    and the total each take the median of some of them."""

    def __init__(self) -> None:
        self.loose: list[int] = []
        self.runs: list[list[int]] = []

    def add_sorted(self, run: list[int]) -> None:
        if run:
            self.runs.append(run)

    def median(self) -> timedelta | None:
        """statistics.median of every span: the middle one, or the mean of the middle two."""
        runs = [*self.runs, sorted(self.loose)] if self.loose else self.runs
        count = sum(len(run) for run in runs)
        if not count:
            return None
        middle = count // 2
        if count % 2:
            return timedelta(seconds=_kth(runs, middle))
        return timedelta(seconds=(_kth(runs, middle - 1) + _kth(runs, middle)) / 2)


def _kth(runs: list[list[int]], k: int) -> int:
    """The `k`-th smallest (from 0) of the values of the sorted, non-empty `runs` together: the
    least value with more than `k` values at or below it, found by halving the range of values."""
    if len(runs) == 1:
        return runs[0][k]
    low = min(run[0] for run in runs)
    high = max(run[-1] for run in runs)
    while low < high:
        middle = (low + high) // 2
        if sum(bisect_right(run, middle) for run in runs) > k:
            high = middle
        else:
            low = middle + 1
    return low


class _Tally:
    def __init__(self, key: str, months: int) -> None:
        self.key = key
        self.by_month = [0] * months
        self.open = 0
        self.responses = _Spans()
        self.resolutions = _Spans()

    def add(self, month: int, response: int | None, resolution: int | None) -> None:
        """One complaint opened in the `month`-th month, with its seconds to the first response
        and to the resolution (less pauses), None where there was none yet."""
        self.by_month[month] += 1
        if response is not None:
            self.responses.loose.append(max(0, response))
        if resolution is not None:
            self.resolutions.loose.append(max(0, resolution))
        else:
            self.open += 1

    def merge(
        self, by_month: list[int], still_open: int, responses: list[int], resolutions: list[int]
    ) -> None:
        """Complaints opened `by_month`, `still_open` of them not resolved, with the seconds to
        the first response and to the resolution of those that have them, sorted (less than
        zero already taken as zero)."""
        for month, complaints in enumerate(by_month):
            self.by_month[month] += complaints
        self.open += still_open
        self.responses.add_sorted(responses)
        self.resolutions.add_sorted(resolutions)

    def row(self) -> CauseRow:
        return CauseRow(
            key=self.key,
            complaints=sum(self.by_month),
            by_month=tuple(self.by_month),
            open=self.open,
            median_response=self.responses.median(),
            median_resolution=self.resolutions.median(),
        )


def _seconds(later: ColumnBase, earlier: ColumnBase) -> ColumnBase:
    """SQLite: whole seconds from `earlier` to `later` (stored to the second, in UTC); NULL
    when `later` is."""
    return fn.strftime("%s", later).cast("INTEGER") - fn.strftime("%s", earlier).cast("INTEGER")


def _pg_spans(later: ColumnBase, earlier: ColumnBase, less: ColumnBase | int = 0) -> ColumnBase:
    """PostgreSQL: the seconds from `earlier` to `later`, less `less`, of the group's rows where
    `later` is known, less than zero taken as zero. date_part's double is exact here, and
    cheaper than EXTRACT's numeric: the columns hold whole seconds (UtcDateTimeField)."""
    seconds = fn.date_part("epoch", later - earlier).cast("BIGINT") - less
    return fn.ARRAY_AGG(fn.GREATEST(seconds, 0)).filter(later.is_null(False))


def complaint_causes(
    ctx: Context, *, day: date | None = None, months: int = MONTHS, everyone: bool = False
) -> ComplaintCauses:
    """Complaints opened in the last `months` calendar months (this one included), by category
    and by root cause, most frequent first; scoped as the complaint service levels are."""
    day = day or ctx.today()
    starts = [_month_start(day, back) for back in range(months - 1, -1, -1)]
    bounds = [datetime.combine(start, time(0), ctx.zone) for start in starts]
    end = datetime.combine(_month_start(day, -1), time(0), ctx.zone)
    c = Complaint
    opened = (c.opened_at >= bounds[0]) & (c.opened_at < end)
    total = _Tally("", months)
    categories: dict[str, _Tally] = {}
    causes: dict[str, _Tally] = {}
    written: dict[str | None, tuple[str, str]] = {}  # as typed -> (spaced once, its match key)

    def tally_of(tallies: dict[str, _Tally], text: str | None) -> _Tally:
        found = written.get(text)
        if found is None:
            key = " ".join((text or "").split())
            found = written[text] = (key, key.casefold())
        tally = tallies.get(found[1])
        if tally is None:
            tally = tallies[found[1]] = _Tally(found[0], months)
        tally.key = found[0]  # as written last
        return tally

    if isinstance(database.obj, SqliteDatabase):
        # the month and the spans worked out in SQL, read as the driver gives them: each
        # timestamp parsed in Python took seconds on a large team
        month = Case(
            None,
            [(c.opened_at < bounds[index + 1], index) for index in range(months - 1)],
            months - 1,
        )
        response = _seconds(c.acknowledged_at, c.opened_at)
        resolution = _seconds(c.resolved_at, c.opened_at) - fn.COALESCE(c.paused_seconds, 0)
        query = _metrics_scope(
            ctx,
            c.select(c.category, c.root_cause, month, response, resolution)
            .where(opened)
            .order_by(c.opened_at),
            everyone,
        )
        for category, cause, index, responded, resolved in database.execute(query):
            total.add(index, responded, resolved)
            for tallies, text in ((categories, category), (causes, cause)):
                tally_of(tallies, text).add(index, responded, resolved)
    else:
        # PostgreSQL groups the complaints by what was typed (a few dozen groups: hashed, not
        # sorted), counting each month's as those opened before its end, with each group's
        # spans; the medians are taken here over the same spans, each group's sorted once,
        # so the answers are those of the rows one by one
        for category, cause, *by_end, still_open, responses, resolutions in database.execute(
            _metrics_scope(
                ctx,
                c.select(
                    c.category,
                    c.root_cause,
                    *(fn.COUNT(SQL("*")).filter(c.opened_at < bound) for bound in bounds[1:]),
                    fn.COUNT(SQL("*")),
                    fn.COUNT(SQL("*")).filter(c.resolved_at.is_null()),
                    _pg_spans(c.acknowledged_at, c.opened_at),
                    _pg_spans(c.resolved_at, c.opened_at, fn.COALESCE(c.paused_seconds, 0)),
                )
                .where(opened)
                .group_by(c.category, c.root_cause)
                # the latest last: the text as written last names the tally
                .order_by(fn.MAX(c.opened_at)),
                everyone,
            )
        ):
            # by_end: opened before each month's end; a month's, those less the month before's
            by_start = [0, *by_end[:-1]]
            by_month = [end - start for start, end in zip(by_start, by_end, strict=True)]
            responses = sorted(responses or ())
            resolutions = sorted(resolutions or ())
            total.merge(by_month, still_open, responses, resolutions)
            for tallies, text in ((categories, category), (causes, cause)):
                tally_of(tallies, text).merge(by_month, still_open, responses, resolutions)

    def ranked(tallies: dict[str, _Tally]) -> list[CauseRow]:
        rows = [tally.row() for tally in tallies.values()]
        return sorted(rows, key=lambda r: (r.key == "", -r.complaints, r.key.casefold()))

    return ComplaintCauses(
        since=starts[0],
        until=day,
        months=tuple(f"{start.year:04d}-{start.month:02d}" for start in starts),
        by_category=ranked(categories),
        by_cause=ranked(causes),
        total=total.row(),
    )


__all__ = ["MONTHS", "CauseRow", "ComplaintCauses", "complaint_causes"]
