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

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from time import perf_counter
from typing import Any, ParamSpec, Protocol, TypedDict, TypeVar

from crmtui.db import Customer
from crmtui.errors import InvalidInput
from crmtui.i18n import _
from crmtui.services.access import owner_filter
from crmtui.services.complaint_analysis import ComplaintCauses, complaint_causes
from crmtui.services.complaints import ComplaintMetrics, complaint_metrics
from crmtui.services.context import Context
from crmtui.services.figures.grades import (
    AT_RISK_BELOW_FOLLOWUPS,
    AT_RISK_CARRIED,
    AT_RISK_GRADES,
    AtRisk,
    Movement,
    RepFigures,
    Stage,
    WinStage,
    at_risk,
    at_risk_count,
    at_risk_ids,
    grade_totals,
    moved_customer_ids,
    movement,
    new_customer_ids,
    open_stages,
    rep_figures,
    win_stages,
)
from crmtui.services.figures.sales import (
    KEY_SHARE,
    PARETO_POINTS,
    Conversion,
    Lapsed,
    Pareto,
    Retention,
    conversion_by_source,
    key_customer_ids,
    lapsed,
    pareto,
    retention,
)
from crmtui.services.figures.satisfaction import CSI_QUARTERS, QuarterCsi, csi_by_quarter
from crmtui.services.figures.scope import (
    GRADES,
    OPEN_GRADES,
    TERMINATED,
    CustomerRow,
    Scope,
    count_rows,
    customer_rows_where,
    rounded,
    scope_for,
)
from crmtui.services.instructions import InstructionCounts, instruction_counts as counts
from crmtui.services.pipeline import Pipeline, forecast_weights, pipeline
from crmtui.services.receivables import Receivables, receivables as owed
from crmtui.services.reps import RepComparison, rep_comparison
from crmtui.services.targets import TargetBoard, target_board
from crmtui.vocab import AT_RISK, BEHIND_FIGURES, DEMOTED, KEY_CUSTOMERS, NEW, PERIODS, PROMOTED


def receivables(ctx: Context, day: date, *, owner_id: int | None) -> Receivables:
    return owed(ctx, day, owner_id=owner_id)


