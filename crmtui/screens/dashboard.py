"""The Dashboard (SPEC §4.4): where the pipeline stands, who is slipping, which customers matter.

Panels of figures from `services.stats.dashboard`, read in a thread worker (the figures already
shown stay while new ones are read): customers per grade, movement over the period, grade × rep
with overdue follow-ups, follow-up stages beside the manuals' reference and the customers at
risk of being dropped, revenue 80/20, conversion by source, CSI per quarter and complaint
service levels. One column at 80 columns, two side by side in a wide terminal.

Keys: the arrows (or tab, j/k) move between figures; `enter` on promoted, demoted, new, at
risk or the 80/20 opens the customers behind it; `p` cycles the period 7/30/90 days; `a`
switches a manager between their own customers and the team's; `r` reads the figures again
(as does coming back to the screen).
"""

from __future__ import annotations

from time import perf_counter
from typing import ClassVar

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import DescendantFocus
from textual.widgets import Static

from crmtui.i18n import N_, _
from crmtui.labels import label, weekday_name
from crmtui.output import money, percent, share_style
from crmtui.present.text import plain
from crmtui.screens.base import CrmScreen
from crmtui.services.stats import (
    AT_RISK,
    DEMOTED,
    KEY_CUSTOMERS,
    NEW,
    PERIODS,
    PROMOTED,
    Dashboard,
    dashboard,
)
from crmtui.widgets.charts import Bar, BarRows, ColumnChart
from crmtui.widgets.grade import grade_style, grade_text
from crmtui.widgets.text import clip, short_day

WIDE = 110
"""From this many columns the panels stand in two columns."""
AT_RISK_SHOWN = 5
"""Customers at risk listed in the panel; `enter` opens all of them."""
DEFAULT_PERIOD = 30


class Figure(Static, can_focus=True):
    """One figure of the dashboard, a stop for the arrow keys. `behind` names the customers
    `enter` opens (one of services.stats.BEHIND_FIGURES), or None."""

    def __init__(self, title: str = "", *, behind: str | None = None, id: str | None = None,
                 classes: str = "panel") -> None:
        super().__init__("", id=id, classes=classes)
        self.border_title = title
        self.behind = behind


class Panels(VerticalScroll, can_focus=False, inherit_bindings=False):
    """The scrolling column of panels; the screen's keys move and page it."""


