"""The manager's figures as people read them, written once for the command line and the app:
targets against results (services.targets.TargetBoard), each rep side by side
(services.reps.RepComparison), the pipeline and its forecast (services.pipeline.Pipeline) and
complaints by category and root cause (services.complaint_analysis.ComplaintCauses).

Tables are described column by column (`Column`: a heading, a cell of a row, right-aligned or
not), so the app's sortable tables and the command line's rich tables show the same cells.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from crmtui.i18n import N_, _
from crmtui.present.charts import Bar, BarRows, Cell as ChartCell
from crmtui.present.numbers import money, percent, share_style
from crmtui.present.styles import grade_style, grade_text
from crmtui.present.text import plain
from crmtui.present.time import span

Cell = Any
"""Text or a rich Text."""


@dataclass(frozen=True)
class Column:
    key: str
    """What it shows: the sort key of services.reps.SORTS, or a grade letter."""
    heading: str
    """An English msgid (N_), shown translated."""
    cell: Callable[[Any], Cell]
    right: bool = True
    wide_only: bool = False
    """Left out at 80 columns."""


def _share(share: float | None) -> Text:
    if share is None:
        return Text("–", style="dim")
    return Text(percent(share), style=share_style(share))


def _per_day(progress: Any, shown: Callable[[Any], str]) -> Cell:
    if progress is None:
        return ""
    if progress.per_day is None:
        return Text(_("missed"), style="red")
    if not progress.per_day:
        return Text(_("reached"), style="green")
    return shown(progress.per_day)


def _count(value: Any) -> str:
    return f"{int(value):,}"


def _decimal_count(value: Any) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


# -- targets --------------------------------------------------------------------------------------

TARGET_COLUMNS: list[Column] = [
    Column("name", N_("rep"), lambda r: plain(r.name), right=False),
    Column("orders", N_("orders"), lambda r: money(r.orders)),
    Column("target", N_("target"), lambda r: money(r.amount.target) if r.amount else "–"),
    Column("share", N_("share"), lambda r: _share(r.amount.share) if r.amount else ""),
    Column("per_day", N_("per day"), lambda r: _per_day(r.amount, money)),
    Column("new", N_("new"), lambda r: _count(r.won)),
    Column(
        "new_target",
        N_("target"),
        lambda r: _count(r.new_customers.target) if r.new_customers else "–",
    ),
    Column("new_per_day", N_("per day"), lambda r: _per_day(r.new_customers, _decimal_count)),
]
"""A rep's target for the period and how far it is reached: orders, then new customers."""


def targets_heading(board: Any) -> Text:
    """'2026-11 · 2026-11-01 – 2026-11-30, 8 days left'."""
    p = board.period
    return Text.assemble(
        (p.key, "bold"),
        " · ",
        _("{start} – {end}, {n} days left").format(
            start=p.start.isoformat(), end=p.end.isoformat(), n=board.days_left
        ),
    )


def targets_summary(board: Any) -> Text:
    """The team's orders against the sum of its amount targets, and its new customers."""
    rows = board.rows
    orders = sum((r.orders for r in rows), start=0)
    targets = [r.amount.target for r in rows if r.amount]
    won = sum(r.won for r in rows)
    text = Text()
    text.append(money(orders), style="bold")
    if targets:
        total = sum(targets, start=0)
        text.append(" " + _("of {target} targeted").format(target=money(total)))
        if total:
            text.append(" (")
            text.append_text(_share(float(orders / total)))
            text.append(")")
    text.append(
        " · " + (_("{n:,} new customer") if won == 1 else _("{n:,} new customers")).format(n=won)
    )
    return text


def _new_against_target(row: Any) -> str:
    target = row.new_customers
    return f"{row.won:,}/{int(target.target):,}" if target else f"{row.won:,}"


PANEL_TARGET_COLUMNS: list[Column] = [
    *TARGET_COLUMNS[:5],
    Column("new", N_("new"), _new_against_target),
]
"""The dashboard figure's columns: new customers as won / target."""


def targets_table(
    board: Any, *, limit: int | None = None, columns: Sequence[Column] = TARGET_COLUMNS
) -> RenderableType:
    """The period's targets, one row per rep (the best reached first)."""
    if not board.rows:
        return Text(_("No targets for {period}.").format(period=board.period.key), style="dim")
    table = table_of(columns, board.rows[:limit] if limit else board.rows)
    more = len(board.rows) - limit if limit else 0
    if more > 0:
        return Group(table, Text(_("… and {n:,} more").format(n=more), style="dim"))
    return table


