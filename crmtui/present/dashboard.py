"""The dashboard's figures as panels, written once for `crmtui stats` and the Dashboard screen:
customers per grade, movement over the period, grade × rep with overdue follow-ups, wins by the
follow-up at which they closed beside the manuals' reference, open customers by follow-ups so
far, the customers at risk of being dropped, retention and lapsed customers, revenue 80/20,
conversion by source, CSI per quarter and complaint service levels.

`dashboard_panels(figures)` gives them in reading order, each a `Panel` (a key, a title and a rich
renderable that fits the width it is given); the command line prints them one under the other,
the screen puts each in the box its layout names by key. To add a figure: write a function of
the figures that returns its body, add its `Panel` to `dashboard_panels`, and give its key a place
in `screens.dashboard.LAYOUT`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from crmtui.cells import clip
from crmtui.i18n import _
from crmtui.labels import label, weekday_name
from crmtui.present.charts import Bar, BarRows, ColumnChart
from crmtui.present.numbers import count, money, percent, share_of, share_style
from crmtui.present.styles import grade_style, grade_text
from crmtui.present.text import plain
from crmtui.present.time import short_day
from crmtui.rules import AGE_BUCKETS
from crmtui.vocab import (
    AT_RISK,
    DEMOTED,
    GRADE_REP,
    KEY_CUSTOMERS,
    NEW,
    PROMOTED,
    REPS,
    TARGETS,
)

AT_RISK_SHOWN = 5
"""Customers at risk listed in the panel (the screen's `enter`, and --json, give them all)."""


@dataclass(frozen=True)
class Panel:
    """One figure of the dashboard."""

    key: str
    """Its place in the screen's layout."""
    title: str
    body: RenderableType
    behind: str | None = None
    """The customers behind the figure (one of vocab.BEHIND_FIGURES), or None."""


def dashboard_heading(d: Any) -> Text:
    """'Mon 2026-11-23 · my customers · last 30 days'."""
    text = Text()
    text.append(f"{weekday_name(d.day)} {d.day.isoformat()}", style="bold")
    text.append(" · " + (_("the team") if d.team else _("my customers")))
    text.append(" · " + _("last {n} days").format(n=d.period))
    return text


def dashboard_panels(d: Any, *, interactive: bool = False) -> list[Panel]:
    """Every figure of `services.stats.Dashboard` `d`, in reading order. `interactive`: the
    panels say which key opens what (the screen)."""
    return [
        Panel(
            "grades",
            _("Customers per grade ({n:,})").format(n=sum(d.grades.values())),
            grades_chart(d),
        ),
        Panel(
            "movement",
            _("Movement · last {n} days, since {since}").format(
                n=d.period, since=short_day(d.movement.since, d.day)
            ),
            movement_line(d),
        ),
        Panel("matrix", _("Grade × rep · overdue follow-ups"), matrix_table(d), behind=GRADE_REP),
        *accounts_panels(d, interactive=interactive),
        Panel(
            "wins",
            _("Wins by the follow-up at which they closed ({n:,})").format(
                n=sum(stage.wins for stage in d.win_stages)
            ),
            wins_chart(d),
        ),
        Panel("stages", _("Open customers by follow-ups so far"), stages_chart(d)),
        Panel(
            "at-risk",
            _("At risk of being dropped ({n:,})").format(n=d.at_risk_count),
            at_risk_list(d, interactive=interactive),
            behind=AT_RISK,
        ),
        Panel("keeping", _("Keeping customers"), keeping_text(d)),
        Panel("pareto", _("Revenue 80/20"), pareto_chart(d), behind=KEY_CUSTOMERS),
        Panel("conversion", _("Conversion by source · won / all"), conversion_chart(d)),
        Panel("csi", _("Satisfaction · CSI per quarter (0–100)"), csi_chart(d)),
        Panel(
            "sla",
            _("Complaint service levels · opened since {since}").format(
                since=short_day(d.sla.since, d.day)
            ),
            sla_table(d),
        ),
        *causes_panels(d),
        *followthrough_panels(d),
    ]


def followthrough_panels(d: Any) -> list[Panel]:
    """What customers owe (回款) and the manager's instructions."""
    panels = []
    if d.receivables is not None:
        panels.append(
            Panel(
                "receivables",
                _("Receivables · overdue by age · {terms} days to pay").format(
                    terms=d.receivables.terms_days
                ),
                receivables_table(d.receivables),
            )
        )
    if d.instructions:
        panels.append(
            Panel(
                "instructions",
                _("Manager's instructions · done since {since}").format(
                    since=short_day(d.day - timedelta(days=d.period - 1), d.day)
                ),
                instructions_table(d.instructions),
            )
        )
    return panels


def receivables_table(owed: Any) -> RenderableType:
    """Owed, overdue by age (≤ 30, 31–60, 61–90, > 90 days), the team's total first and then
    each rep."""
    if not owed.total.orders:
        return Text(_("Nothing is owed."), style="dim")
    table = Table(
        box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1), header_style="bold"
    )
    table.add_column(_("rep"), no_wrap=True, max_width=12, overflow="ellipsis")
    table.add_column(_("owed"), justify="right")
    for heading in (_("≤30 d"), _("31–60 d"), _("61–90 d"), _(">90 d")):
        table.add_column(heading, justify="right")

    def row(name: Text, o: Any) -> None:
        cells = [
            Text(
                money(o.by_age[bucket]) if o.by_age[bucket] else "-",
                style="bold red" if bucket == AGE_BUCKETS[-1] and o.by_age[bucket] else "",
            )
            for bucket in AGE_BUCKETS
        ]
        table.add_row(name, money(o.owed), *cells)

    row(Text(_("all"), style="bold"), owed.total)
    if len(owed.by_rep) > 1:
        for _login, name, o in owed.by_rep:
            row(plain(name), o)
    return table