class DashboardScreen(CrmScreen):
    HEADING = N_("Dashboard")
    WATCH_CHANGES = False  # read afresh when shown and on `r`
    CSS_PATH = "dashboard.tcss"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (WIDE, "-wide")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_figure", N_("Customers"), id="open-figure",
                tooltip=N_("the customers behind the figure: promoted, demoted, new, at risk, "
                           "key customers")),
        Binding("p", "period", N_("Period"), id="dashboard-period",
                tooltip=N_("movement and service levels over 7, 30 or 90 days")),
        Binding("a", "toggle_scope", N_("Mine/team"), id="scope",
                tooltip=N_("my customers or the team's (managers)")),
        Binding("r", "reload", N_("Refresh"), id="reload", tooltip=N_("read the figures again")),
        Binding("tab,down,right,j", "next_figure", N_("Next figure"), id="figure-next",
                show=False),
        Binding("shift+tab,up,left,k", "previous_figure", N_("Previous figure"),
                id="figure-previous", show=False),
        Binding("pagedown", "page(1)", N_("Page down"), id="dashboard-page-down", show=False),
        Binding("pageup", "page(-1)", N_("Page up"), id="dashboard-page-up", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.period = DEFAULT_PERIOD
        self.figures: Dashboard | None = None
        self.refreshing = False
        self.failed = False
        self.paint_times: list[float] = []
        """Milliseconds from starting a read to the figures painted, one per read."""

    def compose_body(self) -> ComposeResult:
        yield Static(_("Reading the figures…"), id="summary")
        with Panels(id="panels"):
            with Vertical(id="columns"):
                with Vertical(classes="column", id="pipeline"):
                    yield Figure(_("Customers per grade"), id="grades")
                    with Vertical(id="movement", classes="panel"):
                        with Horizontal():
                            yield Figure(behind=PROMOTED, id="promoted", classes="number")
                            yield Figure(behind=DEMOTED, id="demoted", classes="number")
                            yield Figure(behind=NEW, id="new", classes="number")
                    yield Figure(_("Grade × rep · overdue follow-ups"), id="matrix")
                    yield Figure(_("Follow-up stages of open customers"), id="stages")
                    yield Figure(_("At risk of being dropped"), behind=AT_RISK, id="at-risk")
                with Vertical(classes="column", id="value"):
                    yield Figure(_("Revenue 80/20"), behind=KEY_CUSTOMERS, id="pareto")
                    yield Figure(_("Conversion by source · won / all"), id="conversion")
                    yield Figure(_("Satisfaction · CSI per quarter (0–100)"), id="csi")
                    yield Figure(_("Complaint service levels"), id="sla")

    # -- loading --------------------------------------------------------------------------------
    @property
    def everyone(self) -> bool:
        return self.ctx.role == "manager" and self.app.everyone

    def action_reload(self) -> None:
        self.reload()

    def load_data(self) -> None:
        self.refreshing = True
        self.failed = False
        self._summary()
        started = perf_counter()
        self.call_service(dashboard, self.ctx, self.period, everyone=self.everyone,
                          done=lambda figures: self._loaded(figures, started),
                          failed=self._failed, group="load")

    def _loaded(self, figures: Dashboard, started: float) -> None:
        self.figures = figures
        self.refreshing = False
        self.show(figures)
        self.call_after_refresh(self._painted, started)

    def _painted(self, started: float) -> None:
        self.paint_times.append((perf_counter() - started) * 1000)

    def _failed(self, error: BaseException) -> bool:
        self.refreshing = False
        self.failed = True
        self._summary()
        return False  # the app reports it

    # -- drawing --------------------------------------------------------------------------------
    def _summary(self) -> None:
        text = Text()
        figures = self.figures
        if figures is None:
            text.append(_("Reading the figures…") if not self.failed else
                        _("The figures could not be read; r tries again."))
        else:
            text.append(f"{weekday_name(figures.day)} {figures.day.isoformat()}", style="bold")
            text.append(" · " + (_("the team") if figures.team else _("my customers")))
            text.append(" · " + _("last {n} days").format(n=figures.period))
            if self.refreshing:
                text.append(" · " + _("refreshing…"), style="italic")
            elif self.failed:
                text.append(" · " + _("not refreshed"), style="italic")
        self.query_one("#summary", Static).update(text)

    def show(self, d: Dashboard) -> None:
        self.add_class("-loaded")
        self._summary()
        figure = self._figure
        total = sum(d.grades.values())
        figure("grades", grades_chart(d), _("Customers per grade ({n:,})").format(n=total))
        movement = self.query_one("#movement")
        movement.border_title = _("Movement · last {n} days, since {since}").format(
            n=d.period, since=short_day(d.movement.since, d.day))
        m = d.movement
        figure("promoted", Text(_("▲ {n:,} promoted").format(n=m.promotions), style="green"))
        figure("demoted", Text(_("▼ {n:,} demoted").format(n=m.demotions), style="red"))
        figure("new", Text(_("+ {n:,} new").format(n=m.new), style="bold"))
        figure("matrix", matrix_table(d))
        figure("stages", stages_chart(d))
        figure("at-risk", at_risk_list(d),
               _("At risk of being dropped ({n:,})").format(n=len(d.at_risk)))
        figure("pareto", pareto_chart(d))
        figure("conversion", conversion_chart(d))
        figure("csi", csi_chart(d))
        figure("sla", sla_table(d), _("Complaint service levels · opened since {since}").format(
            since=short_day(d.sla.since, d.day)))
        if self.focused is None:
            self.query_one("#grades", Figure).focus(scroll_visible=False)
        self.refresh_bindings()

    def _figure(self, name: str, content: RenderableType, title: str | None = None) -> None:
        figure = self.query_one(f"#{name}", Figure)
        figure.update(content)
        if title is not None:
            figure.border_title = title

    # -- keys -----------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_scope":
            return self.ctx.role == "manager"  # reps see themselves, support the whole team
        if action == "open_figure":
            return self.current_behind() is not None or None
        return True

    def current_behind(self) -> str | None:
        focused = self.focused
        if self.figures is None or not isinstance(focused, Figure):
            return None
        return focused.behind

    @on(DescendantFocus)
    def _focus_moved(self) -> None:
        self.refresh_bindings()  # enter opens something on some figures only

    def action_next_figure(self) -> None:
        self.focus_next(Figure)

    def action_previous_figure(self) -> None:
        self.focus_previous(Figure)

    def action_page(self, direction: int) -> None:
        panels = self.query_one(Panels)
        if direction > 0:
            panels.scroll_page_down()
        else:
            panels.scroll_page_up()

    def action_period(self) -> None:
        self.period = PERIODS[(PERIODS.index(self.period) + 1) % len(PERIODS)]
        self.reload()

    def action_toggle_scope(self) -> None:
        self.app.toggle_scope()
        self.reload()

    def action_open_figure(self) -> None:
        from crmtui.screens.figure_customers import FigureCustomersScreen

        behind = self.current_behind()
        if behind is None or self.figures is None:
            return
        self.app.push_screen(FigureCustomersScreen(self.figures, behind))


# -- the panels' content (pure functions of the figures) ------------------------------------------

def grades_chart(d: Dashboard) -> BarRows:
    total = sum(d.grades.values())
    top = max(d.grades.values(), default=0) or 1
    return BarRows(
        [(grade_text(letter), Bar(count / top, grade_style(letter)), f"{count:,}",
          percent(count / total if total else None)) for letter, count in d.grades.items()],
        right=(2, 3))


def matrix_table(d: Dashboard) -> RenderableType:
    if not d.reps:
        return Text(_("No customers yet."), style="dim")
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1),
                  header_style="bold")
    table.add_column(_("rep"), no_wrap=True, max_width=16, overflow="ellipsis")
    for letter in d.grades:
        table.add_column(grade_text(letter), justify="right")
    table.add_column(_("all"), justify="right")
    table.add_column(_("overdue"), justify="right")
    for rep in d.reps:
        table.add_row(plain(rep.name), *(f"{n:,}" for n in rep.grades.values()),
                      f"{rep.customers:,}",
                      Text(f"{rep.overdue:,}", style="bold red" if rep.overdue else ""))
    return table