def targets_panel(board: Any, *, interactive: bool = False, limit: int = 5) -> RenderableType:
    """The dashboard's figure: the team's total, then the reps (the best reached first)."""
    parts: list[RenderableType] = [targets_heading(board)]
    if board.rows:
        parts.append(targets_summary(board))
    parts.append(targets_table(board, limit=limit, columns=PANEL_TARGET_COLUMNS))
    if interactive:
        parts.append(Text(_("enter: every rep, by month, quarter or year"), style="dim"))
    return Group(*parts)


# -- each rep side by side ------------------------------------------------------------------------


def _grade_column(letter: str) -> Column:
    return Column(letter, letter, lambda r: _count(r.grades.get(letter, 0)), wide_only=True)


def _target_share(row: Any) -> Cell:
    return _share(row.share) if row.target else Text("–", style="dim")


def _csi(row: Any) -> Cell:
    return "–" if row.csi is None else f"{row.csi:.1f}"


def _per_100(row: Any) -> Cell:
    value = row.complaints_per_100
    return "–" if value is None else f"{value:.1f}"


REP_COLUMNS: list[Column] = [
    Column("name", N_("rep"), lambda r: plain(r.name), right=False),
    *(_grade_column(letter) for letter in "ABCDE"),
    Column("customers", N_("cust."), lambda r: _count(r.customers)),
    Column("done", N_("done"), lambda r: _count(r.done)),
    Column(
        "missed", N_("missed"), lambda r: Text(_count(r.missed), style="red" if r.missed else "")
    ),
    Column("new", N_("new"), lambda r: _count(r.new_customers)),
    Column("wins", N_("wins"), lambda r: _count(r.wins)),
    Column("orders", N_("orders"), lambda r: money(r.orders)),
    Column("share", N_("of target"), _target_share),
    Column("complaints", N_("compl./100"), _per_100),
    Column("csi", N_("CSI"), _csi),
    Column("service", N_("in time"), lambda r: _share(r.service)),
]
"""One row per rep: customers per grade (wide terminals), follow-ups done and missed, new
customers won, wins, orders and their share of the target, complaints per 100 customers, CSI and
the share of complaints resolved in time."""


def rep_columns(wide: bool) -> list[Column]:
    return [column for column in REP_COLUMNS if wide or not column.wide_only]


def comparison_heading(comparison: Any, sort: str) -> Text:
    p = comparison.period
    until = min(comparison.day, p.end)
    column = next((c for c in REP_COLUMNS if c.key == sort), REP_COLUMNS[0])
    return Text.assemble(
        (p.key, "bold"),
        " · ",
        _("{start} to {until}").format(start=p.start.isoformat(), until=until.isoformat()),
        " · ",
        _("sorted by {column}").format(column=_(column.heading)),
    )


def reps_table(comparison: Any, sort: str = "name", *, wide: bool = True) -> RenderableType:
    rows = comparison.sorted(sort)
    if not rows:
        return Text(_("No reps with customers yet."), style="dim")
    return table_of(rep_columns(wide), rows)


PANEL_REP_COLUMNS = ("name", "customers", "missed", "orders", "share", "complaints", "csi")
"""The rep comparison's columns in the dashboard's figure (the screen shows them all)."""


def reps_panel(comparison: Any, *, interactive: bool = False, limit: int = 6) -> RenderableType:
    """The dashboard's figure: the reps furthest along their target first."""
    rows = comparison.sorted("share")
    if not rows:
        return Text(_("No reps with customers yet."), style="dim")
    columns = [c for key in PANEL_REP_COLUMNS for c in REP_COLUMNS if c.key == key]
    parts: list[RenderableType] = [table_of(columns, rows[:limit])]
    if len(rows) > limit:
        parts.append(Text(_("… and {n:,} more").format(n=len(rows) - limit), style="dim"))
    if interactive:
        parts.append(Text(_("enter: every column, sortable; a rep's customers"), style="dim"))
    return Group(*parts)


# -- the pipeline ---------------------------------------------------------------------------------