def instructions_table(counts: Any) -> RenderableType:
    """Each rep's instructions: open, late, done (and done late)."""
    table = Table(
        box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1), header_style="bold"
    )
    table.add_column(_("rep"), no_wrap=True, max_width=16, overflow="ellipsis")
    for heading in (_("open"), _("late"), _("done"), _("done late")):
        table.add_column(heading, justify="right")
    for c in counts:
        table.add_row(
            plain(c.name),
            count(c.open),
            Text(count(c.late), style="bold red" if c.late else ""),
            count(c.done),
            count(c.done_late),
        )
    return table


def accounts_panels(d: Any, *, interactive: bool = False) -> list[Panel]:
    """This month's targets, each rep side by side (a manager's team view) and the pipeline
    with its forecast (present.accounts)."""
    # on first use: only this path needs it
    from crmtui.present.accounts import pipeline_chart, reps_panel, targets_panel

    panels = []
    board = d.targets.get("month")
    if board is not None:
        panels.append(
            Panel(
                "targets",
                _("Targets · {period}").format(period=board.period.key),
                targets_panel(board, interactive=interactive),
                behind=TARGETS,
            )
        )
    if d.comparison is not None:
        panels.append(
            Panel(
                "reps",
                _("Reps side by side · {period}").format(period=d.comparison.period.key),
                reps_panel(d.comparison, interactive=interactive),
                behind=REPS,
            )
        )
    if d.pipeline is not None:
        panels.append(Panel("forecast", _("Pipeline and forecast"), pipeline_chart(d.pipeline)))
    return panels


def causes_panels(d: Any) -> list[Panel]:
    # on first use: only this path needs it
    from crmtui.present.accounts import causes_table

    if d.causes is None:
        return []
    return [
        Panel(
            "causes",
            _("Complaints by category and root cause · since {since}").format(
                since=short_day(d.causes.since, d.day)
            ),
            causes_table(d.causes),
        )
    ]


def movement_figures(d: Any) -> list[Panel]:
    """The three numbers of the movement panel, each with the customers behind it."""
    m = d.movement
    return [
        Panel(
            PROMOTED,
            "",
            Text(_("▲ {n:,} promoted").format(n=m.promotions), style="green"),
            behind=PROMOTED,
        ),
        Panel(
            DEMOTED,
            "",
            Text(_("▼ {n:,} demoted").format(n=m.demotions), style="red"),
            behind=DEMOTED,
        ),
        Panel(NEW, "", Text(_("+ {n:,} new").format(n=m.new), style="bold"), behind=NEW),
    ]


