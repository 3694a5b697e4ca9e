"""Complaint analysis (持续改进服务: improving from complaints): complaints by category and by root
cause, month by month, with the median time to the first response and to the resolution.

Times are calendar time from opening: to the acknowledgement, and to the resolution less the
time paused waiting for the customer (the clock the service levels stop too). A cause is the
root cause as typed when resolving, matched without regard to case or spacing and shown as it
was written last; complaints not resolved yet have none.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from peewee import SQL, Case, ColumnBase, NodeList, SqliteDatabase, fn

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


def _median(spans: list[int]) -> timedelta | None:
    return timedelta(seconds=statistics.median(spans)) if spans else None


class _Tally:
    def __init__(self, key: str, months: int) -> None:
        self.key = key
        self.by_month = [0] * months
        self.open = 0
        self.responses: list[int] = []
        self.resolutions: list[int] = []

    def add(self, month: int, response: int | None, resolution: int | None) -> None:
        """One complaint opened in the `month`-th month, with its seconds to the first response
        and to the resolution (less pauses), None where there was none yet."""
        self.by_month[month] += 1
        if response is not None:
            self.responses.append(max(0, response))
        if resolution is not None:
            self.resolutions.append(max(0, resolution))
        else:
            self.open += 1

    def merge(
        self,
        month: int,
        complaints: int,
        still_open: int,
        responses: list[int],
        resolutions: list[int],
    ) -> None:
        """`complaints` opened in the `month`-th month, `still_open` of them not resolved, with
        the seconds to the first response and to the resolution of those that have them (less
        than zero already taken as zero)."""
        self.by_month[month] += complaints
        self.open += still_open
        self.responses.extend(responses)
        self.resolutions.extend(resolutions)

    def row(self) -> CauseRow:
        return CauseRow(
            key=self.key,
            complaints=sum(self.by_month),
            by_month=tuple(self.by_month),
            open=self.open,
            median_response=_median(self.responses),
            median_resolution=_median(self.resolutions),
        )


def _seconds(later: ColumnBase, earlier: ColumnBase) -> ColumnBase:
    """Whole seconds from `earlier` to `later` (stored to the second, in UTC); NULL when
    `later` is."""
    if isinstance(database.obj, SqliteDatabase):
        return fn.strftime("%s", later).cast("INTEGER") - fn.strftime("%s", earlier).cast("INTEGER")
    return NodeList((SQL("EXTRACT(EPOCH FROM"), later - earlier, SQL(")")), glue=" ").cast("BIGINT")


def _spans(seconds: ColumnBase) -> ColumnBase:
    """PostgreSQL: a group's spans that are known, less than zero taken as zero."""
    clamped = Case(None, [(seconds < 0, 0)], seconds)
    return fn.ARRAY_AGG(clamped).filter(seconds.is_null(False))


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
    # the month and the spans worked out in SQL, read as the driver gives them: tens of
    # thousands of complaints on a large team, each timestamp parsed in Python took seconds
    month = Case(
        None, [(c.opened_at < bounds[index + 1], index) for index in range(months - 1)], months - 1
    )
    response = _seconds(c.acknowledged_at, c.opened_at)
    resolution = _seconds(c.resolved_at, c.opened_at) - fn.COALESCE(c.paused_seconds, 0)
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
        # PostgreSQL groups the complaints by what was typed and month, each group with its
        # spans (a few hundred groups, not one row per complaint): the medians are still taken
        # here, over the same spans, so the answers are those of the rows one by one
        for category, cause, index, count, still_open, responses, resolutions in database.execute(
            _metrics_scope(
                ctx,
                c.select(
                    c.category,
                    c.root_cause,
                    month,
                    fn.COUNT(SQL("*")),
                    fn.COUNT(SQL("*")).filter(c.resolved_at.is_null()),
                    _spans(response),
                    _spans(resolution),
                )
                .where(opened)
                .group_by(c.category, c.root_cause, month)
                # the latest last: the text as written last names the tally
                .order_by(fn.MAX(c.opened_at)),
                everyone,
            )
        ):
            total.merge(index, count, still_open, responses or [], resolutions or [])
            for tallies, text in ((categories, category), (causes, cause)):
                tally_of(tallies, text).merge(
                    index, count, still_open, responses or [], resolutions or []
                )

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