def stages_chart(d: Dashboard) -> RenderableType:
    rows = []
    for stage in d.stages:
        reference = stage.reference
        rows.append((label("stage", stage.stage), f"{stage.customers:,}", Bar(stage.share, "cyan"),
                     percent(stage.share), Bar(None if reference is None else reference / 100,
                                               "dim"),
                     "–" if reference is None else f"{reference}%"))
    chart = BarRows(rows, header=(_("stage"), "", _("open customers"), "", _("sales close"), ""),
                    right=(1, 3, 5))
    note = Text(_("sales close: the share of sales closed at each stage (manuals)"),
                style="dim")
    return Group(chart, note)


def at_risk_list(d: Dashboard) -> RenderableType:
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
        contact = (_("last contact {day}").format(day=short_day(row.last_contact, d.day))
                   if row.last_contact else _("never contacted"))
        cells = [grade_text(row.grade), plain(clip(row.customer, 30)),
                 _("{n} follow-ups").format(n=row.followups), contact]
        if d.team:
            cells.append(plain(row.owner))
        table.add_row(*cells)
    lead = Text(_("A–C, fewer than 4 follow-ups, cadence run out"), style="dim")
    more = len(rows) - AT_RISK_SHOWN
    tail = Text(_("… and {n:,} more; enter lists them all").format(n=more) if more > 0 else
                _("enter lists them"), style="dim")
    return Group(lead, table, tail)


def pareto_chart(d: Dashboard) -> RenderableType:
    p = d.pareto
    if not p.customers:
        return Text(_("No revenue recorded yet."), style="dim")
    lead = Text()
    lead.append(_("{key:,} key customers").format(key=p.key_count), style="bold green")
    lead.append(" " + _("of {all:,} with revenue ({cshare}) hold {rshare} of {total}").format(
        all=p.customers, cshare=percent(p.key_customer_share), rshare=percent(p.key_share),
        total=money(p.total)))
    share = p.key_customer_share or 0.0
    highlight = next((i + 1 for i, (customers, _revenue) in enumerate(p.curve)
                      if customers >= share - 1e-9), len(p.curve))
    chart = ColumnChart([revenue for _customers, revenue in p.curve], height=5,
                        highlight=highlight,
                        caption=_("revenue held by the customers, largest first; key up to ┴"))
    return Group(lead, chart)


def conversion_chart(d: Dashboard) -> RenderableType:
    if not d.conversion:
        return Text(_("No customers yet."), style="dim")
    return BarRows(
        [(label("source", row.source) or _("(not recorded)"), Bar(row.rate, "green"),
          percent(row.rate), f"{row.won:,}/{row.customers:,}") for row in d.conversion],
        right=(2, 3))


def csi_chart(d: Dashboard) -> RenderableType:
    return BarRows(
        [(row.quarter, Bar(None if row.csi is None else row.csi / 100, "cyan"),
          "–" if row.csi is None else f"{row.csi:.1f}",
          _("{n:,} surveys").format(n=row.surveys)) for row in d.csi],
        right=(2, 3))


def _sla_cell(tally) -> Text:
    share = tally.share
    if share is None:
        return Text("–", style="dim")
    return Text(f"{percent(share)} {tally.met}/{tally.met + tally.missed}",
                style=share_style(share))


def sla_table(d: Dashboard) -> RenderableType:
    sla = d.sla
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1),
                  header_style="bold")
    table.add_column(_("severity"), no_wrap=True)
    table.add_column(_("opened"), justify="right")
    table.add_column(_("answered in time"), justify="right", no_wrap=True)
    table.add_column(_("resolved in time"), justify="right", no_wrap=True)
    for name, part in sla.by_severity.items():
        table.add_row(label("severity", name), f"{part.opened:,}", _sla_cell(part.response),
                      _sla_cell(part.resolution))
    table.add_row(Text(_("all"), style="bold"), f"{sla.total.opened:,}",
                  _sla_cell(sla.total.response), _sla_cell(sla.total.resolution))
    if sla.satisfaction is None:
        satisfaction = Text(_("No satisfaction given at close in the period."), style="dim")
    else:
        satisfaction = Text(_("Satisfaction at close: {avg} / 5 ({n:,} closed)").format(
            avg=sla.satisfaction, n=sla.closed))
    return Group(table, satisfaction)