def movement_line(d: Any) -> Text:
    """The movement's three numbers on one line."""
    # the movement's bodies are Text (movement_figures)
    return Text("   ").join(cast(Text, figure.body) for figure in movement_figures(d))


def grades_chart(d: Any) -> BarRows:
    total = sum(d.grades.values())
    top = max(d.grades.values(), default=0) or 1
    return BarRows(
        [
            (
                grade_text(letter),
                Bar(n / top, grade_style(letter)),
                count(n),
                percent(n / total if total else None),
            )
            for letter, n in d.grades.items()
        ],
        right=(2, 3),
    )


def matrix_table(d: Any) -> RenderableType:
    if not d.reps:
        return Text(_("No customers yet."), style="dim")
    table = Table(
        box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1), header_style="bold"
    )
    table.add_column(_("rep"), no_wrap=True, max_width=16, overflow="ellipsis")
    for letter in d.grades:
        table.add_column(grade_text(letter), justify="right")
    table.add_column(_("all"), justify="right")
    table.add_column(_("overdue"), justify="right")
    for rep in d.reps:
        table.add_row(
            plain(rep.name),
            *(count(n) for n in rep.grades.values()),
            count(rep.customers),
            Text(count(rep.overdue), style="bold red" if rep.overdue else ""),
        )
    return table


def wins_chart(d: Any) -> RenderableType:
    """The period's wins by the follow-up at which they closed, beside the manuals' shares of
    sales closed at each stage: the same quantity, so the bars compare."""
    rows = []
    for stage in d.win_stages:
        reference = stage.reference
        rows.append(
            (
                label("stage", stage.stage),
                count(stage.wins),
                Bar(stage.share, "cyan"),
                percent(stage.share),
                Bar(None if reference is None else reference / 100, "dim"),
                "–" if reference is None else f"{reference}%",
            )
        )
    chart = BarRows(
        rows, header=(_("stage"), "", _("our wins"), "", _("manuals"), ""), right=(1, 3, 5)
    )
    note = Text(_("manuals: the share of sales closed at each follow-up"), style="dim")
    return Group(chart, note)


def stages_chart(d: Any) -> RenderableType:
    """Open customers by the follow-ups of their open opportunity so far."""
    rows = [
        (
            label("stage", stage.stage),
            count(stage.customers),
            Bar(stage.share, "cyan"),
            percent(stage.share),
        )
        for stage in d.open_stages
    ]
    return BarRows(rows, header=(_("stage"), "", _("open customers"), ""), right=(1, 3))


def keeping_text(d: Any) -> Text:
    """Retention over the period and the lapsed customers to win back."""
    r, lapsed = d.retention, d.lapsed
    text = Text()
    text.append(percent(r.share), style="bold")
    text.append(
        " "
        + _("retention: of {n:,} buyers from {since} to {until}, {back:,} bought again").format(
            n=r.previous_buyers,
            since=short_day(r.previous_since, d.day),
            until=short_day(r.previous_until, d.day),
            back=r.returned,
        )
    )
    text.append("\n")
    text.append(count(lapsed.customers), style="bold yellow" if lapsed.customers else "bold")
    text.append(
        " "
        + _("lapsed, to win back; they bought {amount} in the last year").format(
            amount=money(lapsed.revenue_last_year)
        )
    )
    return text


