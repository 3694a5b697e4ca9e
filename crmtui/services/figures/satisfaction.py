"""Satisfaction: the customer satisfaction index (CSI) per quarter."""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import reduce
from typing import Any, TypeVar

from peewee import SQL, ModelSelect, Value, fn

from crmtui.db import Customer, Survey, SurveyScore
from crmtui.db.rows import tuple_rows
from crmtui.rules import DIMENSIONS, csi_of_total
from crmtui.services.figures.scope import Scope

CSI_QUARTERS = 5  # this quarter and the four before it

_Query = TypeVar("_Query", bound="ModelSelect[Any]")


# -- satisfaction ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuarterCsi:
    quarter: str
    """e.g. 2026-Q4 (local calendar quarters)."""
    surveys: int
    scores: int
    csi: float | None
    """rules.csi of every dimension score given in the quarter; None without scores."""

    def to_json(self) -> dict[str, Any]:
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
    rules.csi_of_total. The surveys are counted as rows, not ids, so that an index holding the
    time and the scores could answer alone."""
    starts = _quarters(scope.day, quarters)
    bounds = [datetime.combine(s, time(0), tzinfo=scope.zone) for s in starts]
    s = Survey
    columns = [getattr(s, name) for name in DIMENSIONS if name in dimensions]
    own = [name for name in dimensions if name not in DIMENSIONS]
    points = reduce(operator.add, (fn.COALESCE(column, 0) for column in columns), Value(0))
    given = reduce(operator.add, (fn.COUNT(column) for column in columns), Value(0))

    def scoped(query: _Query) -> _Query:
        if scope.owner_id is not None:
            query = query.join(Customer, on=(s.customer == Customer.id)).where(
                Customer.owner == scope.owner_id
            )
        return query

    def one(index: int) -> ModelSelect[Survey]:
        return scoped(
            s.select(Value(index), fn.COUNT(SQL("*")), fn.SUM(points), given).where(
                (s.at >= bounds[index]) & (s.at < bounds[index + 1])
            )
        )

    union = reduce(operator.add, (one(index) for index in range(len(starts) - 1)))
    found = {
        index: (surveys, int(total or 0), int(scores or 0))
        for index, surveys, total, scores in tuple_rows(
            union, tuple[int, int, Decimal | int | None, int | None]
        )
    }
    if own:

        def extra(index: int) -> ModelSelect[SurveyScore]:
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
        rows = tuple_rows(more, tuple[int, Decimal | int | None, int | None])
        for index, total, scores in rows:
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