def instruction_counts(ctx: Context, since: date, day: date) -> list[InstructionCounts]:
    return counts(ctx, since, day)


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
    """The customers at risk of being dropped, longest without contact first: the first
    AT_RISK_CARRIED of them, or all when the dashboard was asked for all."""
    at_risk_count: int
    lapsed: Lapsed
    retention: Retention
    pareto: Pareto
    conversion: list[Conversion]
    csi: list[QuarterCsi]
    sla: ComplaintMetrics
    causes: ComplaintCauses | None = None
    pipeline: Pipeline | None = None
    """Open opportunities by grade and close month, and the forecast."""
    targets: dict[str, TargetBoard] = field(default_factory=dict)
    """The target boards of this month, quarter and year, by kind."""
    comparison: RepComparison | None = None
    """Each rep side by side this month (a manager's team view only)."""
    receivables: Receivables | None = None
    """What customers owe, overdue by age, per rep."""
    instructions: list[InstructionCounts] = field(default_factory=list)
    """Per rep: instructions open, late, done in the period."""
    timings: dict[str, float] = field(default_factory=dict, compare=False)
    """Milliseconds per figure, for the benchmark."""

    def to_json(self) -> dict[str, Any]:
        return {
            "day": self.day,
            "period": self.period,
            "team": self.team,
            "grades": self.grades,
            "movement": self.movement.to_json(),
            "grade_matrix": {r.login: r.grades for r in self.reps},
            "overdue_by_rep": {r.login: r.overdue for r in self.reps},
            "followup_stages": {
                s.stage: {"wins": s.wins, "share": rounded(s.share), "reference": s.reference}
                for s in self.win_stages
            },
            "open_stages": {
                s.stage: {"customers": s.customers, "share": rounded(s.share)}
                for s in self.open_stages
            },
            "at_risk": [row.to_json() for row in self.at_risk],
            "at_risk_count": self.at_risk_count,
            "lapsed": self.lapsed.to_json(),
            "retention": self.retention.to_json(),
            "key_share": rounded(self.pareto.key_share),
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

Params = ParamSpec("Params")
Result = TypeVar("Result")


class Timer(Protocol):
    """Calls a figure's function and keeps how long it took, under the figure's name."""

    def __call__(
        self,
        name: str,
        function: Callable[Params, Result],
        /,
        *args: Params.args,
        **kwargs: Params.kwargs,
    ) -> Result: ...


class AccountsFigures(TypedDict, total=False):
    pipeline: Pipeline
    targets: dict[str, TargetBoard]
    comparison: RepComparison


def dashboard(
    ctx: Context,
    period: int = 30,
    *,
    everyone: bool = False,
    day: date | None = None,
    target_kinds: Sequence[str] = ("month",),
    all_at_risk: bool = False,
) -> Dashboard:
    """Every figure of the dashboard for the last `period` days (7, 30 or 90); the targets of
    this month (the Dashboard's panel), or of each of `target_kinds`; the first customers at
    risk of being dropped and their count, or (`all_at_risk`) every one of them."""
    if period not in PERIODS:
        raise InvalidInput.one(
            "period", _("the period is 7, 30 or 90 days, not {n}").format(n=period)
        )
    scope = scope_for(ctx, everyone=everyone, day=day)
    timings: dict[str, float] = {}

    def timed(
        name: str,
        function: Callable[Params, Result],
        /,
        *args: Params.args,
        **kwargs: Params.kwargs,
    ) -> Result:
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
        at_risk=timed("at_risk", at_risk, scope, None if all_at_risk else AT_RISK_CARRIED),
        at_risk_count=timed("at_risk_count", at_risk_count, scope),
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
    ctx: Context,
    scope: Scope,
    reps: list[RepFigures],
    timed: Timer,
    target_kinds: Sequence[str],
) -> AccountsFigures:
    """The pipeline and its forecast, the targets of the periods of `target_kinds` holding the
    day, and (for a manager's team view) each rep side by side this month."""
    weights = timed("forecast_weights", forecast_weights, ctx, scope.day)
    found: AccountsFigures = {
        "pipeline": timed("pipeline", pipeline, scope.owner_id, scope.day, weights)
    }
    found["targets"] = timed(
        "targets",
        lambda: {kind: target_board(ctx, kind=kind, day=scope.day) for kind in target_kinds},
    )
    if ctx.is_manager and scope.owner_id is None:
        found["comparison"] = timed("reps", rep_comparison, ctx, day=scope.day, figures=reps)
    return found


# -- the customers behind a figure ----------------------------------------------------------------


def customer_rows(ctx: Context, ids: Sequence[int], *, limit: int = 1000) -> list[CustomerRow]:
    """The visible customers among `ids`, in the order given (a figure's customers, opened
    from the dashboard)."""
    wanted = list(dict.fromkeys(ids))[:limit]
    if not wanted:
        return []
    rows: dict[int, CustomerRow] = {}
    owner = owner_filter(ctx, everyone=True)
    for start in range(0, len(wanted), 500):  # keep each IN list short
        query = customer_rows_where(Customer.id.in_(wanted[start : start + 500]))
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
        ids = at_risk_ids(scope)
    elif figure == KEY_CUSTOMERS:
        ids = key_customer_ids(scope, figures.pareto)
    else:
        raise ValueError(f"no customers behind the figure {figure!r}")
    return customer_rows(ctx, ids, limit=limit), len(ids)


__all__ = [
    "AT_RISK_BELOW_FOLLOWUPS",
    "AT_RISK_CARRIED",
    "AT_RISK_GRADES",
    "KEY_SHARE",
    "PARETO_POINTS",
    "CSI_QUARTERS",
    "GRADES",
    "OPEN_GRADES",
    "TERMINATED",
    "count_rows",
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
    "at_risk_ids",
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