def at_risk_list(d: Any, *, interactive: bool = False) -> RenderableType:
    rows = d.at_risk
    if not rows:
        return Text(_("Nobody: every A–C customer is being followed up."), style="dim")
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True, overflow="ellipsis")
    table.add_column(no_wrap=True, justify="right")
    table.add_column(no_wrap=True, style="dim")
    if d.team:
        table.add_column(no_wrap=True, max_width=10, overflow="ellipsis")
    for row in rows[:AT_RISK_SHOWN]:
        contact = (
            _("last contact {day}").format(day=short_day(row.last_contact, d.day))
            if row.last_contact
            else _("never contacted")
        )
        cells: list[RenderableType] = [
            grade_text(row.grade),
            plain(clip(row.customer, 30)),
            _("{n} follow-ups").format(n=row.followups),
            contact,
        ]
        if d.team:
            cells.append(plain(row.owner))
        table.add_row(*cells)
    lead = Text(_("A–C, fewer than 4 follow-ups, cadence run out"), style="dim")
    more = d.at_risk_count - AT_RISK_SHOWN
    if interactive:
        tail = (
            _("… and {n:,} more; enter lists them all").format(n=more)
            if more > 0
            else _("enter lists them")
        )
    else:
        tail = _("… and {n:,} more (all of them with --json)").format(n=more) if more > 0 else ""
    return Group(lead, table, Text(tail, style="dim")) if tail else Group(lead, table)


def pareto_chart(d: Any) -> RenderableType:
    p = d.pareto
    if not p.customers:
        return Text(_("No revenue recorded yet."), style="dim")
    lead = Text()
    lead.append(_("{key:,} key customers").format(key=p.key_count), style="bold green")
    lead.append(
        " "
        + _("of {all:,} with revenue ({cshare}) hold {rshare} of {total}").format(
            all=p.customers,
            cshare=percent(p.key_customer_share),
            rshare=percent(p.key_share),
            total=money(p.total),
        )
    )
    share = p.key_customer_share or 0.0
    highlight = next(
        (i + 1 for i, (customers, _revenue) in enumerate(p.curve) if customers >= share - 1e-9),
        len(p.curve),
    )
    chart = ColumnChart(
        [revenue for _customers, revenue in p.curve],
        height=5,
        highlight=highlight,
        caption=_("revenue held by the customers, largest first; key up to ┴"),
    )
    return Group(lead, chart)


def conversion_chart(d: Any) -> RenderableType:
    if not d.conversion:
        return Text(_("No customers yet."), style="dim")
    return BarRows(
        [
            (
                label("source", row.source) or _("(not recorded)"),
                Bar(row.rate, "green"),
                percent(row.rate),
                f"{row.won:,}/{row.customers:,}",
            )
            for row in d.conversion
        ],
        right=(2, 3),
    )


def csi_chart(d: Any) -> RenderableType:
    return BarRows(
        [
            (
                row.quarter,
                Bar(None if row.csi is None else row.csi / 100, "cyan"),
                "–" if row.csi is None else f"{row.csi:.1f}",
                (_("{n:,} survey") if row.surveys == 1 else _("{n:,} surveys")).format(
                    n=row.surveys
                ),
            )
            for row in d.csi
        ],
        right=(2, 3),
    )


def sla_cell(tally: Any) -> Text:
    """A target's share met, with what it counts: 92.0% (23/25), in the share's colour."""
    share = tally.share
    if share is None:
        return Text("–", style="dim")
    return Text(share_of(share, tally.met, tally.met + tally.missed), style=share_style(share))


def sla_table(d: Any) -> RenderableType:
    sla = d.sla
    table = Table(
        box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1), header_style="bold"
    )
    table.add_column(_("severity"), no_wrap=True)
    table.add_column(_("opened"), justify="right")
    table.add_column(_("answered in time"), justify="right", no_wrap=True)
    table.add_column(_("resolved in time"), justify="right", no_wrap=True)
    for name, part in sla.by_severity.items():
        table.add_row(
            label("severity", name),
            count(part.opened),
            sla_cell(part.response),
            sla_cell(part.resolution),
        )
    table.add_row(
        Text(_("all"), style="bold"),
        count(sla.total.opened),
        sla_cell(sla.total.response),
        sla_cell(sla.total.resolution),
    )
    if sla.satisfaction is None:
        satisfaction = Text(_("No satisfaction given at close in the period."), style="dim")
    else:
        satisfaction = Text(
            _("Satisfaction at close: {avg} / 5 ({n:,} closed)").format(
                avg=sla.satisfaction, n=sla.closed
            )
        )
    return Group(table, satisfaction)