def pipeline_chart(pipeline: Any, *, months: int = 6) -> RenderableType:
    """Open opportunities by grade, as they stand and weighted by each grade's conversion; then
    by expected close month; and which weights are the stated defaults."""
    total = pipeline.total
    if not total.customers:
        return Text(_("No open opportunities with an expected amount."), style="dim")
    weights = pipeline.weights.grades_by_letter
    top = max((cell.amount for cell in pipeline.by_grade.values()), default=0) or 1
    rows: list[tuple[ChartCell, ...]] = []
    for letter, cell in pipeline.by_grade.items():
        weight = weights.get(letter)
        rate = (
            "" if weight is None else percent(float(weight.rate)) + ("" if weight.measured else "*")
        )
        rows.append(
            (
                grade_text(letter),
                _count(cell.customers),
                money(cell.amount),
                Bar(float(cell.amount / top), grade_style(letter)),
                rate,
                money(cell.weighted),
            )
        )
    rows.append(
        (
            Text(_("all"), style="bold"),
            _count(total.customers),
            money(total.amount),
            "",
            "",
            Text(money(total.weighted), style="bold"),
        )
    )
    by_grade = BarRows(
        rows,
        header=("", _("open"), _("expected"), "", _("weight"), _("forecast")),
        right=(1, 2, 4, 5),
    )
    month_rows = []
    shown = list(pipeline.by_month.items())
    for month, cell in shown[:months]:
        name = _("no close date") if month == "none" else month
        month_rows.append((name, _count(cell.customers), money(cell.amount), money(cell.weighted)))
    rest = shown[months:]
    if rest:
        month_rows.append(
            (
                _("later"),
                _count(sum(c.customers for _m, c in rest)),
                money(sum((c.amount for _m, c in rest), start=0)),
                money(sum((c.weighted for _m, c in rest), start=0)),
            )
        )
    by_month = BarRows(
        month_rows, header=(_("close"), _("open"), _("expected"), _("forecast")), right=(1, 2, 3)
    )
    parts: list[RenderableType] = [by_grade, Text(""), by_month]
    defaulted = pipeline.weights.defaulted
    note = _("weight: of the customers at a grade in the last year, the share that won")
    if defaulted:
        note += "; " + _("* too little history (under {n} customers): the stated default").format(
            n=pipeline.weights.min_customers
        )
    parts.append(Text(note, style="dim"))
    return Group(*parts)


# -- complaint causes -----------------------------------------------------------------------------


def _median(delta: Any) -> str:
    return "–" if delta is None else span(delta)


def causes_table(causes: Any, *, limit: int = 6) -> RenderableType:
    """Complaints by category and by root cause, month by month, with the median times to the
    first response and to the resolution."""
    if not causes.total.complaints:
        return Text(_("No complaints in the last six months."), style="dim")
    table = Table(
        box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1), header_style="bold"
    )
    table.add_column("", no_wrap=True, max_width=18, overflow="ellipsis")
    months = [month[5:] for month in causes.months]
    for month in months:
        table.add_column(month, justify="right")
    table.add_column(_("open"), justify="right")
    table.add_column(_("answer"), justify="right", no_wrap=True)
    table.add_column(_("resolve"), justify="right", no_wrap=True)

    def add(row: Any, name: Cell, *, end_section: bool = False) -> None:
        table.add_row(
            name,
            *(_count(n) if n else "·" for n in row.by_month),
            _count(row.open),
            _median(row.median_response),
            _median(row.median_resolution),
            end_section=end_section,
        )

    for heading, rows in (
        (_("by category"), causes.by_category),
        (_("by root cause"), causes.by_cause),
    ):
        table.add_row(Text(heading, style="bold italic"))
        for i, row in enumerate(rows[:limit]):
            add(
                row,
                plain(row.key) if row.key else Text(_("(not recorded)"), style="dim"),
                end_section=i == min(limit, len(rows)) - 1,
            )
    add(causes.total, Text(_("all"), style="bold"))
    note = Text(
        _("median times: first response, resolution (waiting for the customer not counted)"),
        style="dim",
    )
    return Group(table, note)


# -- shared ---------------------------------------------------------------------------------------


def table_of(columns: Sequence[Column], rows: Sequence[Any]) -> Table:
    """A rich table of `rows` with the cells of `columns` (the command line's, and a panel's)."""
    table = Table(
        box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1), header_style="bold"
    )
    for column in columns:
        table.add_column(
            _(column.heading) if column.heading not in "ABCDE" else column.heading,
            justify="right" if column.right else "left",
            no_wrap=True,
            max_width=None if column.right else 16,
            overflow="ellipsis",
        )
    for row in rows:
        table.add_row(*(column.cell(row) for column in columns))
    return table


__all__ = [
    "Column",
    "TARGET_COLUMNS",
    "REP_COLUMNS",
    "rep_columns",
    "targets_heading",
    "targets_summary",
    "targets_table",
    "targets_panel",
    "comparison_heading",
    "reps_table",
    "reps_panel",
    "pipeline_chart",
    "causes_table",
    "table_of",
]
